"""Reads of 党员积分: the rule set that applies, every member's derived points, the branch table, the committee's
distribution, the manual items and the 公示. Points are computed on read from the records (points/derivation.py), in
a fixed number of queries whatever the number of members and months (one query a record kind), so an amendment to an
archived meeting changes them at once and nothing is stored twice.

Which record earns what: points/occurrences.py; how much and the caps: the rule set (points/derivation.py).
Nothing counts after `as_of` (today): no points for a month not yet lived.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q
from django.http import Http404
from django.utils import timezone

from branches.access import check_organization, visible_organizations_q
from branches.models import Member, Membership, Organization
from branches.selectors import members_during
from common.periods import year_range

from .derivation import ZERO, Point, RuleBook, derive, rank, stars
from .models import ManualItem, Objection, Publication, Rule, RuleSet
from .occurrences import facts as _facts

# ---------------------------------------------------------------- rule sets


def _rule_sets(year: int) -> list[RuleSet]:
    """The year's rule sets and the default, each with its rules: ONE query (over the rules; a set without a rule
    earns nothing, so it is not needed)."""
    rules = (
        Rule.objects.filter(Q(rule_set__year=year) | Q(rule_set__organization__isnull=True))
        .select_related("rule_set__organization")
        .order_by("rule_set_id", "order", "id")
    )
    sets: dict[int, RuleSet] = {}
    for rule in rules:
        rule_set = sets.setdefault(rule.rule_set_id, rule.rule_set)
        rule.rule_set = rule_set
        rule_set.loaded_rules = [*getattr(rule_set, "loaded_rules", []), rule]
    return list(sets.values())


class RuleSets:
    """Which rule set applies to a branch: its nearest committee's for the year, else the default."""

    def __init__(self, year: int):
        self.year = year
        sets = _rule_sets(year)
        self.default = next((s for s in sets if s.organization_id is None), None)
        self.owned = sorted(
            (s for s in sets if s.organization_id is not None), key=lambda s: len(s.organization.path), reverse=True
        )
        self._books: dict[int, RuleBook] = {}
        self._by_rule: dict[int, RuleBook] = {}
        for rule_set in sets:
            book = RuleBook.of(rule_set, rule_set.loaded_rules)
            self._books[rule_set.pk] = book
            for rule_id in book.by_id:
                self._by_rule[rule_id] = book

    def for_path(self, path: str) -> RuleSet | None:
        return next((s for s in self.owned if path.startswith(s.organization.path)), self.default)

    def book(self, rule_set: RuleSet | None) -> RuleBook | None:
        return self._books.get(rule_set.pk) if rule_set is not None else None

    def book_for_rule(self, rule_id: int) -> RuleBook | None:
        return self._by_rule.get(rule_id)


def rule_set_for(organization: Organization, year: int) -> RuleSet | None:
    return RuleSets(year).for_path(organization.path)


def own_rule_set(committee: Organization, year: int) -> RuleSet | None:
    return RuleSet.objects.filter(organization=committee, year=year).prefetch_related("rules").first()


def default_rule_set() -> RuleSet | None:
    return RuleSet.objects.filter(organization__isnull=True).prefetch_related("rules").first()


# ---------------------------------------------------------------- points


@dataclass
class Ledger:
    """The derived points of some members for a year."""

    year: int
    points: list[Point]
    rule_sets: RuleSets
    memberships: dict[int, list] = field(default_factory=dict)
    branch_paths: dict[int, str] = field(default_factory=dict)

    def of(self, member_id: int, *, branch_id: int | None = None, month: int | None = None) -> list[Point]:
        return [
            p
            for p in self.points
            if p.member_id == member_id
            and (branch_id is None or p.branch_id == branch_id)
            and (month is None or p.month == month)
        ]

    def year_totals(self) -> dict[int, Decimal]:
        totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for p in self.points:
            totals[p.member_id] += p.points
        return totals


def ledger(member_ids, year: int, *, as_of: datetime.date | None = None) -> Ledger:
    """Every point of `member_ids` in `year` (in whichever branch they earned it): a fixed number of queries."""
    member_ids = sorted(set(member_ids))
    start, end = year_range(year)
    end = min(end, as_of or timezone.localdate())
    rule_sets = RuleSets(year)
    occurrences, memberships, paths = _facts(member_ids, start, end) if member_ids else ([], {}, {})

    def book_for_branch(branch_id):
        return rule_sets.book(rule_sets.for_path(paths[branch_id]))

    manual = {o.rule_id: rule_sets.book_for_rule(o.rule_id) for o in occurrences if o.rule_id is not None}
    points = derive(occurrences, memberships=memberships, book_for_branch=book_for_branch, manual_books=manual)
    return Ledger(year=year, points=points, rule_sets=rule_sets, memberships=memberships, branch_paths=paths)


# ---------------------------------------------------------------- the branch table


@dataclass
class Row:
    member: Member
    months: list[Decimal]  # 12 cells, points earned in this branch
    total: Decimal  # in this branch for the year (or the quarter shown)
    year_total: Decimal  # everywhere in the year
    rank: int = 0
    stars: int = 0
    transferred: bool = False

    @property
    def star_text(self) -> str:
        return "★" * self.stars


@dataclass
class BranchTable:
    branch: Organization
    year: int
    quarter: int | None
    months: list[int]
    rows: list[Row]
    rule_set: RuleSet | None
    ledger: Ledger


def branch_members(branch: Organization, year: int) -> list[Member]:
    """Members who belonged to the branch at some time in the year (half-open periods): one query."""
    return list(members_during(branch, *year_range(year)).order_by("name", "id"))


def branch_table(
    branch: Organization, year: int, *, quarter: int | None = None, as_of: datetime.date | None = None
) -> BranchTable:
    members = branch_members(branch, year)
    book = ledger([m.pk for m in members], year, as_of=as_of)
    months = list(range(3 * quarter - 2, 3 * quarter + 1)) if quarter else list(range(1, 13))
    rule_set = book.rule_sets.for_path(branch.path)
    year_totals = book.year_totals()
    cells: dict[int, list[Decimal]] = {m.pk: [ZERO] * 12 for m in members}
    for p in book.points:
        if p.branch_id == branch.pk and p.member_id in cells:
            cells[p.member_id][p.month - 1] += p.points
    rows = []
    for m in members:
        shown = sum((cells[m.pk][i - 1] for i in months), ZERO)
        year_total = year_totals.get(m.pk, ZERO)
        rows.append(
            Row(
                member=m,
                months=cells[m.pk],
                total=shown,
                year_total=year_total,
                stars=stars(year_total, rule_set) if rule_set else 0,
                transferred=m.organization_id != branch.pk,
            )
        )
    ranks = rank({r.member.pk: r.total for r in rows})
    for r in rows:
        r.rank = ranks[r.member.pk]
    rows.sort(key=lambda r: (r.rank, r.member.name, r.member.pk))
    return BranchTable(branch, year, quarter, months, rows, rule_set, book)


def review_standing(branch: Organization, year: int, members) -> dict[int, tuple[Decimal, int, int]]:
    """{member_id: (year points, rank among `members`, how many ranked)} for the 民主评议 screen."""
    members = list(members)
    totals = ledger([m.pk for m in members], year).year_totals()
    totals = {m.pk: totals.get(m.pk, ZERO) for m in members}
    ranks = rank(totals)
    return {member_id: (totals[member_id], ranks[member_id], len(totals)) for member_id in totals}


def member_stars(members, year: int) -> dict[int, int]:
    """党员星级 of each member for the year so far, by the thresholds of their branch's rule set."""
    members = list(members)
    book = ledger([m.pk for m in members], year)
    totals = book.year_totals()
    result = {}
    for m in members:
        path = book.branch_paths.get(m.organization_id)
        rule_set = book.rule_sets.for_path(path) if path else book.rule_sets.default
        if rule_set is not None:
            result[m.pk] = stars(totals.get(m.pk, ZERO), rule_set)
    return result


# ---------------------------------------------------------------- the committee's distribution


@dataclass
class BranchSummary:
    branch: Organization
    members: int
    total: Decimal
    average: Decimal
    stars: dict[int, int]

    @property
    def low(self) -> int:
        return self.stars.get(1, 0) + self.stars.get(2, 0)


def committee_distribution(committee: Organization, year: int) -> list[BranchSummary]:
    """Per branch of the subtree: members, the average of their points earned there, and how many at each star."""
    start, end = year_range(year)
    branches = list(Organization.objects.under(committee).branches().order_by("path"))
    periods = Membership.objects.filter(organization__in=branches, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=start)
    )
    pairs = list(periods.values_list("organization_id", "member_id").distinct())
    book = ledger([member_id for _o, member_id in pairs], year)
    earned: dict[tuple[int, int], Decimal] = defaultdict(lambda: ZERO)
    for p in book.points:
        earned[(p.branch_id, p.member_id)] += p.points
    result = []
    by_branch: dict[int, list[int]] = defaultdict(list)
    for organization_id, member_id in pairs:
        by_branch[organization_id].append(member_id)
    for branch in branches:
        ids = by_branch.get(branch.pk, [])
        rule_set = book.rule_sets.for_path(branch.path)
        totals = [earned[(branch.pk, member_id)] for member_id in ids]
        counts = {n: 0 for n in range(1, 6)}
        for value in totals:
            if rule_set is not None:
                counts[stars(value, rule_set)] += 1
        total = sum(totals, ZERO)
        average = (total / len(ids)).quantize(Decimal("0.1")) if ids else ZERO
        result.append(BranchSummary(branch, len(ids), total, average, counts))
    return result


# ---------------------------------------------------------------- manual items and 公示


def get_item_for_user(user, pk, *, write: bool = False) -> ManualItem:
    item = (
        ManualItem.objects.select_related("organization", "member", "rule", "recorded_by", "decided_by")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404("没有找到该积分登记。")
    check_organization(user, item.organization, write=write)
    return item


def item_list(branch: Organization, *, state: str = ""):
    qs = ManualItem.objects.filter(organization=branch).select_related("member", "rule", "recorded_by", "decided_by")
    if state:
        qs = qs.filter(state=state)
    return qs.annotate(evidence_count=Count("evidence")).order_by("-occurred_on", "-id")


def items_visible_to(user):
    return ManualItem.objects.filter(visible_organizations_q(user, "organization__")).select_related(
        "organization", "member", "rule"
    )


def pending_count(branch: Organization) -> int:
    return ManualItem.objects.filter(organization=branch, state=ManualItem.State.PENDING).count()


def get_evidence_for_user(user, pk):
    from .models import ManualEvidence

    evidence = ManualEvidence.objects.select_related("item__organization").filter(pk=pk).first()
    if evidence is None:
        raise Http404("没有找到该佐证材料。")
    check_organization(user, evidence.item.organization)
    return evidence


def publications(branch: Organization):
    return Publication.objects.filter(organization=branch).annotate(objection_count=Count("objections"))


def get_publication_for_user(user, pk, *, write: bool = False) -> Publication:
    publication = Publication.objects.select_related("organization", "published_by").filter(pk=pk).first()
    if publication is None:
        raise Http404("没有找到该公示。")
    check_organization(user, publication.organization, write=write)
    return publication


def objections(publication: Publication):
    return Objection.objects.filter(publication=publication).select_related("member", "answered_by", "recorded_by")


def get_objection_for_user(user, pk, *, write: bool = False) -> Objection:
    objection = Objection.objects.select_related("publication__organization", "member").filter(pk=pk).first()
    if objection is None:
        raise Http404("没有找到该异议。")
    check_organization(user, objection.publication.organization, write=write)
    return objection


def get_rule_set_for_user(user, pk, *, write: bool = False) -> RuleSet:
    rule_set = RuleSet.objects.select_related("organization").filter(pk=pk).first()
    if rule_set is None:
        raise Http404("没有找到该积分方案。")
    if rule_set.organization is None:
        if write:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("默认积分方案不能修改,请沿用为本党委的方案后再修改。")
        return rule_set  # the default scheme: anyone signed in may read it
    check_organization(user, rule_set.organization, write=write)
    return rule_set
