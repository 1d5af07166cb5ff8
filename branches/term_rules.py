"""按期换届: which days a committee term was overdue. The one rule (DOMAIN.md "How an indicator is computed",
term_on_time; 关于党的基层组织任期的意见): the indicator, the organization's term status, the dashboards' overdue counts
and the 换届 reminders all ask this module.

A day is overdue when the term in force has expired and no extension approved **on or before** the expiry date covers
it, and no new term has started. A term renewed late was overdue from its expiry to the new term's start; an extension
approved after the expiry covers only the days from its approval on.

A term is anything with `started_on`, `ended_on` (exclusive: the day the next term starts), `term_years`,
`extension_months` and `extension_approved_on` (a CommitteeTerm, or the indicator's pre-fetched TermFacts). Pure
functions: no query here.
"""

import datetime

from django.core.exceptions import ValidationError

from common.periods import shift_months

DAY = datetime.timedelta(days=1)

Span = tuple[datetime.date, datetime.date | None]  # first and last overdue day, inclusive; None: still overdue


def regular_expiry(term) -> datetime.date:
    """The last day of the term's regular years (before any extension)."""
    return shift_months(term.started_on, 12 * term.term_years)


def expiry(term) -> datetime.date:
    """The last covered day: the regular expiry, or the end of an approved extension."""
    return shift_months(term.started_on, 12 * term.term_years + (term.extension_months or 0))


def overdue_spans(term) -> list[Span]:
    """The runs of days on which `term` was in force and overdue, in date order."""
    regular = regular_expiry(term)
    extended = expiry(term)
    approved = term.extension_approved_on if term.extension_months else None
    last_in_force = term.ended_on - DAY if term.ended_on is not None else None
    if approved is None or approved <= regular:
        spans: list[Span] = [(extended + DAY, None)]
    elif approved > extended:
        spans = [(regular + DAY, None)]  # approved too late to cover anything
    else:
        # Approved after the expiry: the days before its approval stay overdue.
        spans = [(regular + DAY, approved - DAY), (extended + DAY, None)]
    result = []
    for first, last in spans:
        if last_in_force is not None:
            last = last_in_force if last is None else min(last, last_in_force)
        if last is None or first <= last:
            result.append((first, last))
    return result


def is_overdue(term, day: datetime.date) -> bool:
    """Whether `day` was an overdue day of `term` (False when the term was not in force that day)."""
    return any(first <= day and (last is None or day <= last) for first, last in overdue_spans(term))


def overdue_in(terms, first_day: datetime.date, last_day: datetime.date) -> list[Span]:
    """The overdue runs of days of any of `terms` within [first_day, last_day], clipped to it, in date order."""
    found = []
    for term in terms:
        for first, last in overdue_spans(term):
            last = last_day if last is None else min(last, last_day)
            first = max(first, first_day)
            if first <= last:
                found.append((first, last))
    return sorted(found)


# ---------------------------------------------------------------- elections (DOMAIN.md "Votes and elections")
# The counts come from the held 党员大会's attendance (meetings/votes/services.py), never typed.

COMMITTEE_SIZE = (3, 7)  # 支部工作条例 第九条: a 支部委员会 has 3 to 5 members, at most 7


def election_article(kind: str) -> str:
    """The article that has a committee elected by the 党员大会, cited in the refusals."""
    if kind == "branch":
        return "《中国共产党支部工作条例(试行)》第九条"
    return "《中国共产党基层组织选举工作条例》"


def check_committee_size(kind: str, size: int) -> None:
    """A committee has 3 to 7 members when it exists (支部工作条例 第九条: 一般由3至5人组成,最多不超过7人)."""
    low, high = COMMITTEE_SIZE
    if not low <= size <= high:
        raise ValidationError(
            f"委员会委员一般为{low}至5人,最多不超过{high}人,本次登记 {size} 人"
            "(《中国共产党支部工作条例(试行)》第九条);不足7名正式党员的党支部不设委员会,只设书记。"
        )


def election_quorum_met(*, present: int, eligible: int) -> bool:
    """More than 4/5 of the eligible voters present (选举工作条例)."""
    return eligible > 0 and present * 5 > eligible * 4


def enough_candidates(*, candidates: int, seats: int) -> bool:
    """差额选举: at least 20% more candidates than seats."""
    return candidates * 5 >= seats * 6


def elected_by_majority(*, votes: int, present: int) -> bool:
    """An elected candidate had more than half of the votes of those present."""
    return votes * 2 > present


def is_early(term, day: datetime.date) -> bool:
    """提前换届: an election on `day`, before the term's regular expiry, needs the superior's approval like an
    extension (an election during an approved extension is the expected one, not an early one)."""
    return day < regular_expiry(term)
