"""Reads for the ledger workbook and the export pages.

The workbook reads a *batch* of branches at once (`ledger_records`): one query per record type for the whole batch,
rows as tuples (values_list) rather than model instances, names joined in SQL, choice labels looked up in dicts built
once. A single branch's download is a batch of one, so it costs the same dozen queries as a batch of 200; a bulk
export costs about a dozen queries per LEDGER_EXPORT_BATCH_SIZE branches instead of a dozen per branch.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from branches.access import visible_organizations_q
from branches.dues import month_state, owes_month_in
from branches.models import (
    CommitteePosition,
    CommitteeTerm,
    DuesPayment,
    ElectionStep,
    Member,
    Membership,
    Organization,
    StandingPeriod,
)
from branches.standing import standing_flag, with_periods
from common.periods import month_start, year_range
from meetings.models import AgendaItem, Attendance, Meeting, MeetingAmendment, MeetingAttachment, MemberReview, Talk

from .models import ExportJob

K = Meeting.Kind
# DOMAIN.md 三本一表: the 会议记录本 holds 三会 + 主题党日 + 组织生活会; 党课 go to the 学习记录本.
RECORD_BOOK_KINDS = (K.BRANCH_ASSEMBLY, K.BRANCH_COMMITTEE, K.GROUP_MEETING, K.THEME_DAY, K.ORG_LIFE)
STUDY_KINDS = (K.PARTY_LECTURE,)

MEMBER_FIELDS = (
    "id", "name", "gender", "ethnicity", "birth_date", "education", "id_number", "joined_on", "full_on", "category",
    "position", "group__name", "phone", "status", "dues_class", "dues_base",
)  # fmt: skip
MEETING_FIELDS = (
    "id", "organization_id", "kind", "status", "date", "start_time", "end_time", "place", "topic", "group__name",
    "host__name", "host_role", "recorder__name", "lecturer__name", "lecturer_name", "first_topic", "content", "votes",
    "resolutions", "open_items", "non_member_attendees", "archived_at",
)  # fmt: skip
PAYMENT_FIELDS = ("member_id", "month", "base", "rate", "amount_due", "amount_paid", "paid_on")


def _grouped(rows, key_index: int = 0) -> dict:
    grouped = defaultdict(list)
    for row in rows:
        grouped[row[key_index]].append(row)
    return grouped


@dataclass
class BranchLedger:
    """What one branch's workbook prints. Lists are in print order; the dicts keyed by meeting/talk/member id are
    shared by the whole batch (ids are unique, so a branch only ever looks up its own)."""

    branch: Organization
    year: int
    members: list = field(default_factory=list)  # MEMBER_FIELDS rows, by name: 党员花名册 and the dues grid
    periods: dict = field(default_factory=dict)  # member id -> [(started_on, ended_on)] in this branch
    standing: dict = field(default_factory=dict)  # member id -> [StandingPeriod] (停止党籍/留党察看), when any
    payments: dict = field(default_factory=dict)  # (member id, month) -> PAYMENT_FIELDS row
    meetings: list = field(default_factory=list)  # MEETING_FIELDS rows, by date
    attendance: dict = field(default_factory=dict)  # meeting id -> [(name, present, reason, note)] by name
    agenda: dict = field(default_factory=dict)  # meeting id -> [(order, title, is_first_topic)]
    attachments: dict = field(default_factory=dict)  # meeting id -> [kind] by id
    amendments: dict = field(default_factory=dict)  # meeting id -> [(created_at, reason)]
    talks: list = field(default_factory=list)  # (id, held_on, initiator name, summary) by date
    participants: dict = field(default_factory=dict)  # talk id -> [name] by name
    reviews: list = field(default_factory=list)  # (member name, grade, decided_on, notes, follow_up_done) by name
    terms: list = field(default_factory=list)  # CommitteeTerm with positions (member selected), oldest first
    steps: list = field(default_factory=list)  # ElectionStep by date


def ledger_records(branches, year: int, *, optional: tuple[str, ...] = ("talks", "reviews", "terms")) -> dict:
    """Branch id -> BranchLedger for every branch given, in a fixed number of queries whatever their number (about a
    dozen; `optional` leaves out the reads of sheets that are not wanted). Orders come from the database (its
    collation sorts the names) and are kept while grouping."""
    branches = list(branches)
    ids = [b.pk for b in branches]
    ledgers = {b.pk: BranchLedger(branch=b, year=year) for b in branches}
    if not ids:
        return ledgers
    start, end = year_range(year)

    # 党员花名册: everyone who belonged to the branch at some time in the year (a half-open period, as
    # branches.selectors.members_during). The dues grid also needs a period ending on 1 January (see dues_rows).
    periods = Membership.objects.filter(organization_id__in=ids, started_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    branches_of = defaultdict(set)
    for org_id, member_id, started_on, ended_on in periods.values_list(
        "organization_id", "member_id", "started_on", "ended_on"
    ):
        ledgers[org_id].periods.setdefault(member_id, []).append((started_on, ended_on))
        if ended_on is None or ended_on > start:
            branches_of[member_id].add(org_id)
    during = periods.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start)).values("member_id")
    rows = (
        Member.objects.filter(pk__in=during)
        .annotate(has_standing=standing_flag())
        .order_by("name", "id")
        .values_list(*MEMBER_FIELDS, "has_standing", named=True)
    )
    with_standing = []
    for row in rows:
        for org_id in branches_of[row.id]:
            ledgers[org_id].members.append(row)
        if row.has_standing:
            with_standing.append(row.id)
    # Dated standing: a 停止党籍 month owes no dues, as on the dues page (branches.standing); one query, and none
    # when nobody has a standing period.
    standing = defaultdict(list)
    if with_standing:
        for period in StandingPeriod.objects.filter(member__in=with_standing).order_by("started_on", "id"):
            standing[period.member_id].append(period)
    for ledger in ledgers.values():
        ledger.standing = standing
    # A member's payments follow them (branches.dues.dues_year_grid reads them by member, not by branch).
    payments = {
        (row[0], row[1]): row
        for row in DuesPayment.objects.filter(member__in=during, month__gte=start, month__lte=end).values_list(
            *PAYMENT_FIELDS
        )
    }

    # Held or archived meetings (a planned meeting that was not held is no record), with their roll, agenda,
    # attachments and corrections.
    meetings = (
        Meeting.objects.held()
        .filter(organization_id__in=ids, date__gte=start, date__lte=end, kind__in=RECORD_BOOK_KINDS + STUDY_KINDS)
        .order_by("organization_id", "date", "start_time", "id")
    )
    for row in meetings.values_list(*MEETING_FIELDS, named=True):
        ledgers[row.organization_id].meetings.append(row)
    meeting_ids = meetings.values("id")
    attendance = defaultdict(list)
    rolls = Attendance.objects.filter(meeting__in=meeting_ids).order_by("meeting_id", "member__name", "member_id")
    for meeting_id, *rest in rolls.values_list(
        "meeting_id", "member__name", "present", "absence_reason", "note"
    ).iterator(chunk_size=5000):
        attendance[meeting_id].append(rest)
    agenda = defaultdict(list)
    for meeting_id, *rest in (
        AgendaItem.objects.filter(meeting__in=meeting_ids)
        .order_by("meeting_id", "order")
        .values_list("meeting_id", "order", "title", "is_first_topic")
    ):
        agenda[meeting_id].append(rest)
    attachments = defaultdict(list)
    for meeting_id, kind in (
        MeetingAttachment.objects.filter(meeting__in=meeting_ids)
        .order_by("meeting_id", "id")
        .values_list("meeting_id", "kind")
    ):
        attachments[meeting_id].append(kind)
    amendments = defaultdict(list)
    for meeting_id, *rest in (
        MeetingAmendment.objects.filter(meeting__in=meeting_ids)
        .order_by("meeting_id", "created_at", "id")
        .values_list("meeting_id", "created_at", "reason")
    ):
        amendments[meeting_id].append(rest)

    participants = defaultdict(list)
    if "talks" in optional:
        talks = Talk.objects.filter(organization_id__in=ids, held_on__gte=start, held_on__lte=end)
        for org_id, *rest in talks.order_by("organization_id", "held_on", "id").values_list(
            "organization_id", "id", "held_on", "initiator__name", "summary"
        ):
            ledgers[org_id].talks.append(rest)
        for talk_id, name in (
            Talk.participants.through.objects.filter(talk__in=talks.values("id"))
            .order_by("talk_id", "member__name", "member_id")
            .values_list("talk_id", "member__name")
        ):
            participants[talk_id].append(name)
    if "reviews" in optional:
        for org_id, *rest in (
            MemberReview.objects.filter(organization_id__in=ids, year=year)
            .order_by("organization_id", "member__name", "member_id")
            .values_list("organization_id", "member__name", "grade", "decided_on", "notes", "follow_up_done")
        ):
            ledgers[org_id].reviews.append(rest)
    if "terms" in optional:
        # A branch has a term or two: model instances are cheap here, and CommitteeTerm.expires_on owns the rule.
        positions = CommitteePosition.objects.select_related("member").only("id", "term_id", "role", "member__name")
        for term in (
            CommitteeTerm.objects.filter(organization_id__in=ids)
            .prefetch_related(Prefetch("positions", queryset=positions.order_by("role", "id")))
            .order_by("organization_id", "started_on", "id")
        ):
            ledgers[term.organization_id].terms.append(term)
        for step in ElectionStep.objects.filter(organization_id__in=ids).order_by("organization_id", "done_on", "id"):
            ledgers[step.organization_id].steps.append(step)

    for ledger in ledgers.values():
        ledger.payments, ledger.attendance, ledger.agenda = payments, attendance, agenda
        ledger.attachments, ledger.amendments, ledger.participants = attachments, amendments, participants
    return ledgers


# ---------------------------------------------------------------- the dues grid


@dataclass
class DuesRow:
    member: tuple  # a MEMBER_FIELDS row
    cells: list  # 12 (state, payment row or None)
    paid_total: Decimal
    unpaid_months: int


def dues_rows(ledger: BranchLedger, *, today: datetime.date) -> list[DuesRow]:
    """Member × month for the year, on the rows already read; each month's state comes from branches.dues.month_state,
    as on the dues page (tests/ledgers/test_workbook.py checks both give the same grid)."""
    year = ledger.year
    months = [datetime.date(year, m, 1) for m in range(1, 13)]
    current = month_start(today)
    payments = ledger.payments
    rows = []
    for member in ledger.members:
        here = ledger.periods.get(member.id, ())
        subject = with_periods(member, ledger.standing.get(member.id))
        cells, paid_total, unpaid = [], Decimal("0"), 0
        for month in months:
            payment = payments.get((member.id, month))
            paid, due = (payment[5], payment[4]) if payment is not None else (None, None)  # amount_paid, amount_due
            in_branch = any(owes_month_in(s, e, month) for s, e in here)
            state = month_state(subject, month, in_branch=in_branch, paid=paid, due=due, current=current)
            if paid:
                paid_total += paid
            unpaid += state == "unpaid"
            cells.append((state, payment))
        rows.append(DuesRow(member=member, cells=cells, paid_total=paid_total, unpaid_months=unpaid))
    return rows


def branches_under(organization: Organization):
    """The branches a bulk export covers, in tree order: the organization itself when it is a branch."""
    return Organization.objects.under(organization).branches().only("id", "path", "code", "name", "kind")


# ---------------------------------------------------------------- export pages


def exportable_organizations(user):
    """Organizations the user may start a bulk export for: visible committees and 党总支; a user whose roles are
    only branches gets their branches (one query)."""
    visible = Organization.objects.filter(visible_organizations_q(user)).only("id", "code", "name", "kind", "path")
    above = list(visible.filter(kind__in=(Organization.Kind.COMMITTEE, Organization.Kind.GENERAL_BRANCH)))
    if above:
        return above
    return list(visible.filter(kind=Organization.Kind.BRANCH))


def export_job_list(user, *, search: str = "", status: str = "", year: int | None = None):
    """The user's own jobs, newest first (one query per page)."""
    qs = ExportJob.objects.for_user(user).select_related("organization")
    if search:
        qs = qs.filter(Q(organization__name__icontains=search) | Q(organization__code__icontains=search))
    if status:
        qs = qs.filter(status=status)
    if year:
        qs = qs.filter(year=year)
    return qs


def get_job_for_user(user, pk) -> ExportJob | None:
    """Only the owner sees a job; anybody else gets None (the view answers 404, revealing nothing)."""
    return ExportJob.objects.for_user(user).select_related("organization").filter(pk=pk).first()
