"""What comes next on a person's path: the steps that may be recorded now, their due dates and earliest dates, and
the deadlines that run whether or not the steps before them are recorded. Pure: no queries."""

import datetime

from dateutil.relativedelta import relativedelta

from .steps import STEP_RULES, Due, Outcome, Path, setting


def rediscussion_due(path: Path) -> datetime.date | None:
    """The day from which an admission not approved since the 支部大会 must be discussed again (local practice,
    RECRUITMENT_REDISCUSS_AFTER_MONTHS): the day after the last day the approval could come."""
    months = setting("RECRUITMENT_REDISCUSS_AFTER_MONTHS")
    if not months or not path.has(15) or path.has(17):
        return None
    return path.date(15) + relativedelta(months=months) + datetime.timedelta(days=1)


def _rediscussion_open(path: Path, today: datetime.date | None) -> bool:
    again = rediscussion_due(path)
    return again is not None and today is not None and today >= again


def review_expires(path: Path) -> datetime.date | None:
    """The last day the latest 政治审查 (10) is valid for the 支部大会 (local practice); None: no expiry."""
    years = setting("RECRUITMENT_POLITICAL_REVIEW_VALID_YEARS")
    return path.last(10).date + relativedelta(years=years) if years and path.has(10) else None


def _conversion_open(path: Path) -> bool:
    """Step 23 may be held: no decision yet, or the last one an approved extension."""
    decisions = path.decisions
    if not decisions:
        return True
    return path.decision is None and decisions[-1].outcome == Outcome.EXTEND and path.extension is not None


def available(path: Path, today: datetime.date | None = None) -> list[int]:
    """Steps that may be recorded now: their dependencies are done and they are not done yet (or repeat). With
    `today`, a 支部大会 discussion (15) whose approval did not come in time may be held again."""
    if path.ended:
        return []
    if path.cancelled:
        return [24] if path.decision else []  # the superior approves the cancellation
    result = []
    for number, rule in STEP_RULES.items():
        if number == 15 and path.has(15):
            if _rediscussion_open(path, today):
                result.append(15)
            continue
        if path.has(number) and not rule.repeatable:
            continue
        if not all(path.has(n) for n in rule.requires):
            continue
        if number == 6 and path.has(7):
            continue  # the 积极分子's 考察 ends when they become a 发展对象
        if number == 10 and path.has(10) and path.has(15) and not _rediscussion_open(path, today):
            continue  # a 政治审查 is renewed only before a 支部大会
        if number == 21 and path.full:
            continue
        if number == 23 and not _conversion_open(path):
            continue
        if number == 24 and not path.decision:
            continue
        if number == 25 and not path.full:
            continue
        result.append(number)
    return result


def _renewal_offered(path: Path, today: datetime.date | None) -> bool:
    """A renewed 政治审查 is offered in the lists once the latest one has expired as of today."""
    expires = review_expires(path)
    return expires is not None and today is not None and today > expires


def _deadline_pending(path: Path, number: int) -> bool:
    """A deadline that runs whether or not the steps before it are recorded (the approval is due three months after
    the 支部大会 even while the committee's talk is not on record)."""
    if number == 2:
        return not path.has(2)
    if number == 6:
        return path.has(3) and not path.has(7)
    if number == 17:
        return path.has(15) and not path.has(17)
    if number == 23:
        return path.has(17) and not path.converted and not path.cancelled and _conversion_open(path)
    if number == 24:
        return path.decision is not None
    return False


DEADLINE_STEPS = (2, 6, 17, 23, 24)


def next_steps(path: Path, today: datetime.date | None = None) -> list[Due]:
    """The available steps and every running deadline, the one due first leading (undated ones after)."""
    if path.ended:
        return []
    numbers = available(path, today)
    if 10 in numbers and path.has(10) and not _renewal_offered(path, today):
        numbers.remove(10)
    pending = [n for n in DEADLINE_STEPS if n not in numbers and _deadline_pending(path, n)]
    outcome = path.decision.outcome if path.decision else ""
    result = [
        Due(n, due_date(path, n), earliest_date(path, n), n in numbers, outcome if n == 24 else "")
        for n in numbers + pending
    ]
    return sorted(result, key=lambda d: (d.due_on is None, d.due_on or datetime.date.max, d.number))


def due_date(path: Path, number: int) -> datetime.date | None:
    if number == 2 and path.has(1):
        return path.date(1) + relativedelta(months=setting("RECRUITMENT_TALK_MONTHS"))
    if number == 6 and path.has(3) and not path.has(7):
        last = path.last(6) or path.first(3)
        return last.date + relativedelta(months=setting("RECRUITMENT_REVIEW_MONTHS"))
    if number == 17 and path.has(15):
        return path.date(15) + relativedelta(months=setting("RECRUITMENT_APPROVAL_MONTHS"))
    if number == 23:
        return path.probation_ends()
    if number == 24 and path.decision:
        return path.decision.date + relativedelta(months=setting("RECRUITMENT_CONVERSION_APPROVAL_MONTHS"))
    return None


def earliest_date(path: Path, number: int) -> datetime.date | None:
    if number == 15 and path.rejected and not path.has(15):
        return path.rejected[-1].date + relativedelta(months=setting("RECRUITMENT_REJECTED_WAIT_MONTHS") or 0)
    if number == 7 and path.has(3):
        return path.date(3) + relativedelta(years=setting("RECRUITMENT_ACTIVIST_YEARS"))
    if number == 23:
        return path.probation_ends()
    return None
