"""API representations of organizations, members and committee terms.

Read serializers describe what the API returns; write serializers only validate the payload, and the viewsets
hand `validated_data` to branches/services.py (the single place where rules are enforced).
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.api import NamedChoiceField

from . import id_lookup
from .access import client_ip
from .api_common import MemberIdField, OrganizationCodeField
from .models import CommitteePosition, CommitteeTerm, Enterprise, Member, Membership, Organization
from .selectors import term_status
from .services import MEMBER_EDITABLE_FIELDS
from .validators import id_number_error, normalize_id_number


class EnterpriseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Enterprise
        fields = ["code", "name"]


class OrganizationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organization
        fields = ["code", "name"]


# ----- organizations -----


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="组织类别(中文)")
    status = NamedChoiceField(Organization.Status, enum_name="OrganizationStatusEnum", read_only=True, help_text="状态")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="状态(中文)")
    enterprise = EnterpriseSerializer(read_only=True, allow_null=True, help_text="所属企业")
    parent = serializers.CharField(
        source="parent_code", read_only=True, allow_null=True, help_text="上级组织编码;根组织为 null"
    )
    depth = serializers.IntegerField(read_only=True, help_text="层级,根组织为1")
    member_count = serializers.IntegerField(
        read_only=True,
        help_text="在籍党员数(正常、流动、停止党籍):党委/党总支含所辖全部支部,党小组为本小组党员",
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "kind",
            "kind_display",
            "enterprise",
            "established_on",
            "status",
            "status_display",
            "parent",
            "depth",
            "member_count",
        ]
        read_only_fields = fields


class OrganizationCreateSerializer(serializers.ModelSerializer):
    parent = OrganizationCodeField(write=True, help_text="上级组织编码(须有该组织的维护权限)")
    enterprise = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
        help_text="所属企业编码;不填则沿用上级组织的企业",
    )

    class Meta:
        model = Organization
        fields = ["parent", "code", "name", "kind", "enterprise", "established_on"]


class OrganizationUpdateSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Enterprise.objects.all(),
        required=False,
        allow_null=True,
        help_text="所属企业编码",
    )
    status = NamedChoiceField(
        Organization.Status, enum_name="OrganizationStatusEnum", required=False, help_text="状态;撤销组织用 dissolved"
    )
    reason = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=100,
        help_text="修改原因:改成立日期或状态时必填(仅上级党委可改),记入修改记录",
    )  # fmt: skip

    class Meta:
        model = Organization
        fields = ["name", "enterprise", "established_on", "status", "reason"]


# ----- members -----


class MembershipSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True, help_text="党支部")

    class Meta:
        model = Membership
        fields = ["organization", "started_on", "ended_on", "note"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    id_number = serializers.SerializerMethodField(
        help_text="身份证号码,默认一律脱敏(仅显示后四位,如 **************123X)。党委工作人员(所辖)与管理员加查询参数 "
        "reveal_id=1 时返回全号,每次返回全号都记入身份证号码查看记录"
    )
    id_number_masked = serializers.SerializerMethodField(help_text="id_number 是否为脱敏号码")
    gender_display = serializers.CharField(source="get_gender_display", read_only=True, help_text="性别(中文)")
    education_display = serializers.CharField(source="get_education_display", read_only=True, help_text="学历(中文)")
    category_display = serializers.CharField(source="get_category_display", read_only=True, help_text="党员类别(中文)")
    status = NamedChoiceField(Member.Status, enum_name="MemberStatusEnum", read_only=True, help_text="党籍状态")
    status_display = serializers.CharField(source="get_status_display", read_only=True, help_text="党籍状态(中文)")
    dues_class_display = serializers.CharField(
        source="get_dues_class_display", read_only=True, help_text="党费计算类别(中文)"
    )
    organization = OrganizationRefSerializer(read_only=True, help_text="所在党支部")
    group = OrganizationRefSerializer(read_only=True, allow_null=True, help_text="党小组")

    class Meta:
        model = Member
        fields = [
            "id",
            "name",
            "gender",
            "gender_display",
            "ethnicity",
            "birth_date",
            "education",
            "education_display",
            "id_number",
            "id_number_masked",
            "phone",
            "joined_on",
            "full_on",
            "category",
            "category_display",
            "position",
            "organization",
            "group",
            "status",
            "status_display",
            "dues_class",
            "dues_class_display",
            "dues_base",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    def _full_id_number_allowed(self, member) -> bool:
        # Only what the view revealed (and audited) through services.id_number_reveal() is shown in full.
        return member.pk in self.context.get("revealed_id_numbers", ())

    def get_id_number(self, member) -> str:
        return member.id_number if self._full_id_number_allowed(member) else member.masked_id_number

    def get_id_number_masked(self, member) -> bool:
        return not self._full_id_number_allowed(member)


class MemberDetailSerializer(MemberSerializer):
    memberships = MembershipSerializer(many=True, read_only=True, help_text="组织关系转接记录(按转入日期)")

    class Meta(MemberSerializer.Meta):
        fields = [*MemberSerializer.Meta.fields, "memberships"]
        read_only_fields = fields


class MemberUpdateSerializer(serializers.ModelSerializer):
    id_number = serializers.CharField(max_length=18, help_text="18位身份证号码(写入时填写完整号码;读取时按角色脱敏)")
    group = OrganizationCodeField(
        write=True, required=False, allow_null=True, help_text="党小组编码(须属于所在党支部);null 表示不在党小组"
    )
    status = NamedChoiceField(Member.Status, enum_name="MemberStatusEnum", required=False, help_text="党籍状态")

    class Meta:
        model = Member
        fields = list(MEMBER_EDITABLE_FIELDS)

    def validate_id_number(self, value):
        # The service checks again (full_clean); checking here names the field in the answer.
        value = normalize_id_number(value)
        error = id_number_error(value)
        if error:
            raise serializers.ValidationError(error)
        request = self.context.get("request")
        refusal = id_lookup.id_number_refusal(
            user=getattr(request, "user", None),
            id_number=value,
            exclude_pk=getattr(self.instance, "pk", None),
            via="api",
            ip=client_ip(request) if request is not None else None,
        )  # a number held outside the user's scope: transfer guidance, audited (issue 12 point 2)
        if refusal:
            raise serializers.ValidationError(refusal)
        return value


class MemberCreateSerializer(MemberUpdateSerializer):
    organization = OrganizationCodeField(write=True, help_text="所在党支部编码(须有该支部的维护权限)")
    joined_branch_on = serializers.DateField(required=False, help_text="组织关系转入本支部的日期;不填则为入党日期")

    class Meta(MemberUpdateSerializer.Meta):
        fields = ["organization", "joined_branch_on", *MEMBER_EDITABLE_FIELDS]


class MemberTransferSerializer(serializers.Serializer):
    to = OrganizationCodeField(write=True, help_text="转入党支部编码(须同时有转出、转入支部的维护权限)")
    on = serializers.DateField(help_text="转接日期")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")


# ----- committee terms -----


class PositionSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, help_text="党员 id")
    member_name = serializers.CharField(source="member.name", read_only=True, help_text="党员姓名")
    role_display = serializers.CharField(source="get_role_display", read_only=True, help_text="职务(中文)")

    class Meta:
        model = CommitteePosition
        fields = ["member", "member_name", "role", "role_display"]
        read_only_fields = fields


TERM_STATES = [
    ("ok", "正常"),
    ("expiring", "即将届满(6个月内)"),
    ("overdue", "已超期未换届"),
    ("ended", "已换届(往届)"),
]


class TermSerializer(serializers.ModelSerializer):
    organization = OrganizationRefSerializer(read_only=True, help_text="党组织")
    expires_on = serializers.DateField(read_only=True, help_text="届满日期:开始日期 + 任期 + 批准延期")
    days_to_expiry = serializers.SerializerMethodField(
        help_text="距届满天数(以北京时间今日计;负数为已超期);往届为 null"
    )
    state = serializers.SerializerMethodField(help_text="届次状态")
    is_current = serializers.BooleanField(read_only=True, help_text="是否本届(当前)委员会")
    positions = PositionSerializer(many=True, read_only=True, help_text="委员及职务")

    class Meta:
        model = CommitteeTerm
        fields = [
            "id",
            "organization",
            "has_committee",
            "started_on",
            "term_years",
            "extension_months",
            "extension_approved_on",
            "extension_document",
            "early_election_approved_on",
            "early_election_document",
            "approval_document",
            "ended_on",
            "is_current",
            "expires_on",
            "days_to_expiry",
            "state",
            "note",
            "positions",
        ]
        read_only_fields = fields

    def get_days_to_expiry(self, term) -> int | None:
        return term.days_to_expiry(timezone.localdate()) if term.is_current else None

    @extend_schema_field(serializers.ChoiceField(choices=TERM_STATES))
    def get_state(self, term):
        if not term.is_current:
            return "ended"
        return term_status(term, timezone.localdate()).state


class PositionWriteSerializer(serializers.Serializer):
    member = MemberIdField(help_text="党员 id(须为可见的党员;党支部的委员须为本支部党员)")
    role = serializers.ChoiceField(choices=CommitteePosition.Role.choices, help_text="职务")


class TermCreateSerializer(serializers.Serializer):
    organization = OrganizationCodeField(write=True, help_text="党组织编码(须有该组织的维护权限)")
    started_on = serializers.DateField(help_text="本届开始日期;当前届次于该日结束")
    has_committee = serializers.BooleanField(
        default=True, help_text="是否设立委员会(正式党员不足7人的党支部不设委员会,只设书记)"
    )
    term_years = serializers.IntegerField(
        required=False, allow_null=True, min_value=1, max_value=10, help_text="任期(年);不填按组织类别的默认任期"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="备注")
    approval_document = serializers.CharField(
        max_length=100,
        required=False,
        allow_blank=True,
        default="",
        help_text="上级批复文号:新成立党组织的第一届依据上级批复产生时填写;换届须先登记党员大会选举结果",
    )
    positions = PositionWriteSerializer(many=True, help_text="委员及职务")


class TermEarlyElectionSerializer(serializers.Serializer):
    approved_on = serializers.DateField(help_text="上级批准提前换届的日期")
    document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="批复文号")


class TermExtendSerializer(serializers.Serializer):
    months = serializers.IntegerField(help_text="批准延期月数,1至12个月(关于党的基层组织任期的意见)")
    approved_on = serializers.DateField(help_text="上级批准日期")
    document = serializers.CharField(max_length=100, required=False, allow_blank=True, default="", help_text="批复文号")
