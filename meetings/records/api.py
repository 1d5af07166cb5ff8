"""REST API for 谈心谈话 and 民主评议党员 (/api/v1/talks/, /api/v1/member-reviews/).

Thin viewsets: access through branches/access.py (via branches/api_common.py), writes through meetings/records/services.py, each list
in a fixed number of queries. Outsider 404, read-only role 403 on writes, broken rule 400 `{"detail", "errors"}`.
"""

import datetime

from django.core.exceptions import ValidationError
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from branches import access
from branches.api_common import AccessViewSetMixin
from branches.models import Member
from common.api import PartialUpdateMixin, error_responses, id_filter, year_filter

from ..models import MemberReview, Talk
from . import selectors, services
from .serializers import (
    FollowUpDoneSerializer,
    MemberReviewCreateSerializer,
    MemberReviewSerializer,
    MemberReviewUpdateSerializer,
    TalkCreateSerializer,
    TalkSerializer,
    TalkUpdateSerializer,
)

ORG_HELP = "恰为该党支部(编码)的记录;不存在或无权查看返回 404"
UNDER_HELP = "某组织(编码)及其全部下级的记录;不存在或无权查看返回 404"


class _OrgFilterSet(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label=ORG_HELP)
    under = filters.CharFilter(method="filter_under", label=UNDER_HELP)

    def filter_org(self, queryset, name, value):
        return queryset.filter(organization=access.get_organization_for_user(self.request.user, value))

    def filter_under(self, queryset, name, value):
        organization = access.get_organization_for_user(self.request.user, value)
        return queryset.filter(organization__path__startswith=organization.path)


class TalkFilter(_OrgFilterSet):
    year = year_filter(method="filter_year", label="谈话年度")
    date_from = filters.DateFilter(field_name="held_on", lookup_expr="gte", label="谈话日期不早于(含)")
    date_to = filters.DateFilter(field_name="held_on", lookup_expr="lte", label="谈话日期不晚于(含)")
    member = id_filter(method="filter_member", label="涉及该党员(id,谈话人或谈话对象)")
    search = filters.CharFilter(method="filter_search", label="按谈话人、谈话对象姓名或内容搜索")

    class Meta:
        model = Talk
        fields = []

    def filter_year(self, queryset, name, value):
        year = int(value)
        return queryset.filter(held_on__gte=datetime.date(year, 1, 1), held_on__lte=datetime.date(year, 12, 31))

    def filter_member(self, queryset, name, value):
        involved = Talk.participants.through.objects.filter(member_id=value).values("talk_id")
        return queryset.filter(pk__in=involved) | queryset.filter(initiator_id=value)

    def filter_search(self, queryset, name, value):
        return selectors.talk_list(search=value).filter(pk__in=queryset.values("pk"))


class MemberReviewFilter(_OrgFilterSet):
    year = year_filter(field_name="year", label="评议年度")
    grade = filters.ChoiceFilter(choices=MemberReview.Grade.choices, label="评议等次")
    follow_up = filters.ChoiceFilter(
        method="filter_follow_up",
        choices=[("open", "待处置"), ("done", "已处置")],
        label="不合格党员的组织处置:open 待处置,done 已处置",
    )
    date_from = filters.DateFilter(field_name="decided_on", lookup_expr="gte", label="评议会议日期不早于(含)")
    date_to = filters.DateFilter(field_name="decided_on", lookup_expr="lte", label="评议会议日期不晚于(含)")
    member = id_filter(field_name="member_id", label="党员 id")

    class Meta:
        model = MemberReview
        fields = []

    def filter_follow_up(self, queryset, name, value):
        return queryset.filter(grade=MemberReview.Grade.UNQUALIFIED, follow_up_done=(value == "done"))


def _talk_for_user(user, pk, *, write=False):
    return selectors.get_talk_for_user(user, pk, write=write)


def _review_for_user(user, pk, *, write=False):
    return selectors.get_review_for_user(user, pk, write=write)


@extend_schema(tags=["谈心谈话"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的谈心谈话记录",
        description="按谈话日期倒序;只列出当前用户有权查看的党支部的记录。",
        responses={200: TalkSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="谈话记录详情", responses={200: TalkSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="记录一次谈心谈话",
        description="谈话人与谈话对象在谈话当日须为该支部党员;谈话人不能同时是谈话对象;日期不晚于今天。",
        request=TalkCreateSerializer,
        responses={201: TalkSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="修改谈话记录",
        request=TalkUpdateSerializer,
        responses={200: TalkSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改谈话记录(部分字段)",
        request=TalkUpdateSerializer,
        responses={200: TalkSerializer, **error_responses(400, 403, 404)},
    ),
)
class TalkViewSet(
    PartialUpdateMixin, AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TalkSerializer
    filterset_class = TalkFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_talk_for_user)
    queryset = Talk.objects.none()  # for the schema; get_queryset() is what runs

    def get_queryset(self):
        return selectors.talk_list(self.request.user)

    def _answer(self, talk, status_code=status.HTTP_200_OK):
        fresh = selectors.talk_queryset().get(pk=talk.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = TalkCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        talk = services.talk_create(
            organization=data["org"],
            held_on=data["held_on"],
            initiator=data["initiator"],
            participants=data["participants"],
            summary=data["summary"],
            user=request.user,
        )
        return self._answer(talk, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        talk = self.get_object()
        serializer = TalkUpdateSerializer(data=request.data, partial=partial, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.talk_update(talk=talk, user=request.user, **serializer.validated_data)
        return self._answer(talk)


@extend_schema(tags=["民主评议党员"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的民主评议党员记录",
        description="每名党员每年一条;不合格的 needs_follow_up 为 true,直至组织处置办结。",
        responses={200: MemberReviewSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(
        summary="评议记录详情", responses={200: MemberReviewSerializer, **error_responses(403, 404)}
    ),
    create=extend_schema(
        summary="评定一名党员的年度等次",
        description="党员该年度须曾属于该支部;每名党员每年一条,已有记录请用修改;会议日期在该年度或次年且不晚于今天。",
        request=MemberReviewCreateSerializer,
        responses={201: MemberReviewSerializer, **error_responses(400, 403, 404)},
    ),
    update=extend_schema(
        summary="修改评议等次",
        description="等次改变后,组织处置标记重新计算(改为不合格即为待处置)。",
        request=MemberReviewUpdateSerializer,
        responses={200: MemberReviewSerializer, **error_responses(400, 403, 404)},
    ),
    partial_update=extend_schema(
        summary="修改评议等次(部分字段)",
        request=MemberReviewUpdateSerializer,
        responses={200: MemberReviewSerializer, **error_responses(400, 403, 404)},
    ),
    follow_up_done=extend_schema(
        summary="不合格党员组织处置办结",
        request=FollowUpDoneSerializer,
        responses={200: MemberReviewSerializer, **error_responses(400, 403, 404)},
    ),
)
class MemberReviewViewSet(
    PartialUpdateMixin, AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = MemberReviewSerializer
    filterset_class = MemberReviewFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_review_for_user)
    queryset = MemberReview.objects.none()

    def get_queryset(self):
        return selectors.review_list(self.request.user)

    def _answer(self, review, status_code=status.HTTP_200_OK):
        fresh = selectors.review_queryset().get(pk=review.pk)
        return Response(self.get_serializer(fresh).data, status=status_code)

    def create(self, request, *args, **kwargs):
        serializer = MemberReviewCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        member: Member = data["member"]
        if MemberReview.objects.filter(member=member, year=data["year"]).exists():
            raise ValidationError({"member": f"{member.name}的{data['year']}年度评议已有记录,请修改该记录。"})
        review = services.review_record(
            organization=data["org"],
            member=member,
            year=data["year"],
            grade=data["grade"],
            decided_on=data["decided_on"],
            notes=data["notes"],
            user=request.user,
        )
        return self._answer(review, status.HTTP_201_CREATED)

    def update(self, request, *args, partial=False, **kwargs):
        review = self.get_object()
        serializer = MemberReviewUpdateSerializer(
            data=request.data, partial=partial, context=self.get_serializer_context()
        )
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.review_record(
            organization=review.organization,
            member=review.member,
            year=review.year,
            grade=data.get("grade", review.grade),
            decided_on=data.get("decided_on", review.decided_on),
            notes=data.get("notes", review.notes),
            user=request.user,
        )
        return self._answer(review)

    @action(detail=True, methods=["post"], url_path="follow-up-done")
    def follow_up_done(self, request, pk=None):
        review = self.get_object()
        serializer = FollowUpDoneSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.review_follow_up_done(review=review, user=request.user, note=serializer.validated_data["note"])
        return self._answer(review)
