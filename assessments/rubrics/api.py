"""REST API of 考核细则 (/api/v1/rubrics/), read-only: the rubrics of the committees a user reads, with their tree,
and an organization's score computed from the records (the same selectors as the score page)."""

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from branches import access
from branches.api_common import AccessViewSetMixin
from common.api import error_responses

from ..inspections.access import RunsRoundsOrReadOnly
from . import selectors, services
from .models import Rubric, RubricItem


class RubricItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = RubricItem
        fields = ["id", "parent", "order", "title", "standard", "points", "method", "unit_points", "source"]


class RubricSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code", read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "committee", "year", "name", "full_points", "copied_from"]


class RubricDetailSerializer(RubricSerializer):
    items = RubricItemSerializer(many=True, read_only=True)

    class Meta(RubricSerializer.Meta):
        fields = [*RubricSerializer.Meta.fields, "items"]


class CopySerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ScoreRowSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    title = serializers.CharField()
    depth = serializers.IntegerField()
    points = serializers.DecimalField(max_digits=6, decimal_places=2)
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    note = serializers.CharField()
    occurrences = serializers.ListField(child=serializers.DictField(), allow_null=True)


class RubricScoreSerializer(serializers.Serializer):
    organization = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2)
    veto = serializers.BooleanField()
    grade = serializers.CharField()
    stars = serializers.IntegerField(allow_null=True)
    rows = ScoreRowSerializer(many=True)


def _score_data(organization, scored) -> dict:
    rows = []
    for depth, node, found in scored.rows():
        score = node.score() if node.children else (node.result.score if node.result else None)
        rows.append(
            {
                "item": node.key.pk,
                "title": node.title,
                "depth": depth,
                "points": node.points,
                "score": score,
                "note": node.result.note if node.result else "",
                "occurrences": None if found is None else [o.__dict__ | {"date": o.date.isoformat()} for o in found],
            }
        )
    out = scored.outcome
    return {
        "organization": organization.code,
        "total": out.total,
        "veto": out.veto,
        "grade": out.grade,
        "stars": out.stars,
        "rows": rows,
    }


@extend_schema(tags=["考核细则"])
@extend_schema_view(
    list=extend_schema(responses={200: RubricSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(responses={200: RubricDetailSerializer, **error_responses(403, 404)}),
)
class RubricViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = RubricSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_rubric_for_user)
    permission_classes = [IsAuthenticated, RunsRoundsOrReadOnly]  # SASAC copies its own rubrics only
    queryset = Rubric.objects.none()

    def get_queryset(self):
        return selectors.rubric_list(self.request.user)

    def get_serializer_class(self):
        return RubricDetailSerializer if self.action == "retrieve" else RubricSerializer

    @extend_schema(
        summary="沿用:按本细则复制出新年度的细则",
        request=CopySerializer,
        responses={201: RubricDetailSerializer, **error_responses(400, 403, 404)},
    )
    @action(detail=True, methods=["post"])
    def copy(self, request, pk=None):
        rubric = self.get_found_object()  # write access on the committee (read-only 403, outsider 404)
        serializer = CopySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        copy = services.rubric_copy(rubric=rubric, user=request.user, **serializer.validated_data)
        return Response(RubricDetailSerializer(copy).data, status=201)

    @extend_schema(
        summary="某组织按本细则的得分(由记录计算)",
        parameters=[OpenApiParameter("org", str, required=True, description="组织编码;无权查看时返回 404")],
        responses={200: RubricScoreSerializer, **error_responses(403, 404)},
    )
    @action(detail=True, methods=["get"])
    def score(self, request, pk=None):
        rubric = self.get_found_object()
        organization = access.get_organization_for_user(request.user, request.query_params.get("org", ""))
        if not organization.path.startswith(rubric.committee.path):
            raise Http404("该组织不在本细则的适用范围内。")
        scored = selectors.score_organization(rubric, organization, today=timezone.localdate())
        return Response(RubricScoreSerializer(_score_data(organization, scored)).data)
