"""Reads for 谈心谈话 and 民主评议党员: each function owns its select_related/prefetch_related."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from branches.access import check_organization, visible_organizations_q
from branches.models import Member, Organization
from branches.selectors import members_during

from .. import plan
from ..models import MemberReview, Talk

# ---------------------------------------------------------------- access: one helper per object kind


def _record_for_user(queryset, pk, *, user, write: bool, code: str | None, missing: str):
    """The record `pk` of a branch the user may open (write: may change); 404 `missing` when there is none, or when
    `code` (the branch in the URL) is not its branch."""
    record = queryset.filter(pk=pk).first()
    if record is None or (code is not None and record.organization.code != code):
        raise Http404(missing)
    check_organization(user, record.organization, write=write)
    return record


def get_talk_for_user(user, pk, *, write: bool = False, code: str | None = None) -> Talk:
    return _record_for_user(talk_queryset(), pk, user=user, write=write, code=code, missing="没有找到该谈话记录。")


def get_review_for_user(user, pk, *, write: bool = False, code: str | None = None) -> MemberReview:
    return _record_for_user(review_queryset(), pk, user=user, write=write, code=code, missing="没有找到该评议记录。")


def _year_range(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def talk_queryset():
    return Talk.objects.select_related("organization", "initiator", "created_by").prefetch_related(
        Prefetch("participants", queryset=Member.objects.only("id", "name").order_by("name", "id"))
    )


def talk_list(user=None, *, organization: Organization | None = None, year: int | None = None, search: str = ""):
    """Talks the user may see, newest first; `organization` narrows to one branch, `year` to one calendar year."""
    qs = talk_queryset()
    if user is not None:
        qs = qs.filter(visible_organizations_q(user, "organization__"))
    if organization is not None:
        qs = qs.filter(organization=organization)
    if year is not None:
        start, end = _year_range(year)
        qs = qs.filter(held_on__gte=start, held_on__lte=end)
    if search:
        # Searching the participants' names needs a subquery, not a join, so that rows are not repeated.
        by_participant = Talk.participants.through.objects.filter(member__name__icontains=search).values("talk_id")
        qs = qs.filter(Q(summary__icontains=search) | Q(initiator__name__icontains=search) | Q(pk__in=by_participant))
    return qs.order_by("-held_on", "-id")


def talk_coverage(branch: Organization, year: int, as_of: datetime.date | None = None) -> tuple[set[int], list[Member]]:
    """(ids of covered members, members required) for a year.

    Required: plan.coverage_members, the one rule of the `talks` indicator (DOMAIN.md: members in good standing who
    belong to the branch on the year's last day, or on as_of, default today, while it runs).
    Covered: a member who took part in a talk held in the year, as talker or as listener, in any branch (the talk
    happened; a member transferred mid-year need not talk twice). Three queries."""
    start, end = _year_range(year)
    as_of = as_of or timezone.localdate()
    required = list(plan.coverage_members(branch, year, as_of).select_related("organization").order_by("name", "id"))
    ids = [m.pk for m in required]
    in_year = Talk.objects.filter(held_on__gte=start, held_on__lte=end)
    covered = set(
        Talk.participants.through.objects.filter(talk__in=in_year, member_id__in=ids).values_list(
            "member_id", flat=True
        )
    ) | set(in_year.filter(initiator_id__in=ids).values_list("initiator_id", flat=True))
    return covered, required


@dataclass(frozen=True)
class CoverageRow:
    member: Member
    covered: bool


def talk_coverage_table(branch: Organization, year: int, as_of: datetime.date | None = None) -> list[CoverageRow]:
    """谁还没谈过: the not-yet-covered members first."""
    covered, required = talk_coverage(branch, year, as_of)
    rows = [CoverageRow(member=m, covered=m.pk in covered) for m in required]
    return sorted(rows, key=lambda r: (r.covered, r.member.name))


# ---------------------------------------------------------------- 民主评议党员


def review_queryset():
    return MemberReview.objects.select_related("member", "organization", "meeting")


def review_list(
    user=None,
    *,
    organization: Organization | None = None,
    year: int | None = None,
    grade: str = "",
    search: str = "",
    open_follow_up: bool | None = None,
):
    qs = review_queryset()
    if user is not None:
        qs = qs.filter(visible_organizations_q(user, "organization__"))
    if organization is not None:
        qs = qs.filter(organization=organization)
    if year is not None:
        qs = qs.filter(year=year)
    if grade:
        qs = qs.filter(grade=grade)
    if search:
        qs = qs.filter(Q(member__name__icontains=search) | Q(notes__icontains=search))
    if open_follow_up is True:
        qs = qs.filter(grade=MemberReview.Grade.UNQUALIFIED, follow_up_done=False)
    elif open_follow_up is False:
        qs = qs.filter(grade=MemberReview.Grade.UNQUALIFIED, follow_up_done=True)
    return qs.order_by("-year", "member__name", "id")


@dataclass
class ReviewRow:
    member: Member
    review: MemberReview | None
    elsewhere: bool  # graded this year by another branch (the member transferred)


def review_roster(branch: Organization, year: int) -> list[ReviewRow]:
    """One row per member who belonged to the branch during the year, with their grade if any. Two queries."""
    start, end = _year_range(year)
    members = list(members_during(branch, start, end).order_by("name", "id"))
    reviews = {
        r.member_id: r
        for r in MemberReview.objects.filter(year=year, member__in=[m.pk for m in members]).select_related(
            "organization"
        )
    }
    return [
        ReviewRow(
            member=m,
            review=reviews.get(m.pk),
            elsewhere=m.pk in reviews and reviews[m.pk].organization_id != branch.pk,
        )
        for m in members
    ]


def review_roster_coverage(branch: Organization, year: int, rows: list[ReviewRow], as_of=None) -> tuple[int, int]:
    """(reviewed, required) of the `member_review` indicator's rule (plan.coverage_members) on a roster already read
    by review_roster: one query. The roster lists everyone who belonged during the year; the figure counts only those
    the indicator counts, so the grading screen and the scorecard say the same."""
    required = set(plan.coverage_members(branch, year, as_of or timezone.localdate()).values_list("pk", flat=True))
    reviewed = sum(1 for row in rows if row.member.pk in required and row.review is not None)
    return reviewed, len(required)


def review_year_summary(branch: Organization) -> list[dict]:
    """Per year: how many were graded, by grade, and the open follow-ups. One query."""
    return list(
        MemberReview.objects.filter(organization=branch)
        .values("year")
        .annotate(
            total=Count("id"),
            excellent=Count("id", filter=Q(grade=MemberReview.Grade.EXCELLENT)),
            qualified=Count("id", filter=Q(grade=MemberReview.Grade.QUALIFIED)),
            basically=Count("id", filter=Q(grade=MemberReview.Grade.BASICALLY_QUALIFIED)),
            unqualified=Count("id", filter=Q(grade=MemberReview.Grade.UNQUALIFIED)),
            open_follow_ups=Count("id", filter=Q(grade=MemberReview.Grade.UNQUALIFIED, follow_up_done=False)),
        )
        .order_by("-year")
    )


def review_coverage(
    branch: Organization, year: int, as_of: datetime.date | None = None
) -> tuple[set[int], list[Member]]:
    """(ids of members reviewed for the year, members required): the `member_review` indicator's rule
    (plan.coverage_members)."""
    required = list(plan.coverage_members(branch, year, as_of or timezone.localdate()).order_by("name", "id"))
    graded = set(
        MemberReview.objects.filter(year=year, member__in=[m.pk for m in required]).values_list("member_id", flat=True)
    )
    return graded, required


# ---------------------------------------------------------------- audit history


@dataclass(frozen=True)
class HistoryRow:
    when: datetime.datetime
    who: str
    action: str  # 新建 / 修改 / 删除
    changes: list[tuple[str, str, str]]  # (field label, old, new)


_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


def _display(model, field_name: str, value) -> str:
    if isinstance(value, list):  # an m2m field: rows of the through table
        names = [str(row.get("member", "")) for row in value if isinstance(row, dict)]
        return "、".join(names) or "—"
    if value is None or value == "":
        return "—"
    field = model._meta.get_field(field_name)
    if getattr(field, "choices", None):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def history_rows(instance) -> list[HistoryRow]:
    """The audit trail of a record, newest first, with what changed in each step (simple_history)."""
    model = type(instance)
    records = list(instance.history.select_related("history_user").order_by("history_date", "history_id"))
    rows, previous = [], None
    for record in records:
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=True)
            for change in delta.changes:
                label = str(model._meta.get_field(change.field).verbose_name)
                changes.append(
                    (label, _display(model, change.field, change.old), _display(model, change.field, change.new))
                )
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=str(record.history_user) if record.history_user else "系统",
                action=_ACTIONS.get(record.history_type, record.history_type),
                changes=changes,
            )
        )
        previous = record
    return rows[::-1]
