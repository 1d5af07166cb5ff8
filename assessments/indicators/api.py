"""REST API of the indicators (/api/v1/indicators/...), read-only.

Access through branches/access.py: the organization must be visible to the user (else 404, the same answer as an
unknown code); anonymous 403 like the other endpoints. Figures come from assessments.indicators.selectors, the same code as the
dashboards, so the API and the pages never disagree.
"""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics
from rest_framework.response import Response

from branches import access
from common.api import ApiErrorsMixin, error_responses

from . import selectors
from .serializers import (
    IndicatorResultSerializer,
    OrganizationResultsSerializer,
    ResultsQuerySerializer,
    SummaryQuerySerializer,
)

YEAR = OpenApiParameter("year", int, description="考核年度(yyyy),默认为今年")
AS_OF = OpenApiParameter(
    "as_of", str, description="截至日期 yyyy-mm-dd,默认为今天(北京时间);当前周期未完成的待考核,不计入,已完成的计入"
)


def _query(serializer_class, request) -> dict:
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(tags=["考核指标"])
class IndicatorResultsView(ApiErrorsMixin, generics.GenericAPIView):
    serializer_class = IndicatorResultSerializer
    pagination_class = None
    filter_backends: list = []  # the query parameters are validated by a serializer, not django-filter

    @extend_schema(
        summary="某组织的硬指标完成情况",
        description="返回该组织当年适用的每项指标:应完成、已完成、完成率、状态与缺项周期。只计已结束的周期。",
        parameters=[
            OpenApiParameter("org", str, required=True, description="组织编码;无权查看时返回 404"),
            YEAR,
            AS_OF,
        ],
        responses={200: IndicatorResultSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        query = _query(ResultsQuerySerializer, request)
        organization = access.get_organization_for_user(request.user, query["org"])
        results = selectors.indicator_results(organization, query["year"], query["as_of"])
        return Response(IndicatorResultSerializer(results, many=True).data)


@extend_schema(tags=["考核指标"])
class IndicatorSummaryView(ApiErrorsMixin, generics.GenericAPIView):
    serializer_class = OrganizationResultsSerializer
    filter_backends: list = []

    @extend_schema(
        summary="某组织及其全部下级的硬指标完成情况",
        description="按组织树顺序分页列出每个正常状态的组织(不含党小组)及其指标结果;查询次数与组织数量无关。",
        parameters=[
            OpenApiParameter("under", str, required=True, description="组织编码:该组织及其全部下级;无权查看时返回 404"),
            YEAR,
            AS_OF,
            OpenApiParameter("page", int, description="页码"),
        ],
        responses={200: OrganizationResultsSerializer(many=True), **error_responses(400, 403, 404)},
    )
    def get(self, request):
        query = _query(SummaryQuerySerializer, request)
        root = access.get_organization_for_user(request.user, query["under"])
        page = self.paginate_queryset(selectors.summary_organizations(root))
        summary = selectors.indicator_summary(root, query["year"], query["as_of"], organizations=page)
        rows = [
            {"organization": {"code": org.code, "name": org.name, "kind": org.kind}, "results": summary[org.pk]}
            for org in page
        ]
        return self.get_paginated_response(OrganizationResultsSerializer(rows, many=True).data)
