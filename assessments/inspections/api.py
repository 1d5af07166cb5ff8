"""REST API of 观摩/督查 (/api/v1/inspection-rounds/), read-only: the rounds a user may see (readers of the committee
and the team), one with its ranking and showcases, and its inspectors' scores."""

from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from branches.api_common import AccessViewSetMixin
from common.api import NamedChoiceField, error_responses

from . import selectors
from .models import InspectionResult, InspectionRound, InspectionScore, Showcase


def get_round_for_user(user, pk, *, write: bool = False):
    return selectors.get_round_for_user(user, pk)


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
    inspector = serializers.CharField(source="inspector.username", read_only=True)

    class Meta:
        model = InspectionScore
        fields = ["organization", "item", "inspector", "value", "score", "note", "at"]


@extend_schema(tags=["观摩督查"])
class InspectionRoundViewSet(
    AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = RoundSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(get_round_for_user)
    queryset = InspectionRound.objects.none()

    def get_queryset(self):
        return selectors.round_list(self.request.user).order_by("-year", "-started_on", "id")

    def get_serializer_class(self):
        return RoundDetailSerializer if self.action == "retrieve" else RoundSerializer

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
