"""Who is expected at a meeting (the roll) and whether enough came (the quorum): read-only rules, no writes.

The quorum rules are data (QUORUM_RULES): the service (meetings/services.py) refuses resolutions with them, the API
reports them, and the record page and static/js/meetings.js receive them (thresholds and messages) instead of a copy.
"""

import datetime
from dataclasses import asdict, dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from branches import standing
from branches.models import CommitteePosition, CommitteeTerm, GroupMembership, Member, Organization
from branches.selectors import members_during

from .models import Meeting

K = Meeting.Kind


# ---- the roll -------------------------------------------------------------------------------------------------


def term_in_force(organization: Organization, day: datetime.date) -> CommitteeTerm | None:
    """The committee term on that day; for a day before any recorded term, the current one.

    Its positions come with their members and the members' organizations in one more query (the 主持人 check
    reads member.organization.path)."""
    positions = CommitteePosition.objects.select_related("member__organization").annotate(
        has_standing=standing.standing_flag("member__")  # roll_members reads the periods of the few who have any
    )
    terms = CommitteeTerm.objects.filter(organization=organization).prefetch_related(
        Prefetch("positions", queryset=positions)
    )
    term = (
        terms.filter(started_on__lte=day)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        .order_by("-started_on")
        .first()
    )
    return term or terms.filter(ended_on__isnull=True).first()


_NO_TERM = object()


def roll_members(
    *,
    organization: Organization,
    kind: str,
    day: datetime.date,
    group: Organization | None = None,
    term: CommitteeTerm | None | object = _NO_TERM,
) -> list[Member]:
    """Who is expected (应到) at a meeting on `day`. Membership periods say who belonged then and standing periods
    whether they were 停止党籍 that day (branches/standing.py); for today and later the member must also still be in
    good standing. `term`: the term in force on `day`, when the caller has it."""
    if kind in (K.BRANCH_COMMITTEE, K.DEMOCRATIC_LIFE):
        if term is _NO_TERM:
            term = term_in_force(organization, day)
        positions = list(term.positions.all()) if term else []
        for p in positions:
            p.member.has_standing = p.has_standing
        members = standing.attach_periods(p.member for p in positions)
        members = [m for m in members if not standing.member_suspended_on(m, day)]
        if day >= timezone.localdate():
            members = [m for m in members if standing.in_good_standing(m)]
        return sorted({m.pk: m for m in members}.values(), key=lambda m: (m.name, m.pk))
    qs = members_during(organization, day, day).filter(standing.good_standing_on_q(day))  # 停止党籍 then: on no roll
    if day >= timezone.localdate():
        qs = qs.in_good_standing()
    if kind == K.GROUP_MEETING:
        # The group each member was in on that day (GroupMembership periods), not today's group.
        qs = qs.filter(pk__in=GroupMembership.objects.on(day).filter(group=group).values("member_id"))
    # has_vote on `day` reads the periods of those who have any: no query per member, none when nobody has one.
    return standing.attach_periods(qs.annotate(has_standing=standing.standing_flag()).order_by("name", "pk"))


def _secretary_of(term: CommitteeTerm | None) -> Member | None:
    if term is None:
        return None
    return next((p.member for p in term.positions.all() if p.role == CommitteePosition.Role.SECRETARY), None)


def has_vote(member: Member, day: datetime.date) -> bool:
    """branches/standing.py: 正式党员 on that day, neither 停止党籍 nor 留党察看 that day (the test of
    MeetingQuerySet.with_counts()); the member's periods come from standing.attach_periods to judge a past day."""
    return standing.has_vote(member, day)


# ---- quorum ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumRule:
    """Enough came when present / expected is more than (strict) or at least `numerator / denominator`, counting only
    members with a vote when `voters_only`; nobody expected is never enough."""

    rule: str  # what the rule is, in Chinese
    refusal: str  # what is said when it is not met
    numerator: int
    denominator: int
    strict: bool
    voters_only: bool = False

    def met(self, present: int, expected: int) -> bool:
        if expected <= 0:
            return False
        if self.strict:
            return present * self.denominator > expected * self.numerator
        return present * self.denominator >= expected * self.numerator

    def as_data(self) -> dict:
        """For the record page's script (json_script): the thresholds and the texts, not a copy of the rule."""
        return asdict(self)


QUORUM_RULES = {
    # 支部工作条例 第十一条: 有表决权的到会党员超过应到会有表决权党员的半数,方可进行表决 (预备党员 have no vote).
    K.BRANCH_ASSEMBLY: QuorumRule(
        "到会有表决权的党员须超过半数",
        "到会有表决权的党员未超过半数,不能作出决议。",
        1,
        2,
        strict=True,
        voters_only=True,
    ),
    # 支部工作条例 第十九条: 支部委员会会议须有半数以上委员到会方能召开.
    K.BRANCH_COMMITTEE: QuorumRule(
        "到会支部委员须超过半数", "到会支部委员未超过半数,不能作出决定。", 1, 2, strict=True
    ),
    # 民主生活会: 应到人数三分之二以上到会. We keep the record of what happened and refuse decisions instead of
    # refusing the record: a secretary must never have to misstate attendance to save a meeting that took place.
    K.DEMOCRATIC_LIFE: QuorumRule(
        "到会人数须达到应到人数的三分之二",
        "到会人数不足应到人数的三分之二,不能作出决议,应另行召开。",
        2,
        3,
        strict=False,
    ),
}


@dataclass(frozen=True)
class Quorum:
    rule: str  # what the rule is, in Chinese
    expected: int
    present: int
    ok: bool
    message: str


def quorum(meeting: Meeting) -> Quorum | None:
    """The decision quorum of the kinds that have one, from the counted roll (None for the other kinds).

    Uses the counts annotated by MeetingQuerySet.with_counts() when present, else counts once."""
    rule = QUORUM_RULES.get(meeting.kind)
    if rule is None:
        return None
    if not hasattr(meeting, "expected_count"):
        counted = Meeting.objects.with_counts().get(pk=meeting.pk)
        for name in ("expected_count", "present_count", "voting_expected_count", "voting_present_count"):
            setattr(meeting, name, getattr(counted, name))
    if rule.voters_only:
        expected, present = meeting.voting_expected_count, meeting.voting_present_count
    else:
        expected, present = meeting.expected_count, meeting.present_count
    ok = rule.met(present, expected)
    return Quorum(rule.rule, expected, present, ok, "" if ok else rule.refusal)
