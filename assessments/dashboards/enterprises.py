"""The SASAC dashboard per enterprise: the rows of assessments.dashboards.selectors grouped by enterprise (a row per
enterprise with its shares and overdue elections), the enterprise filter and the terms expiring under an organization.
Pure Python over rows already read: no query of its own except expiring_terms (branches.selectors.terms_expiring).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from branches import selectors as branch_selectors
from branches.models import Organization

from ..indicators.models import Indicator
from ..indicators.rules import MET, NOT_MET, PARTLY_MET, floor_percent

TERM_ON_TIME = Indicator.Code.TERM_ON_TIME


def enterprise_key(organization) -> str:
    # "-": organizations directly under SASAC, with no enterprise (the 机关 branches of the 国资委党委).
    return organization.enterprise.code if organization.enterprise_id else "-"


def enterprise_choices(rows) -> list[tuple[str, str]]:
    seen = {}
    for r in rows:
        o = r.organization
        seen.setdefault(enterprise_key(o), o.enterprise.name if o.enterprise_id else "直属组织")
    return sorted(seen.items(), key=lambda kv: (kv[0] == "-", kv[0]))


def expiring_terms(user, organization, *, today: datetime.date, enterprise: str = ""):
    """Terms under `organization` that expire within 6 months or are overdue (branches.selectors.terms_expiring)."""
    result = []
    for term in branch_selectors.terms_expiring(user, today=today):
        org = term.organization
        if not org.path.startswith(organization.path):
            continue
        if enterprise and enterprise_key(org) != enterprise:
            continue
        result.append((term, branch_selectors.term_status(term, today)))
    return result


@dataclass
class EnterpriseRow:
    key: str
    name: str
    top: Organization  # the enterprise's highest organization: its committee dashboard is one click away
    organizations: int = 0
    branches: int = 0
    red_branches: int = 0
    overdue: int = 0
    counts: Counter = field(default_factory=Counter)
    rates: list = field(default_factory=list)

    @property
    def assessed(self) -> int:
        return self.counts[MET] + self.counts[PARTLY_MET] + self.counts[NOT_MET]

    def share(self, status: str) -> float:
        return round(100 * self.counts[status] / self.assessed, 1) if self.assessed else 0.0

    @property
    def met_share(self):
        return self.share(MET)

    @property
    def partly_share(self):
        return self.share(PARTLY_MET)

    @property
    def not_met_share(self):
        return self.share(NOT_MET)

    @property
    def overall_pct(self) -> int | None:
        return floor_percent(sum(self.rates) / len(self.rates)) if self.rates else None


def enterprise_rows(rows: list) -> list[EnterpriseRow]:
    by_key: dict[str, EnterpriseRow] = {}
    for row in rows:  # tree order: the first organization of an enterprise is its top
        o = row.organization
        key = enterprise_key(o)
        ent = by_key.get(key)
        if ent is None:
            name = o.enterprise.name if o.enterprise_id else "直属组织"
            ent = by_key[key] = EnterpriseRow(key=key, name=name, top=o)
        ent.organizations += 1
        ent.counts.update(row.counts)
        term = row.by_code.get(TERM_ON_TIME)
        ent.overdue += term is not None and term.status == NOT_MET
        if o.kind == Organization.Kind.BRANCH:
            ent.branches += 1
            ent.red_branches += row.status == NOT_MET
            if row.overall is not None:
                ent.rates.append(row.overall)
    return sorted(by_key.values(), key=lambda e: (e.key == "-", e.top.path))


def overdue_elections(rows: list) -> list[tuple[object, object]]:
    """按期换届 not met: (row, its term_on_time result), in tree order."""
    result = []
    for row in rows:
        term = row.by_code.get(TERM_ON_TIME)
        if term is not None and term.status == NOT_MET:
            result.append((row, term))
    return result
