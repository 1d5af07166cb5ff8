"""Writes of a 党员大会's votes. Every caller (the meeting page, the admin, the API) goes through these."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Meeting, Resolution
from ..services import _lock, _refuse_archived
from .selectors import voters

K = Meeting.Kind


def _held_assembly(meeting: Meeting, what: str) -> None:
    if meeting.kind != K.BRANCH_ASSEMBLY:
        raise ValidationError(f"{what}只能在支部党员大会上进行。")
    _lock(meeting)
    _refuse_archived(meeting, f"登记{what}")
    if meeting.status != Meeting.Status.HELD:
        raise ValidationError(f"会议登记召开后,才能登记{what}。")


@transaction.atomic
def resolution_record(
    *, meeting: Meeting, text: str, votes_for: int, votes_against: int = 0, votes_abstain: int = 0, user=None
) -> Resolution:
    """A resolution put to the vote, with its counts (支部工作条例 第十一条); whether it passed is derived."""
    _held_assembly(meeting, "表决")
    if not text.strip():
        raise ValidationError({"text": "请填写表决事项。"})
    counted = voters(meeting)
    # 支部工作条例 第十一条: 有表决权的到会党员超过应到会有表决权党员的半数,方可进行表决.
    if counted.present * 2 <= counted.expected:
        raise ValidationError(
            f"到会有表决权的党员未超过半数,不能进行表决(应到 {counted.expected} 人,实到 {counted.present} 人)。"
        )
    if min(votes_for, votes_against, votes_abstain) < 0:
        raise ValidationError("票数不能为负数。")
    if votes_for + votes_against + votes_abstain > counted.present:
        raise ValidationError(
            f"赞成、反对、弃权合计 {votes_for + votes_against + votes_abstain} 票,"
            f"超过到会有表决权的党员 {counted.present} 人。"
        )
    return Resolution.objects.create(
        meeting=meeting,
        text=text.strip(),
        votes_for=votes_for,
        votes_against=votes_against,
        votes_abstain=votes_abstain,
    )
