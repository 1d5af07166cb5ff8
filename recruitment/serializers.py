"""API representations of the path. Read serializers describe what the API returns (ID numbers masked, as on every
page); write serializers only validate the payload, and the viewsets hand it to recruitment/services.py."""

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.api_common import MemberIdField, OrganizationCodeField
from branches.models import Member
from branches.people import display_name
from common.api import NamedChoiceField
from meetings.models import Meeting

from . import rules
from .models import Outcome, Person, Stage, Step, StepNumber, ThoughtReport
from .selectors import path_of


class DueSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="步骤序号(1–25)")
    name = serializers.CharField(help_text="步骤名称;第24步按所审批的决议命名")
    due_on = serializers.DateField(allow_null=True, help_text="截止日期;无期限为 null")
    earliest = serializers.DateField(allow_null=True, help_text="最早可记录日期(如确定发展对象须满一年);无为 null")
    committee = serializers.BooleanField(help_text="是否由上级党委记录(备案、预审、谈话、审批)")
    available = serializers.BooleanField(help_text="现在可以记录;false 表示期限已开始计算,但须先记录前序步骤")


class PersonSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="branch.code", read_only=True, help_text="所在党支部编码")
    org_name = serializers.CharField(source="branch.name", read_only=True, help_text="所在党支部名称")
    id_number = serializers.CharField(source="masked_id_number", read_only=True, help_text="身份证号码(脱敏)")
    stage = NamedChoiceField(Stage, enum_name="RecruitmentStageEnum", read_only=True, help_text="阶段")
    status = NamedChoiceField(Person.Status, enum_name="RecruitmentPersonStatusEnum", read_only=True, help_text="状态")
    member = serializers.IntegerField(source="member_id", read_only=True, allow_null=True, help_text="党员 id(审批后)")
    next_steps = serializers.SerializerMethodField(help_text="现在可以记录的步骤及其截止日期,先到期的在前")

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "gender",
            "birth_date",
            "id_number",
            "ethnicity",
            "education",
            "position",
            "org",
            "org_name",
            "stage",
            "status",
            "left_on",
            "left_reason",
            "member",
            "next_steps",
        ]

    @extend_schema_field(DueSerializer(many=True))
    def get_next_steps(self, person) -> list:
        if person.status != Person.Status.ACTIVE:
            return []
        return [
            {
                "number": d.number,
                "name": d.name,
                "due_on": d.due_on,
                "earliest": d.earliest,
                "committee": rules.STEP_RULES[d.number].committee,
                "available": d.available,
            }
            for d in rules.next_steps(path_of(person), timezone.localdate())
        ]


class PersonCreateSerializer(serializers.Serializer):
    org = OrganizationCodeField(help_text="党支部编码;不存在或无权查看返回 404,只读角色返回 403")
    applied_on = serializers.DateField(help_text="递交入党申请书日期(第1步)")
    name = serializers.CharField(max_length=50)
    gender = serializers.ChoiceField(Member.Gender.choices)
    birth_date = serializers.DateField(help_text="递交申请时须年满18岁")
    id_number = serializers.CharField(max_length=18, help_text="18位身份证号码")
    ethnicity = serializers.CharField(max_length=20, default="汉族")
    education = serializers.ChoiceField(Member.Education.choices)
    phone = serializers.CharField(max_length=20, required=False, default="", allow_blank=True)
    position = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)


class StepSerializer(serializers.ModelSerializer):
    number = NamedChoiceField(StepNumber, enum_name="RecruitmentStepEnum", read_only=True, help_text="步骤序号")
    name = serializers.CharField(
        read_only=True, help_text="步骤名称;第24步按所审批的决议命名(转正、延长预备期或取消预备党员资格)"
    )
    org = serializers.CharField(source="organization.code", read_only=True, help_text="记录时所在党支部编码")
    outcome = NamedChoiceField(
        Outcome,
        enum_name="RecruitmentOutcomeEnum",
        read_only=True,
        allow_blank=True,
        help_text="第23步讨论结果;第24步为所审批的决议",
    )
    meeting = serializers.IntegerField(
        source="meeting_id", read_only=True, allow_null=True, help_text="支部大会会议 id"
    )
    member_1 = serializers.IntegerField(source="member_1_id", read_only=True, allow_null=True)
    member_2 = serializers.IntegerField(source="member_2_id", read_only=True, allow_null=True)
    recorded_by = serializers.SerializerMethodField(
        help_text="记录人姓名(账号未填姓名时为用户名);导入或系统记录为 null"
    )
    recorded_by_id = serializers.IntegerField(read_only=True, allow_null=True, help_text="记录人账号 id")

    class Meta:
        model = Step
        fields = [
            "id",
            "person",
            "number",
            "name",
            "date",
            "org",
            "done_by",
            "notes",
            "document_number",
            "late_reason",
            "member_1",
            "member_2",
            "training_days",
            "training_hours",
            "meeting",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "voting_expected",
            "voting_present",
            "publicity_start",
            "publicity_end",
            "outcome",
            "extension_months",
            "recorded_by",
            "recorded_by_id",
            "recorded_at",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, step):
        return display_name(step.recorded_by) if step.recorded_by_id else None


class StepCreateSerializer(serializers.Serializer):
    number = serializers.IntegerField(min_value=1, max_value=25, help_text="步骤序号(1–25)")
    date = serializers.DateField(help_text="步骤日期,不晚于今天")
    done_by = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    notes = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True)
    document_number = serializers.CharField(max_length=100, required=False, default="", allow_blank=True)
    late_reason = serializers.CharField(max_length=200, required=False, default="", allow_blank=True)
    member_1 = MemberIdField(required=False, allow_null=True, help_text="第5步培养联系人 / 第9步入党介绍人(党员 id)")
    member_2 = MemberIdField(required=False, allow_null=True, help_text="第二名联系人/介绍人(党员 id)")
    training_days = serializers.IntegerField(min_value=0, max_value=365, required=False, allow_null=True)
    training_hours = serializers.IntegerField(min_value=0, max_value=2000, required=False, allow_null=True)
    meeting = serializers.IntegerField(
        min_value=1, max_value=2**63 - 1, required=False, allow_null=True, help_text="第15/23步:已召开的支部党员大会 id"
    )
    votes_for = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    votes_against = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    votes_abstain = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)
    publicity_start = serializers.DateField(required=False, allow_null=True)
    publicity_end = serializers.DateField(required=False, allow_null=True)
    outcome = serializers.ChoiceField(Outcome.choices, required=False, default="", allow_blank=True)
    extension_months = serializers.IntegerField(min_value=6, max_value=12, required=False, allow_null=True)

    def meeting_for(self, person, value):
        """The meeting named by id, only among the person's branch's 支部大会 (another's is an unknown id: 400)."""
        if value is None:
            return None
        meeting = Meeting.objects.filter(pk=value, organization=person.branch).first()
        if meeting is None:
            raise serializers.ValidationError({"meeting": "没有找到本支部的该会议。"})
        return meeting


class ThoughtReportSerializer(serializers.ModelSerializer):
    quarter_name = serializers.CharField(read_only=True, help_text="所属季度,如 2025年第一季度")
    org = serializers.CharField(source="organization.code", read_only=True, help_text="记录时所在党支部编码")
    recorded_by = serializers.SerializerMethodField(help_text="记录人用户名;系统记录为 null")

    class Meta:
        model = ThoughtReport
        fields = [
            "id",
            "person",
            "quarter",
            "quarter_name",
            "submitted_on",
            "notes",
            "org",
            "recorded_by",
            "recorded_at",
        ]
        extra_kwargs = {"quarter": {"help_text": "所属季度的第一天"}}

    @extend_schema_field(OpenApiTypes.STR)
    def get_recorded_by(self, report):
        return report.recorded_by.username if report.recorded_by_id else None


class ThoughtReportCreateSerializer(serializers.Serializer):
    quarter = serializers.DateField(help_text="所属季度内任一日期(补交的写所欠的季度)")
    submitted_on = serializers.DateField(help_text="提交日期,不早于所属季度第一天、不晚于今天")
    notes = serializers.CharField(max_length=2000, required=False, default="", allow_blank=True, help_text="摘要")
