"""REST API of 观摩/督查 (/api/v1/inspection-rounds/), read-only: the rounds a user may see (readers of the committee
and the team), one with its ranking and showcases, and its inspectors' scores."""

from django.contrib.auth import get_user_model
from django.utils import timezone
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from branches.api_common import AccessViewSetMixin, OrganizationCodeField, PersonNameField
from branches.models import Organization
from common.api import NamedChoiceField, error_responses

from ..rubrics.selectors import get_rubric_for_user
from . import access, selectors, services
from .models import InspectionResult, InspectionRound, InspectionScore, Showcase


def get_round_for_user(user, pk, *, write: bool = False):
    return selectors.get_round_for_user(user, pk)


class RunnerCommitteeField(OrganizationCodeField):
    """The organizing committee: write on it, or SASAC's own organization (inspections/access.py)."""

    def to_internal_value(self, data):
        if not isinstance(data, str) or not data:
            self.fail("invalid")
        committee = Organization.objects.filter(code=data).first()
        if committee is not None and access.is_sasac_runner(self.context["request"].user, committee):
            return committee
        return super().to_internal_value(data)


class ResultSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)

    class Meta:
        model = InspectionResult
        fields = ["organization", "total", "rank", "tied", "veto", "level"]


class ShowcaseSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    kind = NamedChoiceField(Showcase.Kind, enum_name="ShowcaseKindEnum", read_only=True)

    class Meta:
        model = Showcase
        fields = ["organization", "kind", "title", "description"]


class RoundSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code", read_only=True)
    kind = NamedChoiceField(InspectionRound.Kind, enum_name="InspectionRoundKindEnum", read_only=True)
    state = NamedChoiceField(InspectionRound.State, enum_name="InspectionRoundStateEnum", read_only=True)

    class Meta:
        model = InspectionRound
        fields = ["id", "committee", "year", "kind", "title", "rubric", "state", "started_on", "finished_on"]


class RoundDetailSerializer(RoundSerializer):
    results = ResultSerializer(many=True, read_only=True)
    showcases = ShowcaseSerializer(many=True, read_only=True)

    class Meta(RoundSerializer.Meta):
        fields = [*RoundSerializer.Meta.fields, "results", "showcases"]


class InspectionScoreSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True)
    inspector = PersonNameField(help_text="评分人姓名")

    class Meta:
        model = InspectionScore
        fields = ["organization", "item", "inspector", "value", "score", "note", "at"]


class RoundCreateSerializer(serializers.Serializer):
    committee = RunnerCommitteeField(help_text="组织单位编码(需写权限;国资委可为本级)")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    kind = NamedChoiceField(InspectionRound.Kind, enum_name="InspectionRoundKindEnum")
    title = serializers.CharField(max_length=150)
    rubric = serializers.IntegerField(help_text="考核细则 id(本单位或上级党组织的)")
    organizations = serializers.ListField(child=OrganizationCodeField(write=False), min_length=1)
    team = serializers.ListField(child=serializers.CharField(max_length=150), min_length=1, help_text="观摩组成员账号")

    def validate_rubric(self, value):
        return get_rubric_for_user(self.context["request"].user, value)

    def validate_team(self, value):
        users = list(get_user_model().objects.filter(username__in=value, is_active=True))
        if len(users) != len(set(value)):
            raise serializers.ValidationError("有账号不存在或已停用。")
        return users


@extend_schema(tags=["观摩督查"])
@extend_schema_view(
    list=extend_schema(responses={200: RoundSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(responses={200: RoundDetailSerializer, **error_responses(403, 404)}),
)
class InspectionRoundViewSet(
    AccessViewSetMixin,
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = RoundSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(get_round_for_user)
    permission_classes = [IsAuthenticated, access.RunsRoundsOrReadOnly]
    queryset = InspectionRound.objects.none()

    def get_queryset(self):
        return selectors.round_list(self.request.user).order_by("-year", "-started_on", "id")

    def get_serializer_class(self):
        return RoundDetailSerializer if self.action == "retrieve" else RoundSerializer

    @extend_schema(request=RoundCreateSerializer, responses={201: RoundSerializer, **error_responses(400, 403, 404)})
    def create(self, request, *args, **kwargs):
        """A committee opens a round over organizations of its subtree, with its team."""
        serializer = RoundCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        round = services.round_open(**serializer.validated_data, user=request.user, today=timezone.localdate())
        return Response(RoundSerializer(round).data, status=status.HTTP_201_CREATED)

    def get_detail_object(self, found):
        return (
            InspectionRound.objects.select_related("committee")
            .prefetch_related("results__organization", "showcases__organization")
            .get(pk=found.pk)
        )

    @extend_schema(responses={200: InspectionScoreSerializer(many=True), **error_responses(403, 404)})
    @action(detail=True, methods=["get"])
    def scores(self, request, pk=None):
        round = self.get_found_object()
        rows = round.scores.select_related("organization", "inspector").order_by("organization__path", "item_id")
        page = self.paginate_queryset(rows)
        serializer = InspectionScoreSerializer(page if page is not None else rows, many=True)
        return self.get_paginated_response(serializer.data) if page is not None else Response(serializer.data)
