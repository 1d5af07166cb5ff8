"""The sheets of the 三本一表 workbook (DOMAIN.md "三本一表"), written with the shared writer common/xlsx.py (write-only
sheets, shared styles, print setup, row heights from the wrapped text, cells starting with = + - @ neutralised).

Print layout (A4; body text 10.5 pt, 五号; the left margin wide enough to bind; the branch, year and page numbers in the
footer): the 会议记录本 is a book of one block a meeting on portrait pages (meeting_book.py); the 党费收缴登记本 grid
prints at 100% on as many landscape pages across as it needs, its 序号 and 姓名 columns and header rows repeated on each;
the other sheets are fitted to the page width, which keeps them at 80% or more (`xlsx.scale_to_fit`, tested).
"""

import datetime
import functools
from collections.abc import Iterable

from django.utils import timezone, translation
from openpyxl.utils import get_column_letter

from branches.dues import dues_amount, dues_rate
from branches.models import CommitteePosition, Member
from branches.validators import mask_id_number
from common import xlsx
from common.xlsx import Column, Page
from meetings.models import Attendance, Meeting, MeetingAttachment, MemberReview

new_workbook = xlsx.new_workbook
safe_text = xlsx.safe_text

# Landscape pages are bound on their top edge (the long side of the portrait book).
LANDSCAPE = Page(landscape=True, left=0.6, right=0.6, top=0.9, bottom=0.6)
PORTRAIT = Page()
DUES_PAGE = Page(landscape=True, fit_width=False, scale=100, title_cols="A:B", left=0.6, right=0.6, top=0.9, bottom=0.6)


# ---------------------------------------------------------------- the sheets (DOMAIN.md "三本一表")

SHEET_ROSTER = "党员花名册"
SHEET_MEETINGS = "会议记录本"
SHEET_STUDY = "学习记录本"
SHEET_DUES = "党费收缴登记本"
SHEET_TALKS = "谈心谈话记录"
SHEET_REVIEWS = "民主评议结果"
SHEET_TERMS = "换届记录"
REQUIRED_SHEETS = (SHEET_ROSTER, SHEET_MEETINGS, SHEET_STUDY, SHEET_DUES)
OPTIONAL_SHEETS = (SHEET_TALKS, SHEET_REVIEWS, SHEET_TERMS)

ROSTER_COLUMNS = (
    Column("序号", 6, "center"),
    Column("姓名", 10),
    Column("性别", 6, "center"),
    Column("民族", 8, "center"),
    Column("出生日期", 12, "date"),
    Column("学历", 10),
    Column("身份证号码", 22),
    Column("入党日期", 12, "date"),
    Column("转正日期", 12, "date"),
    Column("类别", 10, "center"),
    Column("职务/岗位", 16),
    Column("党小组", 12),
    Column("联系电话", 14),
    Column("党籍状态", 10, "center"),
)
STUDY_COLUMNS = (
    Column("序号", 6, "center"),
    Column("日期", 12, "date"),
    Column("形式", 16),
    Column("学习主题/内容", 36),
    Column("授课人/领学人", 14),
    Column("参加人员", 40),
    Column("实到人数", 8, "number"),
    Column("学时", 6, "number"),
)
DUES_LEAD_COLUMNS = (
    Column("序号", 5, "center"),
    Column("姓名", 9),
    Column("计算基数(元/月)", 10, "money"),
    Column("交纳比例", 7, "center"),
    Column("月应交(元)", 8, "money"),
)
DUES_TAIL_COLUMNS = (Column("全年实交(元)", 10, "money"), Column("欠交月数", 6, "number"))
TALK_COLUMNS = (
    Column("序号", 6, "center"),
    Column("谈话日期", 12, "date"),
    Column("谈话人", 12),
    Column("谈话对象", 28),
    Column("谈话内容摘要", 60),
)
REVIEW_COLUMNS = (
    Column("序号", 6, "center"),
    Column("姓名", 12),
    Column("评议等次", 10, "center"),
    Column("评议会议日期", 12, "date"),
    Column("备注", 40),
    Column("组织处置", 12, "center"),
)
TERM_COLUMNS = (
    Column("序号", 6, "center"),
    Column("日期", 12, "date"),
    Column("事项", 24),
    Column("内容", 48),
    Column("说明", 36),
)


def _title(branch, year: int, sheet: str) -> str:
    return f"{branch.name} {year}年 {sheet}"


def ledger_sheet(workbook, styles, ledger, name: str, columns, page: Page = LANDSCAPE, **options) -> xlsx.Sheet:
    """A sheet titled and footed "<branch> <year>年 <sheet>" (the footer also carries the page numbers)."""
    title = _title(ledger.branch, ledger.year, name)
    return xlsx.Sheet(workbook, styles, name=name, title=title, columns=columns, page=page, footer=title, **options)


def labels(choices) -> dict[str, str]:
    """code -> label of a TextChoices in the active language (a lazy label costs a translation lookup each time it
    is read: looked up once, not once a cell)."""
    return _labels(choices, translation.get_language())


@functools.lru_cache(maxsize=64)
def _labels(choices, language) -> dict[str, str]:
    return {value: str(label) for value, label in choices.choices}


def _hours(start: datetime.time | None, end: datetime.time | None) -> float | None:
    """学时 from the start and end time, to the half hour."""
    if start is None or end is None:
        return None
    minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
    return round(minutes / 30) / 2 if minutes > 0 else None


def time_span(start: datetime.time | None, end: datetime.time | None) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def person(name: str | None, role: str = "") -> str:
    if not name:
        return ""
    return f"{name}({role})" if role else name


def write_roster(workbook, styles, ledger) -> int:
    sheet = ledger_sheet(workbook, styles, ledger, SHEET_ROSTER, ROSTER_COLUMNS)
    gender, education = labels(Member.Gender), labels(Member.Education)
    category, status = labels(Member.Category), labels(Member.Status)
    for n, m in enumerate(ledger.members, 1):
        sheet.append(
            (
                n, m.name, gender.get(m.gender, m.gender), m.ethnicity, m.birth_date,
                education.get(m.education, m.education),
                mask_id_number(m.id_number),  # 身份证号码一律脱敏 (validators.mask_id_number)
                m.joined_on, m.full_on, category.get(m.category, m.category), m.position, m.group__name,
                m.phone, status.get(m.status, m.status),
            )
        )  # fmt: skip
    return sheet.rows_written


class MeetingText:
    """The text cells of a meeting row that come from its roll, agenda, attachments and corrections."""

    def __init__(self, ledger):
        self.ledger = ledger
        self.reasons = labels(Attendance.AbsenceReason)
        self.attachment_kinds = labels(MeetingAttachment.Kind)

    def roll(self, meeting_id) -> tuple[int, list, list]:
        roll = self.ledger.attendance.get(meeting_id, ())
        absent = [(name, reason, note) for name, present, reason, note in roll if not present]
        return len(roll), absent, [name for name, present, _reason, _note in roll if present]

    def absentees(self, absent) -> str:
        reasons = self.reasons
        return ";".join(
            f"{name}({reasons.get(reason, reason)}{':' + note if note else ''})" for name, reason, note in absent
        )

    def agenda(self, meeting_id) -> str:
        return "\n".join(
            f"{order}. {'【第一议题】' if first else ''}{title}"
            for order, title, first in self.ledger.agenda.get(meeting_id, ())
        )

    def attachments(self, meeting_id) -> str:
        counts = {}
        for kind in self.ledger.attachments.get(meeting_id, ()):
            label = self.attachment_kinds.get(kind, kind)
            counts[label] = counts.get(label, 0) + 1
        return "、".join(f"{label}{count}份" for label, count in counts.items())

    def amendments(self, meeting_id) -> str:
        return "\n".join(
            f"{timezone.localtime(created_at):%Y-%m-%d} {reason}"
            for created_at, reason in self.ledger.amendments.get(meeting_id, ())
        )


def study_rows(ledger) -> Iterable[tuple]:
    """学习记录本: every 党课, and every other meeting that opened with a 第一议题 (studying the latest theory)."""
    text = MeetingText(ledger)
    for m in ledger.meetings:
        if m.kind == Meeting.Kind.PARTY_LECTURE:
            form, topic, lead = "党课", m.topic, m.lecturer__name or m.lecturer_name  # Meeting.lecturer_display
            if m.first_topic:
                topic = f"{topic}\n(第一议题:{m.first_topic})"
        elif m.first_topic:
            form = f"{Meeting.Kind(m.kind).short}·第一议题学习"
            topic, lead = m.first_topic, person(m.host__name)
        else:
            continue
        _expected, _absent, present = text.roll(m.id)
        yield (m.date, form, topic, lead, "、".join(present), len(present), _hours(m.start_time, m.end_time))


def write_study(workbook, styles, ledger) -> int:
    sheet = ledger_sheet(workbook, styles, ledger, SHEET_STUDY, STUDY_COLUMNS)
    for n, row in enumerate(study_rows(ledger), 1):
        sheet.append((n, *row))
    return sheet.rows_written


_DUES_STATE_TEXT = {"unpaid": "未交", "away": "不在本支部", "not_due": "无需交纳", "pending": "", "partial": ""}


def write_dues(workbook, styles, ledger, grid) -> int:
    """Member × month: base, rate and amount due (as recorded in the year's latest payment row; the member's current
    base when nothing is recorded), then each month's amount paid and date paid. `grid`: selectors.dues_rows."""
    months = [Column(f"{m}月{label}", width, kind) for m in range(1, 13) for label, width, kind in
              (("实交", 8.5, "money"), ("日期", 6.5, "short_date"))]  # fmt: skip
    columns = (*DUES_LEAD_COLUMNS, *months, *DUES_TAIL_COLUMNS)
    lead, tail = len(DUES_LEAD_COLUMNS), len(DUES_TAIL_COLUMNS)
    top = [c.header for c in DUES_LEAD_COLUMNS]
    second = [None] * lead
    merges = [f"{get_column_letter(i)}2:{get_column_letter(i)}3" for i in range(1, lead + 1)]
    for m in range(12):
        col = lead + 1 + m * 2
        top += [f"{m + 1}月", None]
        second += ["实交(元)", "交纳日期"]
        merges.append(f"{get_column_letter(col)}2:{get_column_letter(col + 1)}2")
    for i in range(len(top) + 1, len(top) + tail + 1):
        merges.append(f"{get_column_letter(i)}2:{get_column_letter(i)}3")
    top += [c.header for c in DUES_TAIL_COLUMNS]
    second += [None] * tail
    # At 100% on as many landscape pages across as the 12 months need; 序号 and 姓名 repeated on each page. The title
    # spans the columns of the first page (a title merged across pages would print split); every page's header has it.
    sheet = ledger_sheet(
        workbook, styles, ledger, SHEET_DUES, columns, DUES_PAGE, header_rows=[top, second], merges=merges,
        title_merge=f"A1:{get_column_letter(lead + 12)}1",  # the first page: 6 months
    )  # fmt: skip
    sheet.ws.oddHeader.center.text = _title(ledger.branch, ledger.year, SHEET_DUES)
    for n, row in enumerate(grid, 1):
        member = row.member
        recorded = [payment for _state, payment in row.cells if payment is not None]
        if recorded:
            _m, _month, base, rate, due, _paid, _on = recorded[-1]
        else:
            base = member.dues_base
            rate, due = dues_rate(member.dues_class, base), dues_amount(member.dues_class, base)
        rate_label = f"{(rate * 100).normalize():f}%" if rate else "定额"
        values = [n, member.name, base, rate_label, due]
        for state, payment in row.cells:
            if payment is not None and payment[5] > 0:  # amount_paid, paid_on
                values += [payment[5], payment[6]]
            elif state == "paid":
                values += ["免交", None]
            else:
                values += [_DUES_STATE_TEXT.get(state, ""), None]
        values += [row.paid_total, row.unpaid_months]
        sheet.append(values)
    return sheet.rows_written


def write_talks(workbook, styles, ledger) -> int:
    sheet = ledger_sheet(workbook, styles, ledger, SHEET_TALKS, TALK_COLUMNS)
    participants = ledger.participants
    for n, (talk_id, held_on, initiator, summary) in enumerate(ledger.talks, 1):
        sheet.append((n, held_on, initiator, "、".join(participants.get(talk_id, ())), summary))
    return sheet.rows_written


def write_reviews(workbook, styles, ledger) -> int:
    sheet = ledger_sheet(workbook, styles, ledger, SHEET_REVIEWS, REVIEW_COLUMNS, PORTRAIT)
    grades = labels(MemberReview.Grade)
    for n, (name, grade, decided_on, notes, follow_up_done) in enumerate(ledger.reviews, 1):
        follow_up = ""
        if grade == MemberReview.Grade.UNQUALIFIED:
            follow_up = "已处置" if follow_up_done else "待处置"
        sheet.append((n, name, grades.get(grade, grade), decided_on, notes, follow_up))
    return sheet.rows_written


_ROLE_RANK = {role: rank for rank, role in enumerate(CommitteePosition.Role.values)}


def term_rows(terms, steps) -> list[tuple]:
    """换届记录: each term's start (with its committee) and end, and each dated step of the 换届 procedure, by date."""
    rows = []
    for term in terms:
        ranked = sorted(term.positions.all(), key=lambda p: (_ROLE_RANK.get(p.role, 99), p.member.name))
        positions = "、".join(f"{p.get_role_display()} {p.member.name}" for p in ranked)
        kind = "支部委员会" if term.has_committee else "不设委员会(书记)"
        note = f"任期{term.term_years}年,届满日期 {term.expires_on:%Y-%m-%d}"
        if term.extension_months:
            note += f";经批准延期{term.extension_months}个月({term.extension_document or term.extension_approved_on})"
        rows.append((term.started_on, f"本届{kind}开始", positions, note))
        if term.ended_on:
            rows.append((term.ended_on, "届满换届", "", term.note))
    for step in steps:
        figures = []
        if step.eligible_voters is not None:
            figures.append(f"应到{step.eligible_voters}人,实到{step.present_voters or 0}人")
        if step.seats is not None:
            figures.append(f"应选{step.seats}名,候选人{step.candidates or 0}名")
        rows.append((step.done_on, step.get_step_display(), ";".join(figures), step.note))
    rows.sort(key=lambda r: r[0])
    return rows


def write_terms(workbook, styles, ledger) -> int:
    sheet = ledger_sheet(workbook, styles, ledger, SHEET_TERMS, TERM_COLUMNS)
    for n, row in enumerate(term_rows(ledger.terms, ledger.steps), 1):
        sheet.append((n, *row))
    return sheet.rows_written
