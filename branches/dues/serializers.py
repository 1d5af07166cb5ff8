"""党费 API serializers: a month is 'yyyy-mm'; the amount due is never sent, it is computed by the service."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.api_common import OrganizationCodeField
from common.periods import parse_month

from .. import access
from ..models import DuesPayment, Member, Membership


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2025-03"})
class MonthField(serializers.Field):
    """A month as 'yyyy-mm' (stored as its first day)."""

    default_error_messages = {"invalid": "月份格式应为 yyyy-mm,如 2025-03。"}

    def to_representation(self, value):
        return f"{value:%Y-%m}"

    def to_internal_value(self, data):
        month = parse_month(data) if isinstance(data, str) else None
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
