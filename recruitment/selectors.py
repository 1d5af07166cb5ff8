"""Reads for the path: access (one helper per object kind, through branches/access.py), the lists with their next
step and due date, the overdue to-do list, and the committee's counts. Each function owns its queries; a page's
query count does not grow with its rows (steps come in one prefetch and the rules run in Python)."""

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import Count, OuterRef, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from branches.access import Access, check_organization, get_organization_for_user, grants, visible_organizations_q
from branches.models import Organization, Role

from . import rules
from .models import DevelopmentPlan, Person, Stage, Step, ThoughtReport

# ---------------------------------------------------------------- access


def get_branch_for_user(user, code: str, *, write: bool = False) -> Organization:
    organization = get_organization_for_user(user, code, write=write)
    if organization.kind != Organization.Kind.BRANCH:
        raise Http404("发展党员按党支部记录,请选择一个党支部。")
    return organization


def get_person_for_user(user, pk, *, write: bool = False) -> Person:
    person = person_queryset().filter(pk=pk).first()
    if person is None:
        raise Http404("没有找到该人员。")
    check_organization(user, person.branch, write=write)
    return person


def may_record_committee_step(user, branch: Organization) -> bool:
    """备案, 预审, 谈话, 审批 are the superior committee's: its officers (and administrators) record them."""
    return any(kind in ("admin", Role.Kind.OFFICER) and branch.path.startswith(path) for path, _a, kind in grants(user))


def get_step_for_user(user, pk, *, write: bool = False) -> Step:
    step = Step.objects.select_related("person__branch").filter(pk=pk).first()
    if step is None:
        raise Http404("没有找到该步骤记录。")
    check_organization(user, step.person.branch, write=write)
    return step


def get_report_for_user(user, pk, *, write: bool = False) -> ThoughtReport:
    report = ThoughtReport.objects.select_related("person__branch").filter(pk=pk).first()
    if report is None:
        raise Http404("没有找到该思想汇报记录。")
    check_organization(user, report.person.branch, write=write)
    return report


def report_queryset():
    return ThoughtReport.objects.select_related("organization", "recorded_by")


def recordable_steps(user, person: Person) -> list[int]:
    """The steps `user` may record for `person` now, the one due first leading; a branch's secretary does not see
    the committee's steps."""
    committee = may_record_committee_step(user, person.branch)
    steps = rules.next_steps(path_of(person), timezone.localdate())
    return [d.number for d in steps if d.available and (committee or not rules.STEP_RULES[d.number].committee)]


def step_label(person: Person, number: int) -> str:
    """The name of step `number` for `person` now: step 24 by the decision it would approve."""
    decision = path_of(person).decision if number == 24 else None
    return rules.step_name(number, decision.outcome if decision else "")


def writable_branches(user):
    paths = [path for path, access, _k in grants(user) if access == Access.WRITE]
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path)
    return Organization.objects.filter(q).branches().active().order_by("path")


def subtree_q(organization: Organization) -> Q:
    return Q(branch__path__startswith=organization.path)


# ---------------------------------------------------------------- one person


def path_of(person: Person) -> rules.Path:
    """The person's steps as the rules see them: from the prefetch when the list loaded it, else one query."""
    if _prefetched(person):
        steps = person.steps.all()
    else:
        steps = Step.objects.filter(person=person).only("number", "date", "outcome", "extension_months")
    reports = getattr(person, "report_quarters", None)
    if reports is None:
        reports = ThoughtReport.objects.filter(person=person).values_list("quarter", flat=True)
    entered = timezone.localdate(person.created_at) if person.created_at else None
    done = (rules.Done(s.number, s.date, s.outcome, s.extension_months or 0) for s in steps)
    return rules.Path(done, reports, reports_from=entered)


def _prefetched(person: Person) -> bool:
    return "steps" in getattr(person, "_prefetched_objects_cache", {})


def person_queryset():
    """People with their steps (one prefetch) and the quarters of their 思想汇报 (a subquery: no extra query)."""
    reports = ThoughtReport.objects.filter(person=OuterRef("pk")).values("quarter")
    return (
        Person.objects.select_related("branch", "member")
        .annotate(report_quarters=ArraySubquery(reports))
        .prefetch_related(Prefetch("steps", queryset=Step.objects.order_by("date", "number", "id")))
    )


def person_reports(person: Person):
    return ThoughtReport.objects.filter(person=person).select_related("recorded_by").order_by("-quarter")


def person_steps(person: Person):
    return (
        Step.objects.filter(person=person)
        .select_related("recorded_by", "member_1", "member_2", "meeting", "organization")
        .prefetch_related("documents")
        .order_by("date", "number", "id")
    )


# ---------------------------------------------------------------- lists


@dataclass
class Row:
    person: Person
    path: rules.Path
    next: list[rules.Due]  # the steps
    report: rules.Due | None = None  # the first quarter's 思想汇报 owed (local practice)

    @property
    def dues(self) -> list[rules.Due]:
        """Every running deadline: the steps' and the 思想汇报's."""
        return self.next + ([self.report] if self.report else [])

    @property
    def first(self) -> rules.Due | None:
        return self.next[0] if self.next else None

    @property
    def due_on(self) -> datetime.date | None:
        return self.first.due_on if self.first else None

    def overdue(self, today: datetime.date) -> list[rules.Due]:
        return [d for d in self.dues if d.due_on is not None and d.due_on < today]

    def next_name(self) -> str:
        return self.first.name if self.first else "流程已完成"


def rows(persons, today: datetime.date | None = None) -> list[Row]:
    result = []
    for person in persons:
        path = path_of(person)
        result.append(Row(person, path, rules.next_steps(path, today), rules.report_due(path)))
    return result


def pipeline(
    *,
    branch: Organization | None = None,
    organizations_q: Q | None = None,
    today: datetime.date,
    stage: str = "",
    search: str = "",
    current_only: bool = False,
) -> list[Row]:
    """Active people with their next step, overdue first, then by due date. Two queries. `current_only` leaves out
    those whose path is complete (材料归档, step 25, recorded)."""
    qs = person_queryset().active()
    if current_only:
        qs = qs.exclude(pk__in=Step.objects.filter(number=25).values("person_id"))
    if branch is not None:
        qs = qs.filter(branch=branch)
    if organizations_q is not None:
        qs = qs.filter(organizations_q)
    if stage:
        qs = qs.filter(stage=stage)
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(branch__name__icontains=search))
    result = rows(qs.order_by("name", "id"), today)
    return sorted(
        result,
        key=lambda r: (not r.overdue(today), r.due_on is None, r.due_on or datetime.date.max, r.person.name),
    )


@dataclass(frozen=True)
class OverdueStep:
    person: Person
    number: int
    name: str
    due_on: datetime.date
    days_overdue: int

    @property
    def label(self) -> str:
        """第7步“确定发展对象” / 思想汇报(2025年第一季度)."""
        return self.name if self.number == rules.THOUGHT_REPORT else f"第{self.number}步“{self.name}”"


def overdue_steps(*, today: datetime.date, branch: Organization | None = None, organizations_q: Q | None = None):
    """The secretary's to-do list: each overdue step of an active person, the longest overdue first. Two queries."""
    return overdue_from(pipeline(branch=branch, organizations_q=organizations_q, today=today), today)


def overdue_from(rows: list[Row], today: datetime.date) -> list[OverdueStep]:
    found = []
    for row in rows:
        for due in row.overdue(today):
            found.append(OverdueStep(row.person, due.number, due.name, due.due_on, (today - due.due_on).days))
    return sorted(found, key=lambda o: (-o.days_overdue, o.person.name, o.number))


def visible_people_q(user, prefix: str = "") -> Q:
    """A Q over people (or, with prefix "person__", their steps) in the organizations the user may see."""
    return visible_organizations_q(user, f"{prefix}branch__")


# ---------------------------------------------------------------- the committee's view


@dataclass
class OrgSummary:
    organization: Organization
    stages: Counter = field(default_factory=Counter)
    overdue: int = 0
    admitted: int = 0  # step 17 in the year
    planned: int | None = None

    @property
    def total(self) -> int:
        return sum(self.stages.values())

    def stage_counts(self) -> list[int]:
        return [self.stages.get(s, 0) for s in Stage.values]


def committee_summary(
    *, organization: Organization, year: int, today: datetime.date, rows: list[Row] | None = None
) -> list[OrgSummary]:
    """Per child organization of `organization` (and itself, for people directly under it): people by stage,
    overdue steps, admissions in `year` (step 17) against the plan. Four queries."""
    children = list(
        Organization.objects.filter(depth=organization.depth + 1, path__startswith=organization.path)
        .exclude(kind=Organization.Kind.GROUP)
        .order_by("path")
    )
    units = children or [organization]
    summaries = {o.pk: OrgSummary(o) for o in units}

    def unit_of(path: str):
        return next((o for o in units if path.startswith(o.path)), None)

    if rows is None:
        rows = pipeline(organizations_q=subtree_q(organization), today=today)
    for row in rows:
        unit = unit_of(row.person.branch.path)
        if unit is not None:
            summaries[unit.pk].stages[row.person.stage] += 1
            summaries[unit.pk].overdue += len(row.overdue(today))
    admitted = (
        Step.objects.filter(number=17, date__year=year, person__branch__path__startswith=organization.path)
        .values("person__branch__path")
        .annotate(n=Count("id"))
    )
    for item in admitted:
        unit = unit_of(item["person__branch__path"])
        if unit is not None:
            summaries[unit.pk].admitted += item["n"]
    for plan in DevelopmentPlan.objects.filter(year=year, organization__in=[o.pk for o in units]):
        summaries[plan.organization_id].planned = plan.planned
    return sorted(summaries.values(), key=lambda s: (-s.overdue, s.organization.path))


def plan_for(organization: Organization, year: int) -> DevelopmentPlan | None:
    return DevelopmentPlan.objects.filter(organization=organization, year=year).first()


def stage_durations(persons_rows: list[Row], today: datetime.date) -> dict[str, float]:
    """Average days people have spent in their current stage so far (since the step that opened it)."""
    opened = {Stage.APPLICANT: 1, Stage.ACTIVIST: 3, Stage.CANDIDATE: 7, Stage.ADMISSION: 12, Stage.PROBATION: 19}
    spans: dict[str, list[int]] = {}
    for row in persons_rows:
        start = row.path.date(opened.get(row.person.stage, 24))
        if start is not None:
            spans.setdefault(row.person.stage, []).append((today - start).days)
    return {stage: round(sum(v) / len(v)) for stage, v in spans.items()}


def register(*, branch: Organization):
    """Everyone who has been on the path in the branch, active or not (the register keeps history). Two queries."""
    return person_queryset().filter(branch=branch).order_by("status", "name", "id")


@dataclass(frozen=True)
class Material:
    number: int
    title: str
    recorded: bool  # the step is on record
    present: bool  # and a scanned document is attached to it


def material_checklist(steps, reports=()) -> list[Material]:
    """Which papers of the 材料归档 list are present, from person_steps() (documents prefetched: no query) and the
    person's 思想汇报 (person_reports(), already loaded: each recorded report is a paper handed in)."""
    by_number: dict[int, list] = {}
    for step in steps:
        by_number.setdefault(step.number, []).append(step)
    result = []
    for number, title in rules.MATERIALS:
        if number == rules.THOUGHT_REPORT:
            count = len(reports)
            result.append(Material(number, f"{title}({count}份)" if count else title, count > 0, count > 0))
            continue
        present = any(step.documents.all() for step in by_number.get(number, []))
        result.append(Material(number, title, number in by_number, present))
    return result
