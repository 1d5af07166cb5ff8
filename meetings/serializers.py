"""API representations of meetings, attendance and amendments.

Read serializers describe what the API returns; write serializers only validate the payload, and the viewsets hand
`validated_data` to meetings/services.py (the single place where rules are enforced).
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from branches.api_common import MemberIdField, OrganizationCodeField, PersonNameField, person_id_field
from common.api import NamedChoiceField

from . import services
from .models import AgendaItem, Attendance, Meeting, MeetingAmendment


class QuorumSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="规则(中文)")
    expected = serializers.IntegerField(help_text="应到(党员大会为有表决权的正式党员)")
    present = serializers.IntegerField(help_text="实到(党员大会为有表决权的正式党员)")
    ok = serializers.BooleanField(help_text="是否达到作出决议所需人数")
    message = serializers.CharField(help_text="未达到时的说明;达到时为空")


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["order", "title", "is_first_topic"]
        read_only_fields = fields


class AttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True, help_text="党员姓名")
    absence_reason = serializers.CharField(
        read_only=True, help_text="缺席原因:leave 请假、official 因公、sick 病假、unexcused 无故;出席时为空"
    )

    class Meta:
        model = Attendance
        fields = ["member", "member_name", "present", "absence_reason", "note"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    organization = serializers.CharField(source="organization.code", read_only=True, help_text="党组织编码")
    organization_name = serializers.CharField(source="organization.name", read_only=True, help_text="党组织名称")
    group = serializers.CharField(
        source="group.code", read_only=True, allow_null=True, default=None, help_text="党小组编码(仅党小组会)"
    )
    kind = NamedChoiceField(Meeting.Kind, enum_name="MeetingKindEnum", read_only=True, help_text="会议类型代码")
    kind_display = serializers.CharField(source="get_kind_display", read_only=True, help_text="会议类型(中文)")
    status = NamedChoiceField(
        Meeting.Status,
        enum_name="MeetingStatusEnum",
        read_only=True,
        help_text="planned 计划、held 已召开、archived 已归档",
    )
    host_name = serializers.CharField(source="host.name", read_only=True, allow_null=True, default=None)
    recorder_name = serializers.CharField(source="recorder.name", read_only=True, allow_null=True, default=None)
    lecturer_display = serializers.CharField(read_only=True, help_text="授课人姓名(本组织党员或外请)")
    agenda = AgendaItemSerializer(source="agenda_items", many=True, read_only=True, help_text="议题,第一议题在前")
    expected_count = serializers.IntegerField(read_only=True, help_text="应到人数(由出席记录计算)")
    present_count = serializers.IntegerField(read_only=True, help_text="实到人数(由出席记录计算)")
    quorum = serializers.SerializerMethodField(help_text="作出决议的到会人数要求;无此要求的会议类型为 null")

    class Meta:
        model = Meeting
        fields = [
            "id",
            "organization",
            "organization_name",
            "group",
            "kind",
            "kind_display",
            "status",
            "date",
            "start_time",
            "end_time",
            "place",
            "topic",
            "host",
            "host_name",
            "host_role",
            "recorder",
            "recorder_name",
            "lecturer",
            "lecturer_name",
            "lecturer_display",
            "first_topic_flag",
            "first_topic",
            "agenda",
            "content",
            "votes",
            "resolutions",
            "open_items",
            "non_member_attendees",
            "expected_count",
            "present_count",
            "quorum",
            "created_at",
            "held_at",
            "archived_at",
        ]
        read_only_fields = fields

    @extend_schema_field(QuorumSerializer(allow_null=True))
    def get_quorum(self, meeting):
        q = services.quorum(meeting)
        return QuorumSerializer(q).data if q else None


_MEMBER_HELP = "党员 id(须为本组织及下级的党员;无权查看返回 404)"


class _MeetingFieldsSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, help_text="会议日期")
    start_time = serializers.TimeField(required=False, allow_null=True, help_text="开始时间 HH:MM")
    end_time = serializers.TimeField(required=False, allow_null=True, help_text="结束时间 HH:MM")
    place = serializers.CharField(required=False, allow_blank=True, max_length=200, help_text="地点")
    topic = serializers.CharField(required=False, max_length=200, help_text="会议主题")
    host = MemberIdField(required=False, allow_null=True, help_text=f"主持人:{_MEMBER_HELP}")
    host_role = serializers.CharField(required=False, allow_blank=True, max_length=50, help_text="主持人职务")
    recorder = MemberIdField(required=False, allow_null=True, help_text=f"记录人:{_MEMBER_HELP}")
    lecturer = MemberIdField(required=False, allow_null=True, help_text=f"授课人(党课):{_MEMBER_HELP}")
    lecturer_name = serializers.CharField(required=False, allow_blank=True, max_length=100, help_text="外请授课人姓名")
    first_topic = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="第一议题(学习内容);填写即标记含第一议题"
    )
    agenda = serializers.ListField(
        child=serializers.CharField(max_length=300), required=False, help_text="其他议题,按顺序(整体替换)"
    )


class _RecordFieldsSerializer(_MeetingFieldsSerializer):
    content = serializers.CharField(required=False, allow_blank=True, help_text="会议内容及讨论情况")
    votes = serializers.CharField(required=False, allow_blank=True, help_text="表决情况")
    resolutions = serializers.CharField(required=False, allow_blank=True, help_text="会议决议;到会人数不足时拒绝(400)")
    open_items = serializers.CharField(required=False, allow_blank=True, help_text="待办事项")
    non_member_attendees = serializers.CharField(
        required=False, allow_blank=True, max_length=300, help_text="列席人员(非本组织党员)"
    )


class MeetingCreateSerializer(_MeetingFieldsSerializer):
    organization = OrganizationCodeField(write=True, help_text="党组织编码(须有维护权限)")
    group = OrganizationCodeField(
        write=True, required=False, allow_null=True, help_text="党小组编码:仅党小组会,且必须填写"
    )
    kind = NamedChoiceField(Meeting.Kind, enum_name="MeetingKindEnum", help_text="会议类型代码")
    date = serializers.DateField(help_text="会议日期;参会名单按该日的组织关系生成")
    topic = serializers.CharField(max_length=200, help_text="会议主题")


class MeetingUpdateSerializer(_RecordFieldsSerializer):
    """PATCH: any subset of the fields; refused (409) once the meeting is archived."""


class AbsentSerializer(serializers.Serializer):
    member = serializers.IntegerField(help_text="缺席党员 id(须在参会名单中)")
    absence_reason = NamedChoiceField(
        Attendance.AbsenceReason, enum_name="AbsenceReasonEnum", help_text="缺席原因:leave/official/sick/unexcused"
    )
    note = serializers.CharField(required=False, allow_blank=True, max_length=200, default="", help_text="说明")


class AttendancePutSerializer(serializers.Serializer):
    absent = AbsentSerializer(many=True, help_text="缺席人员及原因;名单中其他人均记为出席")

    def absent_map(self) -> dict:
        return {row["member"]: (row["absence_reason"], row["note"]) for row in self.validated_data["absent"]}


class MeetingHoldSerializer(_RecordFieldsSerializer):
    absent = AbsentSerializer(many=True, required=False, help_text="缺席人员及原因;名单中其他人均记为出席")

    def absent_map(self) -> dict:
        return {row["member"]: (row["absence_reason"], row["note"]) for row in self.validated_data.get("absent", [])}


class AttendanceListSerializer(serializers.Serializer):
    expected_count = serializers.IntegerField(help_text="应到")
    present_count = serializers.IntegerField(help_text="实到")
    quorum = QuorumSerializer(allow_null=True, help_text="决议所需到会人数;无此要求时为 null")
    rows = AttendanceSerializer(many=True)


class AmendmentSerializer(serializers.ModelSerializer):
    created_by = PersonNameField(help_text="更正人姓名(账号未填姓名时为用户名)")
    created_by_id = person_id_field("更正人账号 id")
    changes = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField(allow_blank=True), min_length=2, max_length=2),
        read_only=True,
        help_text="{字段: [原值, 新值]}",
    )

    class Meta:
        model = MeetingAmendment
        fields = ["id", "created_by", "created_by_id", "created_at", "reason", "changes"]
        read_only_fields = fields


class AttendanceCorrectionSerializer(serializers.Serializer):
    present = serializers.BooleanField(help_text="是否出席")
    reason = serializers.ChoiceField(
        choices=Attendance.AbsenceReason.choices, required=False, allow_blank=True, help_text="缺席原因"
    )
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, help_text="说明")


class AmendmentCreateSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500, help_text="更正原因")
    changes = serializers.DictField(
        child=serializers.CharField(allow_blank=True),
        required=False,
        help_text=f"{{字段: 新值}};可更正的字段:{', '.join(services.AMENDABLE_FIELDS)}(党员字段填姓名)",
    )
    attendance = serializers.DictField(
        child=AttendanceCorrectionSerializer(),
        required=False,
        help_text='{党员 id: {"present": true} 或 {"present": false, "reason": 缺席原因, "note": 说明}};'
        "更正后的出席情况写入参会名单,指标和党员积分随之变化",
    )

    def validate(self, data):
        if "attendance" in data:
            data["attendance"] = {
                member: None if entry["present"] else (entry.get("reason", ""), entry.get("note", ""))
                for member, entry in data["attendance"].items()
            }
        return data
