"""Reads behind the dashboards: every figure comes from ONE `indicator_summary` call (a fixed number of SQL
queries whatever the subtree size) plus one query for the organizations, aggregated here in Python.

No per-organization queries: the SASAC dashboard over a province (about 4,800 organizations) costs the same
number of queries as over the fixed test tree. Pages render aggregates (per enterprise) and paginated rows.
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings

from branches.models import Organization
from meetings import plan

from ..indicators import computation
from ..indicators import selectors as indicators
from ..indicators.models import Indicator
from ..indicators.rules import (
    CODES,
    MET,
    NOT_MET,
    PARTLY_MET,
    PENDING,
    STATUS_LABELS,
    STATUS_ORDER,
    floor_percent,
)
from ..letters import selectors as letter_selectors
from .enterprises import enterprise_key

# The order of severity: one 未达标 indicator makes an organization red.
_SEVERITY = {NOT_MET: 3, PARTLY_MET: 2, MET: 1, PENDING: 0}
_BY_SEVERITY = {n: status for status, n in _SEVERITY.items()}

TERM_ON_TIME = Indicator.Code.TERM_ON_TIME

# How many of the weakest branches the dashboards put first (local practice: "the few that need help").
HELP_LIMIT = 8
HELP_GAPS = 4


def star_counts(root, year: int) -> dict[int, int] | None:
    """Branches per star rating (1..5), from the responsibility letters (assessments.letters)."""
    return letter_selectors.star_counts(root, year)


# ---------------------------------------------------------------- periods


def quarter_end(year: int, quarter: int) -> datetime.date:
    return plan.periods(year, plan.QUARTER)[quarter - 1].end


def period_as_of(year: int, quarter: int | None, today: datetime.date) -> datetime.date | None:
    """The as_of date of a dashboard filtered to a quarter: the results through the quarter end, capped at today.
    A period counts once it has ended (period.end < as_of), so the day after the quarter end makes its last month
    count. None for a whole year: the indicator module's default, today in Asia/Shanghai."""
    if not quarter:
        return None
    return min(quarter_end(year, quarter) + datetime.timedelta(days=1), today)


def year_choices(today: datetime.date) -> list[int]:
    first = getattr(settings, "DASHBOARD_FIRST_YEAR", today.year - 4)
    return list(range(today.year, first - 1, -1))


# ---------------------------------------------------------------- one organization's row


@dataclass
class OrgRow:
    organization: Organization
    results: list
    by_code: dict = field(default_factory=dict)
    overall: float | None = None  # mean of the assessed indicators' rates, each indicator weighing the same
    status: str = PENDING  # the worst assessed status: one 未达标 indicator makes the organization red
    counts: Counter = field(default_factory=Counter)
    rank: int | None = None
    tied: bool = False  # another row has the same shown score, so the same rank (并列)

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def overall_pct(self) -> int | None:
        return floor_percent(self.overall)

    @property
    def gaps(self) -> list:
        return [(r, g) for r in self.results for g in r.gaps]

    @property
    def gap_count(self) -> int:
        return sum(len(r.gaps) for r in self.results)


def org_row(organization, results) -> OrgRow:
    results = list(results)
    row = OrgRow(organization, results, {r.code: r for r in results}, counts=Counter(r.status for r in results))
    # Each indicator weighs the same: dues (member-months) must not drown a yearly 组织生活会.
    total = n = worst = 0
    for r in results:
        if r.status != PENDING and r.rate is not None:
            total += r.rate
            n += 1
            worst = max(worst, _SEVERITY[r.status])
    if n:
        row.overall = total / n
        row.status = _BY_SEVERITY[worst]
    return row


def scorecard_row(organization, year: int) -> OrgRow:
    """One organization's row (a branch's scorecard): its indicator results for the year."""
    return org_row(organization, indicators.indicator_results(organization, year))


def indicator_columns(rows) -> list[tuple[str, str]]:
    """(code, name) of every indicator that applies to some row, in the indicator set's order."""
    names = {}
    for row in rows:
        for r in row.results:
            names.setdefault(r.code, r.name)
    order = {code: i for i, code in enumerate(CODES)}
    first_seen = list(names)
    codes = sorted(names, key=lambda c: (order.get(c, len(order)), first_seen.index(c)))
    return [(c, names[c]) for c in codes]


def ranked(rows: list[OrgRow]) -> list[OrgRow]:
    """Best first by overall rate; organizations with nothing assessed yet come last. Sets `rank` (1-based):
    the same shown score (whole percent) is the same rank, and the next rank skips (1, 2, 2, 4: 并列第2)."""
    order = sorted(rows, key=lambda r: (r.overall is None, -(r.overall or 0), -r.counts[MET], r.organization.path))
    previous = None
    for i, row in enumerate(order, 1):
        row.rank, row.tied = None, False
        if row.overall is None:
            continue
        if previous is not None and previous.overall_pct == row.overall_pct:
            row.rank = previous.rank
            row.tied = previous.tied = True
        else:
            row.rank = i
        previous = row
    return order


def needing_help(rows: list[OrgRow], limit: int = HELP_LIMIT) -> list[OrgRow]:
    """The weakest organizations first: most 未达标 indicators, then the lowest overall rate."""
    weak = [r for r in rows if r.status in (NOT_MET, PARTLY_MET)]
    weak.sort(key=lambda r: (-r.counts[NOT_MET], r.overall if r.overall is not None else 1, r.organization.path))
    return weak[:limit]


# ---------------------------------------------------------------- subtree: one summary call


class EnterpriseBrief:
    __slots__ = ("pk", "name", "code")

    def __init__(self, pk, name, code):
        self.pk, self.name, self.code = pk, name, code

    @property
    def id(self):
        return self.pk


class OrgBrief:
    """An organization as the dashboards show it, read from one value list rather than model instances (a province
    has thousands of rows): the attributes the pages and exports use, with the enterprise as `enterprise`."""

    __slots__ = ("pk", "path", "depth", "name", "code", "kind", "established_on", "enterprise_id", "enterprise")

    def __init__(self, pk, path, depth, name, code, kind, established_on, enterprise_id, enterprise):
        self.pk, self.path, self.depth, self.name, self.code = pk, path, depth, name, code
        self.kind, self.established_on, self.enterprise_id, self.enterprise = (
            kind,
            established_on,
            enterprise_id,
            enterprise,
        )

    @property
    def id(self):
        return self.pk

    def get_kind_display(self) -> str:
        return str(Organization.Kind(self.kind).label)

    def __str__(self):
        return self.name

    def __repr__(self):
        return f"<OrgBrief: {self.code} {self.name}>"


def _organizations(root) -> list[OrgBrief]:
    """The subtree's active organizations (no 党小组) with their enterprise, in tree order: one query."""
    enterprises: dict[int, EnterpriseBrief] = {}
    result = []
    for *fields, enterprise_id, enterprise_name, enterprise_code in (
        Organization.objects.under(root)
        .active()
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
        .values_list(
            "id",
            "path",
            "depth",
            "name",
            "code",
            "kind",
            "established_on",
            "enterprise_id",
            "enterprise__name",
            "enterprise__code",
        )
    ):
        enterprise = None
        if enterprise_id is not None:
            enterprise = enterprises.get(enterprise_id)
            if enterprise is None:
                enterprise = enterprises[enterprise_id] = EnterpriseBrief(
                    enterprise_id, enterprise_name, enterprise_code
                )
        result.append(OrgBrief(*fields, enterprise_id, enterprise))
    return result


def subtree_rows(root, year: int, as_of: datetime.date | None = None) -> list[OrgRow]:
    """Rows in tree order for every active organization under root with at least one applicable indicator:
    one query for the organizations, handed to one indicator_summary call (which then skips its own)."""
    organizations = _organizations(root)
    handed = [
        computation.OrgRow(o.pk, o.code, o.name, o.kind, o.established_on, o.path, o.depth, o.enterprise_id)
        for o in organizations
    ]
    summary = indicators.indicator_summary(root, year, as_of, organizations=handed)
    with indicators.bulk_objects():
        return [org_row(o, summary[o.pk]) for o in organizations if summary.get(o.pk)]


def filter_rows(rows, *, search: str = "", status: str = "", kind: str = "", enterprise: str = "") -> list[OrgRow]:
    if search:
        needle = search.lower()
        rows = [r for r in rows if needle in r.organization.name.lower() or needle in r.organization.code.lower()]
    if status in STATUS_LABELS:
        rows = [r for r in rows if r.status == status]
    if kind:
        rows = [r for r in rows if r.organization.kind == kind]
    if enterprise:
        rows = [r for r in rows if enterprise_key(r.organization) == enterprise]
    return rows


def status_totals(rows) -> dict[str, int]:
    """Indicator results by status over the rows (each organization × indicator counts once)."""
    totals = Counter()
    for row in rows:
        totals.update(row.counts)
    return {s: totals[s] for s in STATUS_ORDER}


def trend(rows) -> list[dict]:
    """Month by month over every row: done, required and the rate (%), for the line charts."""
    points = indicators.monthly_trend(r for row in rows for r in row.results)
    return [
        {
            "label": label,
            "done": done,
            "required": required,
            "rate": round(100 * done / required, 1) if required else None,
        }
        for label, done, required in points
    ]
