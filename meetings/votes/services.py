"""Writes of a 党员大会's votes. Every caller (the meeting page, the admin, the API) goes through these."""

from django.core.exceptions import ValidationError
from django.db import transaction

from branches import elections, term_rules
from branches import services as branch_services
from branches.models import Member

from ..models import Election, ElectionCandidate, Meeting, Resolution
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


@transaction.atomic
def election_record(
    *, meeting: Meeting, seats: int, candidates: list[tuple[Member, int, bool]], user=None, note: str = ""
) -> Election:
    """The 党员大会 election of a new committee, recorded with the held meeting it took place in.

    应到 (eligible) and 实到 (present) voters are counted from the meeting's attendance; `candidates` are
    (member, votes, elected). Checks (DOMAIN.md "Votes and elections"): present > 4/5 of eligible, candidates ≥
    seats × 1.2, each elected candidate had more than half of the votes of those present, no more elected than seats;
    the procedure's earlier steps were recorded (branches.services.election_result_record)."""
    _held_assembly(meeting, "选举")
    if seats < 1:
        raise ValidationError({"seats": "应选名额至少为1。"})
    if len({member.pk for member, _v, _e in candidates}) != len(candidates):
        raise ValidationError("同一候选人只能登记一次。")
    counted = voters(meeting)
    elections.election_counts_check(
        eligible=counted.expected, present=counted.present, seats=seats, candidates=len(candidates)
    )
    for member, votes, elected in candidates:
        if member.organization_id != meeting.organization_id:
            raise ValidationError(f"{member.name} 不是本支部党员,不能作为候选人。")
        if votes > counted.present:
            raise ValidationError(f"{member.name} 得票 {votes} 张,超过到会有选举权的党员 {counted.present} 人。")
        if elected and not term_rules.elected_by_majority(votes=votes, present=counted.present):
            raise ValidationError(
                f"{member.name} 得票 {votes} 张,未超过到会有选举权党员({counted.present} 人)的半数,不能当选。"
            )
    if sum(1 for _m, _v, elected in candidates if elected) > seats:
        raise ValidationError(f"当选人数超过应选名额({seats} 名)。")
    step = branch_services.election_result_record(
        organization=meeting.organization,
        done_on=meeting.date,
        eligible_voters=counted.expected,
        present_voters=counted.present,
        seats=seats,
        candidates=len(candidates),
        user=user,
        note=note or str(meeting),
    )
    election = Election.objects.create(meeting=meeting, step=step, seats=seats)
    ElectionCandidate.objects.bulk_create(
        ElectionCandidate(election=election, member=member, votes=votes, elected=elected)
        for member, votes, elected in candidates
    )
    return election
