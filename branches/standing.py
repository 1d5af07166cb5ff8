"""Standing of members (DOMAIN.md "Standing of members"; 党员教育管理工作条例, 党章 第四十条): the one statement of who is
on the rolls, who owes dues and is owed talks and reviews, and who has a vote. Rolls (meetings/attendance.py), the
quorum (meetings/models/meeting.py), dues (branches/dues, meetings/plan), coverage (meetings/plan) and reviews
(meetings/records) all call it.

- 停止党籍 (`suspended`): still on the books of the branch (Member.COUNTED_STATUSES: the 花名册 lists them), but not on
  any roll, no vote, owes no dues, not owed talks or reviews, not counted in any quorum or coverage.
- 留党察看 (`disciplinary_probation`): takes part in organizational life and pays dues, but has no vote and cannot elect
  or be elected.
- 预备党员: no vote, cannot elect or be elected. In 民主评议 they take part; whether they are graded is local practice
  (settings.PROBATIONARY_REVIEW_GRADED, default False: "参加评议,不评定等次"); 优秀 is never given to a 预备党员.
Only 正式党员 in good standing, not under 留党察看, count as voters.

No model import here: branches/models/members.py builds its QuerySet methods on these.
"""

import datetime

from django.conf import settings
from django.db.models import Q

# Member.Status values (strings, so the models can import this module).
GOOD_STANDING_STATUSES = ("normal", "mobile")
SUSPENDED = "suspended"
PROBATION = "probation"  # 留党察看 (StandingPeriod.Kind)


def good_standing_q(prefix: str = "") -> Q:
    """Members in good standing: on the rolls, owing dues, owed talks and reviews (not 停止党籍, not gone)."""
    return Q(**{f"{prefix}status__in": GOOD_STANDING_STATUSES})


def not_suspended_q(prefix: str = "") -> Q:
    """For a past roll: members who left or died later stay on the roll of the day they belonged, but a 停止党籍 member
    is on no roll and in no quorum."""
    return ~Q(**{f"{prefix}status": SUSPENDED})


def belongs_on_q(day: datetime.date, prefix: str = "") -> Q:
    """Membership periods (组织关系) in force on `day`: half-open [started_on, ended_on), so on the day of a transfer
    the member belongs to the new branch. The one half-open rule (branches.selectors.members_during uses it too)."""
    return Q(**{f"{prefix}started_on__lte": day}) & (
        Q(**{f"{prefix}ended_on__isnull": True}) | Q(**{f"{prefix}ended_on__gt": day})
    )


def belongs_on(started_on: datetime.date, ended_on: datetime.date | None, day: datetime.date) -> bool:
    return started_on <= day and (ended_on is None or ended_on > day)


def in_good_standing(member) -> bool:
    return member.status in GOOD_STANDING_STATUSES


def has_vote(member, day: datetime.date) -> bool:
    """voter_on_q for one member: 正式党员 on that day, neither 停止党籍 nor 留党察看 that day (预备党员 have no vote).
    Prefetch "standing_periods" to judge a past day by its periods (no query here); without them, today's values."""
    full = member.full_on is not None and member.full_on <= day
    return full and not member_suspended_on(member, day) and not member_on_probation_on(member, day)


# ---------------------------------------------------------------- dated standing (branches/models/standing.py)
# 停止党籍 and 留党察看 are dated periods: a past day is judged by the periods in force that day, not today's values.


def kinds_on(periods, day: datetime.date) -> set[str]:
    """The standing kinds (SUSPENDED, PROBATION) in force on `day` among a member's periods (pre-fetched: no query)."""
    return {p.kind for p in periods if belongs_on(p.started_on, p.ended_on, day)}


def suspended_on(periods, day: datetime.date) -> bool:
    """停止党籍 on `day`: on no roll, no vote, owes no dues, not owed talks or reviews, in no quorum or coverage."""
    return SUSPENDED in kinds_on(periods, day)


def has_vote_on(member, periods, day: datetime.date) -> bool:
    """The vote on `day` from the dated periods: 正式党员 by then, neither 停止党籍 nor 留党察看 that day."""
    return member.full_on is not None and member.full_on <= day and not kinds_on(periods, day)


def _day_ref(day):
    """`day` inside a StandingPeriod subquery: a date as is; an F expression names a field of the outer query."""
    from django.db.models import F, OuterRef

    return OuterRef(day.name) if isinstance(day, F) else day


def standing_on_q(kind: str, day, prefix: str = "") -> Q:
    """Members (through `prefix`) with a `kind` period in force on `day` (a date, or F("date") of the outer query)."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    day = _day_ref(day)
    periods = apps.get_model("branches", "StandingPeriod").objects.filter(
        member=OuterRef(f"{prefix}pk"), kind=kind, started_on__lte=day
    )
    periods = periods.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
    return Q(Exists(periods))


def _unrecorded_q(kind: str, prefix: str) -> Q:
    """Members with no `kind` period at all: rows written before the periods (or by tests and fixtures setting the
    fields directly) are judged by today's values, on every day."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    periods = apps.get_model("branches", "StandingPeriod").objects.filter(member=OuterRef(f"{prefix}pk"), kind=kind)
    return ~Q(Exists(periods))


def suspended_on_q(day, prefix: str = "") -> Q:
    """停止党籍 on `day`: a suspension period in force that day (or, with none recorded, today's status)."""
    legacy = Q(**{f"{prefix}status": SUSPENDED}) & _unrecorded_q(SUSPENDED, prefix)
    return standing_on_q(SUSPENDED, day, prefix) | legacy


def probation_on_q(day, prefix: str = "") -> Q:
    """留党察看 on `day`: a probation period in force that day (or, with none recorded, today's flag)."""
    legacy = Q(**{f"{prefix}disciplinary_probation": True}) & _unrecorded_q(PROBATION, prefix)
    return standing_on_q(PROBATION, day, prefix) | legacy


def good_standing_on_q(day, prefix: str = "") -> Q:
    """Members in good standing on a past `day`: not gone (membership periods decide who belonged), not 停止党籍 then."""
    return ~suspended_on_q(day, prefix)


def voter_on_q(day, prefix: str = "") -> Q:
    """Members with a vote on `day` (a date or F("date") of the meeting): 正式党员 by then, neither 停止党籍 nor
    留党察看 that day (who left later keeps the vote they had on a past day)."""
    return (
        Q(**{f"{prefix}full_on__isnull": False, f"{prefix}full_on__lte": day})
        & ~suspended_on_q(day, prefix)
        & ~probation_on_q(day, prefix)
    )


def standing_flag(prefix: str = ""):
    """Annotate as `has_standing`: whether the member (through `prefix`) has any standing period at all, so that
    attach_periods reads the periods of those few only (no query when nobody has one)."""
    from django.apps import apps
    from django.db.models import Exists, OuterRef

    return Exists(apps.get_model("branches", "StandingPeriod").objects.filter(member=OuterRef(f"{prefix}pk")))


def attach_periods(members) -> list:
    """Prefetch "standing_periods" of the members annotated has_standing=True (standing_flag): one query, none when no
    member has a period; the others are judged by today's values (member_suspended_on). Returns the members."""
    from django.db.models import prefetch_related_objects

    members = list(members)
    prefetch_related_objects([m for m in members if getattr(m, "has_standing", False)], "standing_periods")
    return members


class _WithPeriods:
    """A member row (a values_list row, say) seen with its standing periods, for the member_* helpers below."""

    def __init__(self, row, periods):
        self._row = row
        self.standing_periods_loaded = periods

    def __getattr__(self, name):
        return getattr(self._row, name)


def with_periods(row, periods):
    """`row` as the member_* helpers read it, with `periods` standing for its prefetched standing periods."""
    return _WithPeriods(row, periods) if periods else row


def _periods(member):
    """The member's periods when they were loaded (prefetch_related("standing_periods"), or with_periods), else
    None."""
    loaded = getattr(member, "standing_periods_loaded", None)
    if loaded is not None:
        return list(loaded)
    cache = getattr(member, "_prefetched_objects_cache", {})
    return list(cache["standing_periods"]) if "standing_periods" in cache else None


def member_suspended_on(member, day: datetime.date) -> bool:
    """suspended_on_q for one member whose periods were prefetched (without them: today's status)."""
    periods = _periods(member)
    if periods is None or not any(p.kind == SUSPENDED for p in periods):
        return getattr(member, "status", None) == SUSPENDED
    return suspended_on(periods, day)


def member_on_probation_on(member, day: datetime.date) -> bool:
    periods = _periods(member)
    if periods is None or not any(p.kind == PROBATION for p in periods):
        return bool(getattr(member, "disciplinary_probation", False))
    return PROBATION in kinds_on(periods, day)


def review_graded(member, day: datetime.date) -> bool:
    """Whether the member receives a grade in 民主评议: 正式党员 always; a 预备党员 only where local practice grades them
    (settings.PROBATIONARY_REVIEW_GRADED)."""
    full = member.full_on is not None and member.full_on <= day
    return full or getattr(settings, "PROBATIONARY_REVIEW_GRADED", False)


__all__ = [
    "GOOD_STANDING_STATUSES",
    "PROBATION",
    "SUSPENDED",
    "belongs_on",
    "attach_periods",
    "with_periods",
    "belongs_on_q",
    "good_standing_on_q",
    "good_standing_q",
    "has_vote",
    "has_vote_on",
    "member_on_probation_on",
    "member_suspended_on",
    "probation_on_q",
    "suspended_on_q",
    "voter_on_q",
    "kinds_on",
    "in_good_standing",
    "not_suspended_q",
    "review_graded",
    "standing_flag",
    "standing_on_q",
    "suspended_on",
]
