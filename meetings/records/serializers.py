"""API representations of 谈心谈话 and 民主评议党员.

Read serializers describe what the API returns; write serializers only validate the payload, and the viewsets hand
`validated_data` to meetings/records/services.py (the single place where rules are enforced).
"""

from rest_framework import serializers

from branches.access import visible_organizations_q
from branches.api_common import OrganizationCodeField, PersonNameField, person_id_field
from branches.models import Member, Membership
from common.api import NamedChoiceField

from ..models import MemberReview, Talk


class RecordMemberRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "name"]


def members_of_visible_branches(user):
    """Members the user may name in a record: anyone who ever belonged to a branch the user can see (a talk or review
    may name a member since transferred out). Others are answered as an unknown id, revealing nothing."""
    return Member.objects.filter(
        pk__in=Membership.objects.filter(visible_organizations_q(user, "organization__")).values("member_id")
    )


class VisibleMemberField(serializers.PrimaryKeyRelatedField):
    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Member.objects.all())  # narrowed per request below; also types the schema
        super().__init__(**kwargs)

    def get_queryset(self):
        return members_of_visible_branches(self.context["request"].user)


# ----- 谈心谈话 -----


class TalkSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="organization.code", read_only=True, help_text="党支部编码")
    org_name = serializers.CharField(source="organization.name", read_only=True, help_text="党支部名称")
    initiator = RecordMemberRefSerializer(read_only=True, help_text="谈话人")
    participants = RecordMemberRefSerializer(many=True, read_only=True, help_text="谈话对象(一次谈话可覆盖多名党员)")
    created_by = PersonNameField(help_text="记录人姓名(账号未填姓名时为用户名)")
    created_by_id = person_id_field("记录人账号 id")

    class Meta:
        model = Talk
        fields = [
            "id",
            "org",
            "org_name",
            "held_on",
            "initiator",
            "participants",
            "summary",
            "created_by",
            "created_by_id",
            "created_at",
        ]


class TalkCreateSerializer(serializers.Serializer):
    org = OrganizationCodeField(help_text="党支部编码;不存在或无权查看返回 404,只读角色返回 403")
    held_on = serializers.DateField(help_text="谈话日期,不晚于今天")
    initiator = VisibleMemberField(help_text="谈话人(党员 id),谈话当日须为本支部党员")
    participants = VisibleMemberField(many=True, help_text="谈话对象(党员 id 列表),谈话当日须为本支部党员")
    summary = serializers.CharField(max_length=2000, help_text="谈话内容摘要")


class TalkUpdateSerializer(serializers.Serializer):
    held_on = serializers.DateField(required=False, help_text="谈话日期,不晚于今天")
    initiator = VisibleMemberField(required=False, help_text="谈话人(党员 id)")
    participants = VisibleMemberField(many=True, required=False, help_text="谈话对象(党员 id 列表)")
    summary = serializers.CharField(max_length=2000, required=False, help_text="谈话内容摘要")


# ----- 民主评议党员 -----


class MemberReviewSerializer(serializers.ModelSerializer):
    org = serializers.CharField(source="organization.code", read_only=True, help_text="党支部编码")
    org_name = serializers.CharField(source="organization.name", read_only=True, help_text="党支部名称")
    member = RecordMemberRefSerializer(read_only=True, help_text="党员")
    grade = NamedChoiceField(
        MemberReview.Grade, enum_name="MemberReviewGradeEnum", read_only=True, help_text="评议等次"
    )
    grade_display = serializers.CharField(source="get_grade_display", read_only=True, help_text="评议等次(中文)")
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="评议会议 id(可空)")
    needs_follow_up = serializers.BooleanField(read_only=True, help_text="不合格且组织处置尚未办结")

    class Meta:
        model = MemberReview
        fields = [
            "id",
            "org",
            "org_name",
            "member",
            "year",
            "grade",
            "grade_display",
            "decided_on",
            "meeting",
            "notes",
            "follow_up_done",
            "needs_follow_up",
        ]


class MemberReviewCreateSerializer(serializers.Serializer):
    org = OrganizationCodeField(help_text="党支部编码;不存在或无权查看返回 404,只读角色返回 403")
    member = VisibleMemberField(help_text="党员 id,该年度须曾属于本支部")
    year = serializers.IntegerField(min_value=1921, max_value=2100, help_text="评议年度")
    grade = NamedChoiceField(MemberReview.Grade, enum_name="MemberReviewGradeEnum", help_text="评议等次")
    decided_on = serializers.DateField(help_text="评议会议日期(该年度或次年,不晚于今天)")
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, default="", help_text="备注")


class MemberReviewUpdateSerializer(serializers.Serializer):
    grade = NamedChoiceField(
        MemberReview.Grade, enum_name="MemberReviewGradeEnum", required=False, help_text="评议等次"
    )
    decided_on = serializers.DateField(required=False, help_text="评议会议日期")
    notes = serializers.CharField(max_length=500, required=False, allow_blank=True, help_text="备注")


class FollowUpDoneSerializer(serializers.Serializer):
    note = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default="", help_text="处置情况,如限期改正、劝其退党"
    )
