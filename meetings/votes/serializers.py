"""API representations of a 党员大会's votes: resolutions (赞成/反对/弃权 and whether it passed) and elections.

Read serializers describe the answers; write serializers only validate the payload, and the viewsets hand it to
meetings/votes/services.py, where the rules are (DOMAIN.md "Votes and elections")."""

from rest_framework import serializers

from branches.api_common import MemberIdField

from ..models import Election, ElectionCandidate, Meeting, Resolution
from ..selectors import get_meeting_for_user
from .rules import resolution_passed


class MeetingIdField(serializers.PrimaryKeyRelatedField):
    """A meeting named by id in a request body, fetched for writing: unknown or invisible -> 404, read-only -> 403."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Meeting.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not str(data).isdigit():
            self.fail("incorrect_type", data_type=type(data).__name__)
        return get_meeting_for_user(self.context["request"].user, int(data), write=True)


class _MeetingRefFields(serializers.Serializer):
    meeting = serializers.IntegerField(source="meeting_id", read_only=True, help_text="党员大会(会议 id)")
    meeting_date = serializers.DateField(source="meeting.date", read_only=True, help_text="会议日期")
    org = serializers.CharField(source="meeting.organization.code", read_only=True, help_text="党支部编码")
    org_name = serializers.CharField(source="meeting.organization.name", read_only=True, help_text="党支部名称")


class ResolutionSerializer(_MeetingRefFields, serializers.ModelSerializer):
    voting_expected = serializers.SerializerMethodField(help_text="应到会有表决权的党员人数(由出席记录计算)")
    voting_present = serializers.SerializerMethodField(help_text="实到会有表决权的党员人数(由出席记录计算)")
    passed = serializers.SerializerMethodField(
        help_text="是否通过:赞成票超过应到会有表决权党员的半数(支部工作条例 第十一条)"
    )

    class Meta:
        model = Resolution
        fields = [
            "id",
            "meeting",
            "meeting_date",
            "org",
            "org_name",
            "text",
            "votes_for",
            "votes_against",
            "votes_abstain",
            "voting_expected",
            "voting_present",
            "passed",
            "created_at",
        ]

    def _voters(self, resolution):
        return self.context["voters"][resolution.meeting_id]

    def get_voting_expected(self, resolution) -> int:
        return self._voters(resolution).expected

    def get_voting_present(self, resolution) -> int:
        return self._voters(resolution).present

    def get_passed(self, resolution) -> bool:
        return resolution_passed(votes_for=resolution.votes_for, voting_expected=self._voters(resolution).expected)


class ResolutionCreateSerializer(serializers.Serializer):
    meeting = MeetingIdField(help_text="已召开的支部党员大会(会议 id;须有维护权限)")
    text = serializers.CharField(max_length=300, help_text="表决事项")
    votes_for = serializers.IntegerField(min_value=0, help_text="赞成票")
    votes_against = serializers.IntegerField(min_value=0, default=0, help_text="反对票")
    votes_abstain = serializers.IntegerField(min_value=0, default=0, help_text="弃权票")


class CandidateSerializer(serializers.ModelSerializer):
    member = serializers.IntegerField(source="member_id", read_only=True, help_text="党员 id")
    member_name = serializers.CharField(source="member.name", read_only=True, help_text="姓名")

    class Meta:
        model = ElectionCandidate
        fields = ["member", "member_name", "votes", "elected"]


class ElectionSerializer(_MeetingRefFields, serializers.ModelSerializer):
    eligible_voters = serializers.IntegerField(
        source="step.eligible_voters", read_only=True, help_text="应到有选举权的党员(由出席记录计算)"
    )
    present_voters = serializers.IntegerField(
        source="step.present_voters", read_only=True, help_text="实到有选举权的党员(由出席记录计算)"
    )
    step = serializers.IntegerField(source="step_id", read_only=True, help_text="换届程序记录 id(党员大会选举)")
    note = serializers.CharField(source="step.note", read_only=True, help_text="说明")
    candidates = CandidateSerializer(many=True, read_only=True, help_text="候选人及得票,得票多者在前")

    class Meta:
        model = Election
        fields = [
            "id",
            "meeting",
            "meeting_date",
            "org",
            "org_name",
            "seats",
            "eligible_voters",
            "present_voters",
            "step",
            "note",
            "candidates",
        ]


class CandidateWriteSerializer(serializers.Serializer):
    member = MemberIdField(help_text="候选人(党员 id,须为本支部党员)")
    votes = serializers.IntegerField(min_value=0, help_text="得票数")
    elected = serializers.BooleanField(default=False, help_text="是否当选")


class ElectionCreateSerializer(serializers.Serializer):
    meeting = MeetingIdField(help_text="已召开的支部党员大会(会议 id;须有维护权限)")
    seats = serializers.IntegerField(min_value=1, max_value=7, help_text="应选名额")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="", help_text="说明")
    candidates = CandidateWriteSerializer(many=True, help_text="候选人及得票")
