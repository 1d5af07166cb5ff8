"""Print-ready sheet writing on openpyxl's write-only mode (memory stays flat however many rows).

What write-only worksheets support, and what we use (openpyxl 3.1, WriteOnlyWorksheet copies these from Worksheet):
- column widths, row heights, freeze_panes, print_title_rows, page_setup, page margins, header/footer and merged cells:
  all are written either before the first row (widths, freeze panes: the <sheetViews>/<cols> elements come before
  <sheetData>) or after the last one (merges, page setup), so they must be set before the first `append`;
- cell styles only through cells. A style is an index array (StyleArray) into the workbook's style tables; we build
  one array per kind of cell once per workbook (`Styles`) and share it, never mutated, with every cell of that kind.

The cell loop is the hot path of a bulk export (hundreds of thousands of cells), so it is kept tight:
- `ws.append()` of ready-made cells costs openpyxl, per cell, a failed value conversion (a ValueError whose message
  formats the cell) and a fresh throwaway cell; plain values cost neither, because openpyxl then reuses one cell. So a
  LedgerSheet hands openpyxl its own generator (`_cells`, in place of WriteOnlyWorksheet._values_to_row, which turns an
  appended row into cells): one reused cell a sheet, given its value, type and shared style per column, the way
  openpyxl's own generator does for plain values. `FAST_CELLS` is False where that hook is missing (another openpyxl):
  the same cells then go through the public `ws.append`, slower and identical (tests write both ways);
- each column knows its three styles in advance (for a number, a text placeholder such as "未交", a date), each with
  its index in the workbook's table of cell styles, which the reused cell (`_StyledCell`) stores instead of looking it
  up for every cell written; so a cell costs a type test and a few attribute stores.

Formula injection (OWASP "CSV injection"): a text value starting with = + - @ (or a tab / carriage return) would be
read as a formula by Excel, WPS or LibreOffice, or by whatever later reads a CSV made from the sheet. Every text value
goes through `safe_text`, which prefixes such a value with an apostrophe ('=1+1 shows as '=1+1 and is never evaluated).
The apostrophe is visible: deliberate, so the cell shows what was typed. Characters XML cannot hold are removed.
"""

import datetime
import decimal
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.utils import timezone, translation
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from branches.dues import dues_amount, dues_rate
from branches.models import CommitteePosition, Member
from branches.validators import mask_id_number
from meetings.models import Attendance, Meeting, MeetingAttachment, MemberReview

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for a cell's text
# The hook the fast path replaces (see the module docstring); absent in another openpyxl: then the public path.
FAST_CELLS = callable(getattr(WriteOnlyWorksheet, "_values_to_row", None))


def safe_text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text / center / date / short_date / money / number


class Style(NamedTuple):
    array: StyleArray  # indexes into the workbook's font/border/... tables
    id: int  # the array's index in the workbook's table of cell styles: the s="" of a written cell


class Styles:
    """One Style per kind of cell, registered once in the workbook."""

    def __init__(self, workbook: Workbook, sheet):
        thin = Side(style="thin", color="808080")
        border = Border(left=thin, right=thin, top=thin, bottom=thin)
        wrap_top = Alignment(wrap_text=True, vertical="top")
        center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        body = Font(name="宋体", size=10)

        def make(**attrs):
            cell = WriteOnlyCell(sheet)
            for name, value in attrs.items():
                setattr(cell, name, value)
            return Style(cell._style, workbook._cell_styles.add(cell._style))

        self.title = make(
            font=Font(name="黑体", size=14, bold=True), alignment=Alignment(horizontal="center", vertical="center")
        )
        self.header = make(
            font=Font(name="黑体", size=10, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=border,
            fill=PatternFill("solid", fgColor="F2DCDB"),
        )
        self.by_kind = {
            "text": make(font=body, alignment=wrap_top, border=border),
            "center": make(font=body, alignment=center, border=border),
            "date": make(font=body, alignment=center, border=border, number_format="yyyy-mm-dd"),
            "short_date": make(font=body, alignment=center, border=border, number_format="m-d"),
            "money": make(font=body, alignment=Alignment(vertical="top"), border=border, number_format="0.00"),
            "number": make(font=body, alignment=center, border=border, number_format="0.##"),
        }

    def for_column(self, kind: str) -> tuple:
        """(style of a number, of a text, of a date) in a column of this kind: a text placeholder such as "未交" in a
        numeric or date column is centred; a date anywhere gets a date format (else it would show as a serial)."""
        by_kind = self.by_kind
        if kind in ("text", "center"):
            return by_kind[kind], by_kind[kind], by_kind["date"]
        if kind in ("date", "short_date"):
            return by_kind["center"], by_kind["center"], by_kind[kind]
        return by_kind[kind], by_kind["center"], by_kind["date"]


_DATES = (datetime.date, datetime.datetime)
_NUMBERS = (int, float)


class _StyledCell(Cell):
    """The cell a LedgerSheet reuses, with its style index stored rather than computed: openpyxl's
    StyleableObject.style_id registers the cell's StyleArray in the workbook's table each time it is read (a hash of
    nine numbers a cell written); ours are registered once, in Styles. Every ledger cell has a style (at least the
    table's border), so has_style is stored too (it is otherwise computed twice a cell)."""

    __slots__ = ("style_id", "has_style")

    def __init__(self, worksheet):
        super().__init__(worksheet)
        self.has_style = True
        self.style_id = 0


class LedgerSheet:
    """A sheet of the ledger: a title row ("<branch> <year>年 <sheet>"), one or two header rows repeated on every
    printed page and frozen on screen, then bordered, wrapped data rows. Everything that write-only mode needs before
    the first row is set in __init__."""

    def __init__(
        self,
        workbook: Workbook,
        styles: Styles,
        *,
        name: str,
        title: str,
        columns: Sequence[Column],
        landscape: bool = False,
        header_rows: Sequence[Sequence[str | None]] | None = None,
        merges: Iterable[str] = (),
    ):
        self.ws = workbook.create_sheet(name)
        self.columns = list(columns)
        self.rows_written = 0
        ws, last = self.ws, get_column_letter(len(self.columns))
        headers = list(header_rows) if header_rows else [[c.header for c in self.columns]]
        self.header_count = len(headers)

        for index, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{self.header_count + 2}"
        ws.print_title_rows = f"1:{self.header_count + 1}"
        ws.row_dimensions[1].height = 30
        ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE if landscape else Worksheet.ORIENTATION_PORTRAIT
        # Fit every column on the page width; as many pages down as needed.
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.6
        ws.print_options.horizontalCentered = True
        ws.oddFooter.center.text = "第 &P 页,共 &N 页"
        ws.merged_cells.add(f"A1:{last}1")
        for ref in merges:
            ws.merged_cells.add(ref)

        self._fast = FAST_CELLS
        self._cell = _StyledCell(ws)  # reused for every cell of the sheet (openpyxl writes each before the next)
        if self._fast:
            ws._values_to_row = self._cells
        self._data_styles = [styles.for_column(c.kind) for c in self.columns]
        self._styles = [(styles.title,) * 3]
        self._write([title])
        self._styles = [(styles.header,) * 3] * len(self.columns)
        for values in headers:
            self._write(values)
        self._styles = self._data_styles

    def append(self, values: Sequence) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{self.ws.title}: {len(values)} values for {len(self.columns)} columns")
        self._write(values)
        self.rows_written += 1

    def _write(self, values: Sequence) -> None:
        if self._fast:
            self.ws.append(values)  # -> self._cells(values, row_idx)
        else:
            self.ws.append(self._cells(values, 1))  # openpyxl sets each cell's row and column itself

    def _cells(self, values, row_idx):
        """One row's cells: the reused cell, given each value with its data type and shared style in turn."""
        cell = self._cell
        cell.row = row_idx
        for col_idx, value, (number_style, text_style, date_style) in zip(
            range(1, len(values) + 1), values, self._styles, strict=True
        ):
            kind = type(value)
            if kind is str:
                value, style = safe_text(value), text_style
                cell.data_type = "s"
            elif value is None:
                # An empty cell is still written, with its style (the border of the table).
                value, style = "", text_style
                cell.data_type = "s"
            elif kind is decimal.Decimal:
                value, style = float(value), number_style
                cell.data_type = "n"
            elif kind in _DATES:
                style = date_style
                cell.data_type = "d"
            elif kind is bool:
                style = text_style
                cell.data_type = "b"
            elif isinstance(value, _NUMBERS):
                style = number_style
                cell.data_type = "n"
            else:
                value, style = safe_text(str(value)), text_style
                cell.data_type = "s"
            cell._style, cell.style_id = style
            cell._value = value
            cell.column = col_idx
            yield cell


class _StyleHost:
    """All a cell needs of its worksheet to register a style in the workbook's tables: the workbook (cheaper than a
    throwaway Worksheet, which builds its page setup, views and dimensions)."""

    def __init__(self, workbook: Workbook):
        self.parent = workbook


def new_workbook() -> tuple[Workbook, Styles]:
    workbook = Workbook(write_only=True)
    return workbook, Styles(workbook, _StyleHost(workbook))


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
    Column("身份证号码", 21),
    Column("入党日期", 12, "date"),
    Column("转正日期", 12, "date"),
    Column("类别", 10, "center"),
    Column("职务/岗位", 16),
    Column("党小组", 12),
    Column("联系电话", 14),
    Column("党籍状态", 10, "center"),
)
MEETING_COLUMNS = (
    Column("序号", 5, "center"),
    Column("会议日期", 11, "date"),
    Column("起止时间", 12, "center"),
    Column("会议类型", 12),
    Column("会议主题", 20),
    Column("地点", 12),
    Column("主持人", 12),
    Column("记录人", 8),
    Column("应到", 5, "number"),
    Column("实到", 5, "number"),
    Column("缺席人员及原因", 18),
    Column("列席人员", 12),
    Column("议题", 26),
    Column("会议内容及讨论情况", 40),
    Column("表决情况", 16),
    Column("会议决议", 24),
    Column("待办事项", 16),
    Column("附件", 12),
    Column("状态", 12),
    Column("更正记录", 18),
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


def _time_span(start: datetime.time | None, end: datetime.time | None) -> str:
    if start is None:
        return ""
    return f"{start:%H:%M}–{end:%H:%M}" if end else f"{start:%H:%M}"


def _person(name: str | None, role: str = "") -> str:
    if not name:
        return ""
    return f"{name}({role})" if role else name


def write_roster(workbook, styles, ledger) -> int:
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_ROSTER, title=_title(ledger.branch, ledger.year, SHEET_ROSTER),
        columns=ROSTER_COLUMNS, landscape=True,
    )  # fmt: skip
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


class _MeetingText:
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


def write_meetings(workbook, styles, ledger) -> int:
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_MEETINGS, title=_title(ledger.branch, ledger.year, SHEET_MEETINGS),
        columns=MEETING_COLUMNS, landscape=True,
    )  # fmt: skip
    text = _MeetingText(ledger)
    kinds, statuses = labels(Meeting.Kind), labels(Meeting.Status)
    n = 0
    for m in ledger.meetings:
        if m.kind == Meeting.Kind.PARTY_LECTURE:
            continue
        n += 1
        expected, absent, _present = text.roll(m.id)
        kind = kinds.get(m.kind, m.kind) + (f"({m.group__name})" if m.group__name else "")
        status = statuses.get(m.status, m.status)
        if m.archived_at:
            status += f"({timezone.localtime(m.archived_at):%Y-%m-%d})"
        sheet.append(
            (
                n, m.date, _time_span(m.start_time, m.end_time), kind, m.topic, m.place,
                _person(m.host__name, m.host_role), _person(m.recorder__name), expected, expected - len(absent),
                text.absentees(absent), m.non_member_attendees, text.agenda(m.id), m.content, m.votes, m.resolutions,
                m.open_items, text.attachments(m.id), status, text.amendments(m.id),
            )
        )  # fmt: skip
    return sheet.rows_written


def study_rows(ledger) -> Iterable[tuple]:
    """学习记录本: every 党课, and every other meeting that opened with a 第一议题 (studying the latest theory)."""
    text = _MeetingText(ledger)
    for m in ledger.meetings:
        if m.kind == Meeting.Kind.PARTY_LECTURE:
            form, topic, lead = "党课", m.topic, m.lecturer__name or m.lecturer_name  # Meeting.lecturer_display
            if m.first_topic:
                topic = f"{topic}\n(第一议题:{m.first_topic})"
        elif m.first_topic:
            form = f"{Meeting.Kind(m.kind).short}·第一议题学习"
            topic, lead = m.first_topic, _person(m.host__name)
        else:
            continue
        _expected, _absent, present = text.roll(m.id)
        yield (m.date, form, topic, lead, "、".join(present), len(present), _hours(m.start_time, m.end_time))


def write_study(workbook, styles, ledger) -> int:
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_STUDY, title=_title(ledger.branch, ledger.year, SHEET_STUDY),
        columns=STUDY_COLUMNS, landscape=True,
    )  # fmt: skip
    for n, row in enumerate(study_rows(ledger), 1):
        sheet.append((n, *row))
    return sheet.rows_written


_DUES_STATE_TEXT = {"unpaid": "未交", "away": "不在本支部", "not_due": "无需交纳", "pending": "", "partial": ""}


def write_dues(workbook, styles, ledger, grid) -> int:
    """Member × month: base, rate and amount due (as recorded in the year's latest payment row; the member's current
    base when nothing is recorded), then each month's amount paid and date paid. `grid`: selectors.dues_rows."""
    months = [Column(f"{m}月{label}", width, kind) for m in range(1, 13) for label, width, kind in
              (("实交", 7, "money"), ("日期", 6, "short_date"))]  # fmt: skip
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
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_DUES, title=_title(ledger.branch, ledger.year, SHEET_DUES), columns=columns,
        landscape=True, header_rows=[top, second], merges=merges,
    )  # fmt: skip
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
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_TALKS, title=_title(ledger.branch, ledger.year, SHEET_TALKS),
        columns=TALK_COLUMNS, landscape=True,
    )  # fmt: skip
    participants = ledger.participants
    for n, (talk_id, held_on, initiator, summary) in enumerate(ledger.talks, 1):
        sheet.append((n, held_on, initiator, "、".join(participants.get(talk_id, ())), summary))
    return sheet.rows_written


def write_reviews(workbook, styles, ledger) -> int:
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_REVIEWS, title=_title(ledger.branch, ledger.year, SHEET_REVIEWS),
        columns=REVIEW_COLUMNS,
    )  # fmt: skip
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
    sheet = LedgerSheet(
        workbook, styles, name=SHEET_TERMS, title=_title(ledger.branch, ledger.year, SHEET_TERMS),
        columns=TERM_COLUMNS, landscape=True,
    )  # fmt: skip
    for n, row in enumerate(term_rows(ledger.terms, ledger.steps), 1):
        sheet.append((n, *row))
    return sheet.rows_written
