"""The health rules of an organization: its committee term's status, the formation warnings of 支部工作条例, and
which organizations need help first. Pure functions of what the selectors read (no queries here)."""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from . import term_rules
from .models import CommitteeTerm, Organization


def expiring_from(expires_on: datetime.date) -> datetime.date:
    """The first day a term counts as "expiring": as many months before its expiry as the first reminder
    (settings.TERM_REMINDER_MONTHS, local practice: 6, 3 and 1 months before)."""
    return expires_on - relativedelta(months=max(settings.TERM_REMINDER_MONTHS))


def expiring_horizon(today: datetime.date) -> datetime.date:
    """Terms expiring on or before this day are "expiring" today (the same window as expiring_from)."""
    return today + relativedelta(months=max(settings.TERM_REMINDER_MONTHS))


@dataclass(frozen=True)
class Warning:
    code: str
    message: str


@dataclass(frozen=True)
class TermStatus:
    term: CommitteeTerm | None
    expires_on: datetime.date | None
    days_left: int | None
    state: str  # none / ok / expiring / overdue
    label: str


def term_status(term: CommitteeTerm | None, today: datetime.date) -> TermStatus:
    if term is None:
        return TermStatus(None, None, None, "none", "未录入届次")
    days = term.days_to_expiry(today)
    if term_rules.is_overdue(term, today):  # the one rule of 按期换届
        return TermStatus(term, term.expires_on, days, "overdue", f"已超期 {-days} 天未换届")
    if today >= expiring_from(term.expires_on):
        return TermStatus(term, term.expires_on, days, "expiring", f"距届满 {days} 天")
    return TermStatus(term, term.expires_on, days, "ok", f"距届满 {days} 天")


def organization_warnings(
    organization: Organization,
    *,
    full_members: int,
    all_members: int,
    term: CommitteeTerm | None,
    has_secretary: bool,
) -> list[Warning]:
    """Formation rules of 支部工作条例 第五、八、九条, as warnings (the organization may drift; we say so)."""
    warnings = []
    if organization.kind == Organization.Kind.BRANCH:
        if full_members < 3:
            warnings.append(Warning("too_few", f"正式党员仅 {full_members} 名,党支部应有3名以上正式党员。"))
        if full_members >= 7 and (term is None or not term.has_committee):
            warnings.append(Warning("no_committee", f"正式党员 {full_members} 名,7人以上的党支部应设立支部委员会。"))
        if all_members > 50:
            warnings.append(Warning("too_many", f"党员 {all_members} 名,党支部党员一般不超过50人,可考虑分设支部。"))
    if Organization.Kind(organization.kind).has_term and not has_secretary:
        warnings.append(Warning("no_secretary", "书记空缺,请及时配备。"))
    return warnings


def needs_help(*, warnings: list[Warning], status: TermStatus) -> bool:
    # An overdue term is a failing indicator (按期换届): it counts as needing help too.
    return bool(warnings) or status.state == "overdue"


def help_order(organization) -> tuple:
    """Overdue terms first (a failing indicator), then the most warnings: the few that need help most come first.
    `organization` carries `term_status`, `warnings` and `path` (selectors.organization_health)."""
    return (organization.term_status.state != "overdue", -len(organization.warnings), organization.path)
