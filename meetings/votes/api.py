"""REST API for a 党员大会's votes (/api/v1/resolutions/, /api/v1/elections/): read, and record through the same services
as the meeting page (meetings/votes/services.py). Access through branches/access.py (via branches/api_common.py):
outsider 404, read-only role 403 on writes, broken rule 400 `{"detail", "errors"}`, archived meeting 409. Lists in a
fixed number of queries."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.response import Response

from branches import access
from branches.api_common import AccessViewSetMixin
from common.api import error_responses, id_filter

from ..api import ARCHIVED_RESPONSE, _call
from ..models import Election, Resolution
from . import selectors, services
from .serializers import (
    ElectionCreateSerializer,
    ElectionSerializer,
    ResolutionCreateSerializer,
    ResolutionSerializer,
)


class _VotesFilter(filters.FilterSet):
    org = filters.CharFilter(method="filter_org", label="恰为该党支部(编码)的记录;不存在或无权查看返回 404")
    under = filters.CharFilter(method="filter_under", label="某组织(编码)及其全部下级的记录;不存在或无权查看返回 404")
    meeting = id_filter(field_name="meeting_id", label="会议 id")

    def filter_org(self, queryset, name, value):
        return queryset.filter(meeting__organization=access.get_organization_for_user(self.request.user, value))

    def filter_under(self, queryset, name, value):
        organization = access.get_organization_for_user(self.request.user, value)
        return queryset.filter(meeting__organization__path__startswith=organization.path)


class ResolutionFilter(_VotesFilter):
    class Meta:
        model = Resolution
        fields = []


class ElectionFilter(_VotesFilter):
    class Meta:
        model = Election
        fields = []


@extend_schema(tags=["党员大会表决与选举"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的党员大会表决事项",
        description="每项含赞成、反对、弃权票和是否通过(赞成票超过应到会有表决权党员的半数,支部工作条例 第十一条)。",
        responses={200: ResolutionSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="表决事项详情", responses={200: ResolutionSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="登记一项表决",
        description="只能在已召开的支部党员大会上表决;到会有表决权的党员须超过应到会的半数;票数合计不超过实到人数。",
        request=ResolutionCreateSerializer,
        responses={201: ResolutionSerializer, **error_responses(400, 403, 404), **ARCHIVED_RESPONSE},
    ),
)
class ResolutionViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ResolutionSerializer
    filterset_class = ResolutionFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_resolution_for_user)
    queryset = Resolution.objects.none()  # for the schema; get_queryset() is what runs

    def get_queryset(self):
        return selectors.resolution_list(self.request.user)

    def _data(self, rows, many=False):
        rows = list(rows) if many else [rows]
        voters = selectors.voting_expected_by_meeting({row.meeting_id: row.meeting for row in rows}.values())
        context = {**self.get_serializer_context(), "voters": voters}
        return ResolutionSerializer(rows if many else rows[0], many=many, context=context).data

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self._data(page, many=True))

    def retrieve(self, request, *args, **kwargs):
        return Response(self._data(self.get_object()))

    def create(self, request, *args, **kwargs):
        serializer = ResolutionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        resolution = _call(services.resolution_record, user=request.user, **serializer.validated_data)
        fresh = selectors.resolution_queryset().get(pk=resolution.pk)
        return Response(self._data(fresh), status=status.HTTP_201_CREATED)


@extend_schema(tags=["党员大会表决与选举"])
@extend_schema_view(
    list=extend_schema(
        summary="可见的党员大会选举",
        description="应到、实到取自该次党员大会的出席记录;候选人按得票从多到少。",
        responses={200: ElectionSerializer(many=True), **error_responses(400, 403, 404)},
    ),
    retrieve=extend_schema(summary="选举详情", responses={200: ElectionSerializer, **error_responses(403, 404)}),
    create=extend_schema(
        summary="登记党员大会选举结果",
        description="实到有选举权的党员须超过应到的五分之四;候选人数多于应选名额的20%;当选者得票须超过实到人数的半数;"
        "换届程序须依次进行;届满前选举须先经上级批准提前换届。",
        request=ElectionCreateSerializer,
        responses={201: ElectionSerializer, **error_responses(400, 403, 404), **ARCHIVED_RESPONSE},
    ),
)
class ElectionViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = ElectionSerializer
    filterset_class = ElectionFilter
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_election_for_user)
    queryset = Election.objects.none()

    def get_queryset(self):
        return selectors.election_list(self.request.user)

    def create(self, request, *args, **kwargs):
        serializer = ElectionCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        candidates = [(row["member"], row["votes"], row["elected"]) for row in data["candidates"]]
        election = _call(
            services.election_record,
            meeting=data["meeting"],
            seats=data["seats"],
            candidates=candidates,
            note=data["note"],
            user=request.user,
        )
        fresh = selectors.election_queryset().get(pk=election.pk)
        return Response(self.get_serializer(fresh).data, status=status.HTTP_201_CREATED)
