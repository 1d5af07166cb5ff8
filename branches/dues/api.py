"""REST API for 党费 (/api/v1/dues-payments/): one row per member and month.

The amount due is never sent: it is computed from the member's dues base and the 中组部 brackets (branches/dues/rules.py).
Outsider 404, read-only role 403 on writes, broken rule 400 `{"detail", "errors"}` in Chinese.
"""

import datetime

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from branches.api_common import AccessViewSetMixin
from common.api import error_responses, id_filter, year_filter
from common.periods import parse_month

from .. import access
from ..models import DuesPayment
from . import selectors, services
from .serializers import DuesPaymentCreateSerializer, DuesPaymentSerializer, DuesPaymentUpdateSerializer


class DuesPaymentFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label="恰为该党支部(编码)登记的党费;无权查看返回 404")
    under = filters.CharFilter(method="filter_under", label="某组织(编码)及其全部下级;无权查看返回 404")
    year = year_filter(method="filter_year", label="所属年度")
    month = filters.CharFilter(method="filter_month", label="所属月份 yyyy-mm")
    month_from = filters.CharFilter(method="filter_month_from", label="所属月份不早于(含),yyyy-mm")
    month_to = filters.CharFilter(method="filter_month_to", label="所属月份不晚于(含),yyyy-mm")
    member = id_filter(field_name="member_id", label="党员 id")
    unpaid = filters.BooleanFilter(method="filter_unpaid", label="true 只列未交(实交为0)的记录")

    class Meta:
        model = DuesPayment
        fields = []

    def filter_org(self, queryset, name, value):
        return queryset.filter(organization=access.get_organization_for_user(self.request.user, value))

    def filter_under(self, queryset, name, value):
        organization = access.get_organization_for_user(self.request.user, value)
        return queryset.filter(organization__path__startswith=organization.path)

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(month__gte=datetime.date(year, 1, 1), month__lte=datetime.date(year, 12, 1))

    @staticmethod
    def _month(value):
        month = parse_month(value)
        if month is None:
            raise ValidationError({"month": "月份格式应为 yyyy-mm,如 2025-03。"})
        return month

    def filter_month(self, queryset, name, value):
        return queryset.filter(month=self._month(value))

    def filter_month_from(self, queryset, name, value):
        return queryset.filter(month__gte=self._month(value))

    def filter_month_to(self, queryset, name, value):
        return queryset.filter(month__lte=self._month(value))

    def filter_unpaid(self, queryset, name, value):
        return queryset.filter(amount_paid=0) if value else queryset.filter(amount_paid__gt=0)


@extend_schema(tags=["党费"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的党费交纳记录",
        description="每名党员每月一条,按党员、月份排序。",
        responses={200: DuesPaymentSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="党费记录详情", responses={200: DuesPaymentSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="登记一名党员一个月的党费",
        description="应交金额按党员当前计算基数自动计算;入党(支部大会接收)之前的月份无需交纳;"
        "同一党员同一月份已有记录时请用修改。批量登记整月请用网页“按月登记”。",
        request=DuesPaymentCreateSerializer,
        responses={201: DuesPaymentSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="修改实交金额和交纳日期",
        description="应交金额按党员当前计算基数重新计算。",
        request=DuesPaymentUpdateSerializer,
        responses={200: DuesPaymentSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改实交金额和交纳日期(部分字段)",
        request=DuesPaymentUpdateSerializer,
        responses={200: DuesPaymentSerializer, **error_responses(400, 403, 404)},
    ),
)
class DuesPaymentViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = DuesPaymentSerializer
    filterset_class = DuesPaymentFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(access.get_dues_payment_for_user)
    queryset = DuesPayment.objects.none()

    def get_queryset(self):
        return selectors.dues_payment_list(self.request.user).order_by("organization__path", "member__name", "month")

    def _answer(self, payment, status_code=status.HTTP_200_OK):
        fresh = DuesPayment.objects.select_related("member", "organization").get(pk=payment.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = DuesPaymentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        payment = services.dues_payment_create(
            organization=data["org"],
            member=data["member"],
            month=data["month"],
            amount_paid=data.get("amount_paid"),
            paid_on=data.get("paid_on"),
            user=request.user,
        )
        return self._answer(payment, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        payment = self.get_object()
        serializer = DuesPaymentUpdateSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        amount_paid = data.get("amount_paid", payment.amount_paid)
        # Setting the amount to 0 (not paid after all) clears the date unless one is sent.
        paid_on = data["paid_on"] if "paid_on" in data else (payment.paid_on if amount_paid else None)
        services.dues_payment_record(
            organization=payment.organization,
            member=payment.member,
            month=payment.month,
            amount_paid=amount_paid,
            paid_on=paid_on,
            user=request.user,
        )
        return self._answer(payment)

    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, partial=True, **kwargs)
