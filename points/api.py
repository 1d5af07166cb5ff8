"""REST API of 党员积分 (/api/v1/points/...): the rule sets (read), a branch's derived points (read) and the manual
items (list, record, approve, refuse). Access as in the pages: readers of the organization read (outsider 404), the
branch records (SASAC 403), a committee member of the branch other than the recorder approves or refuses (else 403).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from branches.access import get_branch_for_user, visible_organizations_q
from branches.api_common import AccessViewSetMixin, MemberIdField, OrganizationCodeField
from common.api import ApiErrorsMixin, error_responses

from . import selectors, services
from .models import ManualItem, Rule, RuleSet

STEP_ERRORS = error_responses(400, 403, 404)


class PointRuleSerializer(serializers.ModelSerializer):
    category = serializers.CharField(read_only=True, help_text="basic 基础评价 / duty 履职尽责 / incentive 激励约束")

    class Meta:
        model = Rule
        fields = [
            "id",
            "order",
            "category",
            "name",
            "source",
            "meeting_kind",
            "points",
            "cap_month",
            "cap_year",
            "evidence",
        ]


class PointRuleSetSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True, help_text="制定党组织编码;默认方案为 null"
    )

    class Meta:
        model = RuleSet
        fields = [
            "id",
            "organization",
            "year",
            "name",
            "star2_min",
            "star3_min",
            "star4_min",
            "star5_min",
            "excellent_top_percent",
        ]


class PointRuleSetDetailSerializer(PointRuleSetSerializer):
    rules = PointRuleSerializer(many=True, read_only=True)

    class Meta(PointRuleSetSerializer.Meta):
        fields = [*PointRuleSetSerializer.Meta.fields, "rules"]


class PointItemSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="code", read_only=True)
    member_name = serializers.CharField(source="member.name", read_only=True)
    rule_name = serializers.CharField(source="rule.name", read_only=True)
    points = serializers.DecimalField(source="rule.points", max_digits=5, decimal_places=1, read_only=True)

    class Meta:
        model = ManualItem
        fields = [
            "id",
            "organization",
            "member",
            "member_name",
            "rule",
            "rule_name",
            "points",
            "occurred_on",
            "reason",
            "state",
            "recorded_at",
            "decided_at",
            "refusal_reason",
        ]


class PointItemCreateSerializer(serializers.Serializer):
    organization = OrganizationCodeField(write=True)
    member = MemberIdField()
    rule = serializers.PrimaryKeyRelatedField(queryset=Rule.objects.filter(source=Rule.Source.MANUAL))
    occurred_on = serializers.DateField()
    reason = serializers.CharField(max_length=500)


class PointRefuseSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class PointRowSerializer(serializers.Serializer):
    member = serializers.IntegerField(source="member.pk")
    name = serializers.CharField(source="member.name")
    months = serializers.ListField(child=serializers.DecimalField(max_digits=7, decimal_places=1))
    total = serializers.DecimalField(max_digits=7, decimal_places=1)
    year_total = serializers.DecimalField(max_digits=7, decimal_places=1)
    rank = serializers.IntegerField()
    stars = serializers.IntegerField()


def _get_rule_set(user, pk, *, write=False):
    return selectors.get_rule_set_for_user(user, pk, write=write)


@extend_schema(tags=["党员积分"])
@extend_schema_view(
    list=extend_schema(responses={200: PointRuleSetSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(responses={200: PointRuleSetDetailSerializer, **error_responses(403, 404)}),
)
class RuleSetViewSet(AccessViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """积分方案: the default and those of the committees the user may see."""

    serializer_class = PointRuleSetSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(_get_rule_set)
    queryset = RuleSet.objects.none()

    def get_queryset(self):
        visible = Q(organization__isnull=True) | visible_organizations_q(self.request.user, "organization__")
        return (
            RuleSet.objects.filter(visible).select_related("organization").order_by("organization__path", "-year", "id")
        )

    def get_serializer_class(self):
        return PointRuleSetDetailSerializer if self.action == "retrieve" else PointRuleSetSerializer


@extend_schema(
    tags=["党员积分"],
    summary="某党支部党员积分表(由记录计算)",
    parameters=[OpenApiParameter("year", int, required=True, description="年度")],
    responses={200: PointRowSerializer(many=True), **error_responses(400, 403, 404)},
)
class BranchPointsView(ApiErrorsMixin, APIView):
    def get(self, request, code):
        branch = get_branch_for_user(request.user, code, message="党员积分按党支部统计,请选择一个党支部。")
        year = request.query_params.get("year", "")
        if not (year.isdigit() and 2000 <= int(year) <= 2100):
            raise serializers.ValidationError({"year": "请提供有效的年度。"})
        table = selectors.branch_table(branch, int(year))
        return Response(PointRowSerializer(table.rows, many=True).data)


@extend_schema(tags=["党员积分"])
@extend_schema_view(
    list=extend_schema(responses={200: PointItemSerializer(many=True), **error_responses(400, 403, 404)}),
    retrieve=extend_schema(responses={200: PointItemSerializer, **error_responses(403, 404)}),
    create=extend_schema(request=PointItemCreateSerializer, responses={201: PointItemSerializer, **STEP_ERRORS}),
)
class ManualItemViewSet(
    AccessViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """积分登记: recorded by the branch (evidence files through the page), approved or refused by another committee member."""

    serializer_class = PointItemSerializer
    lookup_value_regex = r"\d+"
    access_helper = staticmethod(selectors.get_item_for_user)
    queryset = ManualItem.objects.none()

    def get_queryset(self):
        return selectors.items_visible_to(self.request.user).order_by("organization__path", "-occurred_on", "-id")

    def create(self, request, *args, **kwargs):
        serializer = PointItemCreateSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        item = services.item_record(user=request.user, **serializer.validated_data)
        return Response(PointItemSerializer(item).data, status=status.HTTP_201_CREATED)

    def _decider(self):
        item = self.get_found_object()
        if not services.may_decide(self.request.user, item):
            raise PermissionDenied("只有本支部的支部委员可以审批积分登记。")
        return item

    @extend_schema(request=None, responses={200: PointItemSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        item = services.item_approve(item=self._decider(), user=request.user)
        return Response(PointItemSerializer(item).data)

    @extend_schema(request=PointRefuseSerializer, responses={200: PointItemSerializer, **STEP_ERRORS})
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        item = self._decider()
        serializer = PointRefuseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.item_refuse(item=item, reason=serializer.validated_data["reason"], user=request.user)
        return Response(PointItemSerializer(item).data)
