"""REST API for 党费 (/api/v1/dues-payments/): one row per member and month.

The amount due is never sent: it is computed from the member's dues base and the 中组部 brackets (branches/dues.py).
Outsider 404, read-only role 403 on writes, broken rule 400 `{"detail", "errors"}` in Chinese.
"""

import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.response import Response

from common.api import error_responses, id_filter, year_filter

from . import access, dues
from .api_common import AccessViewSetMixin, OrganizationCodeField
from .models import DuesPayment, Member, Membership


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthField(serializers.Field):
    """A month as 'yyyy-mm' (stored as its first day)."""

    default_error_messages = {"invalid": "月份格式应为 yyyy-mm,如 2025-03。"}

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        month = dues.parse_month(data) if isinstance(data, str) else None
        if month is None:
            self.fail("invalid")
        return month


class DuesMemberRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name"]


class DuesPaymentSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="organization.code", read_only=True, help_text="登记的党支部编码")
    org_name = serializers.CharField(source="organization.name", read_only=True, help_text="党支部名称")
    member = DuesMemberRefSerializer(read_only=True, help_text="党员")
    month = MonthField(read_only=True, help_text="所属月份 yyyy-mm")
    base = serializers.DecimalField(max_digits=10, decimal_places=2, read_only=True, help_text="计算基数(元/月)")
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=4, read_only=True, help_text="交纳比例;学生/失业/低保为 0(每月定额0.2元)"
    )
    amount_due = serializers.DecimalField(
        max_digits=10, decimal_places=2, read_only=True, help_text="应交金额(元),按中组部比例计算,四舍五入到分"
    )

    class Meta:
        model = DuesPayment
        fields = ["id", "org", "org_name", "member", "month", "base", "rate", "amount_due", "amount_paid", "paid_on"]


class DuesPaymentCreateSerializer(serializers.Serializer):
    org = OrganizationCodeField(help_text="党支部编码;不存在或无权查看返回 404,只读角色返回 403")
    member = serializers.PrimaryKeyRelatedField(
        queryset=Member.objects.all(), help_text="党员 id;该月须属于该支部(否则 400,不透露其他支部的党员)"
    )
    month = MonthField(help_text="所属月份 yyyy-mm,不晚于本月")
    amount_paid = serializers.DecimalField(
        max_digits=10,
        decimal_places=2,
        required=False,
        allow_null=True,
        help_text="实交金额(元),不能为负;未交填 0 或留空",
    )
    paid_on = serializers.DateField(
        required=False, allow_null=True, help_text="交纳日期;已交时必填,不早于所属月份、不晚于今天"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only members who ever belonged to a branch the user can see; any other id is just "invalid".
            self.fields["member"].queryset = Member.objects.filter(
                pk__in=Membership.objects.filter(access.visible_organizations_q(request.user, "organization__")).values(
                    "member_id"
                )
            )


class DuesPaymentUpdateSerializer(serializers.Serializer):
    amount_paid = serializers.DecimalField(
        max_digits=10, decimal_places=2, allow_null=True, help_text="实交金额(元),不能为负"
    )
    paid_on = serializers.DateField(required=False, allow_null=True, help_text="交纳日期;已交时必填")


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
        month = dues.parse_month(value)
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


def get_dues_payment_for_user(user, pk, *, write: bool = False) -> DuesPayment:
    payment = DuesPayment.objects.select_related("member", "organization").filter(pk=pk).first()
    if payment is None:
        raise Http404("没有找到该党费记录。")
    access.check_organization(user, payment.organization, write=write)
    return payment


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
    access_helper = staticmethod(get_dues_payment_for_user)
    queryset = DuesPayment.objects.none()

    def get_queryset(self):
        return dues.dues_payment_list(self.request.user).order_by("organization__path", "member__name", "month")

    def _answer(self, payment, status_code=status.HTTP_200_OK):
        fresh = DuesPayment.objects.select_related("member", "organization").get(pk=payment.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = DuesPaymentCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if DuesPayment.objects.filter(member=data["member"], month=data["month"]).exists():
            raise ValidationError(
                {"month": f"{data['member'].name}{data['month']:%Y年%m月}已有党费记录,请修改该记录。"}
            )
        payment = dues.dues_payment_record(
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
        dues.dues_payment_record(
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
