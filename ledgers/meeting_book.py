"""会议记录本 as the book it replaces (DOMAIN.md "三本一表": one block a meeting, every field of the record, in date
order, print-ready).

A4 portrait at 100%, two columns (the field's name, its value), body text 10.5 pt (五号). Each meeting is a block: a
header line (序号, 会议类型, 日期, 起止时间, 地点), then 会议主题, 主持人, 记录人, 应到/实到, 缺席人员及原因, 列席人员, 议题 (the 第一议题
marked), 会议内容及讨论情况, 表决情况, 会议决议, 待办事项, 附件, 状态 and the amendments of an archived record, in full.

Neither Excel nor LibreOffice grows a row to fit its text when it opens a file, so every row is given the height its
text needs (common/xlsx.py estimates it on the safe side), and the pages are laid out here, with manual page breaks,
from those heights:
- a block starts a new page when it does not fit in what is left of the page, or when the page already holds two
  meetings (so the book takes at least one page per two meetings);
- a block taller than a page is split between rows, and its header line is repeated ("(续)") at the top of the next
  page; a long text fills what is left of the page and goes on in further rows ("(续)"; a row holds at most 409 pt,
  Excel's limit), cut between paragraphs where it can.
"""

from dataclasses import dataclass

from django.utils import timezone
from openpyxl.styles import Alignment, Font, PatternFill

from common import xlsx
from common.xlsx import Column, Page, Styles
from meetings.models import Meeting

from .workbook import SHEET_MEETINGS, MeetingText, labels, ledger_sheet, person, time_span

COLUMNS = (Column("项目", 18), Column("内容", 66))
PAGE = Page(landscape=False, fit_width=False, scale=100, left=1.0, right=0.5, top=0.7, bottom=0.7)
TITLE_PT = 30.0  # the sheet's title row, repeated at the top of every page
GAP_PT = 8.0  # the empty row after a block
# What a page holds below the title row: the printable height less a margin for the renderer's rounding.
PAGE_PT = PAGE.printable_pt()[1] - TITLE_PT - 40
MAX_LINES = 26  # the most lines one cell holds (26 lines of 10.5 pt: about 400 pt, under Excel's 409)


@dataclass
class _Row:
    values: tuple
    styles: list
    height: float


class _Book:
    """The sheet, its styles, and where the current page stands."""

    def __init__(self, workbook, styles: Styles, ledger):
        self.sheet = ledger_sheet(workbook, styles, ledger, SHEET_MEETINGS, COLUMNS, PAGE, header_rows=())
        size = styles.size
        label = styles.make(
            font=Font(name="黑体", size=size, bold=True), alignment=Alignment(vertical="top", wrap_text=True),
            border=xlsx.BORDER, fill=PatternFill("solid", fgColor="F7F0EF"),
        )  # fmt: skip
        head = styles.make(
            font=Font(name="黑体", size=size + 0.5, bold=True),
            alignment=Alignment(vertical="center", wrap_text=True), border=xlsx.BORDER, fill=xlsx.HEADER_FILL,
        )  # fmt: skip
        gap = styles.make(font=Font(name="宋体", size=size))
        self.field_styles = [Styles.same(label), Styles.same(styles.by_kind["text"])]
        self.head_styles = [Styles.same(head)] * 2
        self.gap_styles = [Styles.same(gap)] * 2
        self.size = size
        self.line = xlsx.height_pt(1, size)
        self.used = 0.0  # height used on the current page
        self.blocks_on_page = 0

    def block(self, head: tuple[str, str], fields: list[tuple[str, str]]) -> None:
        size, width = self.size, COLUMNS[1].width
        header = _Row(head, self.head_styles, _height(head[1], width, size + 0.5, bold=True))
        lines = [xlsx.line_count(value or "", width, size) for _name, value in fields]
        total = header.height + sum(xlsx.height_pt(n, size) for n in lines)
        if self.used and (self.used + total > PAGE_PT or self.blocks_on_page >= 2):
            self.new_page()
        self.blocks_on_page += 1
        self.write(header)
        for (name, value), n in zip(fields, lines, strict=True):
            self.field(name, value or "", header, n)
        if self.used + GAP_PT <= PAGE_PT:
            self.write(_Row(("", ""), self.gap_styles, GAP_PT))

    def field(self, name: str, text: str, header: _Row, lines: int) -> None:
        """A field's row; a text longer than the page's room (or than a cell holds) fills the room and goes on in
        "(续)" rows, on the next page under the block's repeated header line. A short field that does not fit moves
        to the next page whole."""
        size, width, label = self.size, COLUMNS[1].width, name
        while True:
            room = min(MAX_LINES, int((PAGE_PT - self.used - xlsx.PADDING_PT) // (size * xlsx.LINE)))
            if lines <= room:
                self.write(_Row((label, text), self.field_styles, xlsx.height_pt(lines, size)))
                return
            if room < 3 or lines <= 6:
                self.new_page()
                self.write(_Row((header.values[0] + "(续)", header.values[1]), header.styles, header.height))
                continue
            piece, text = take_lines(text, width, size, room)
            self.write(_Row((label, piece), self.field_styles, _height(piece, width, size)))
            label, lines = f"{name}(续)", xlsx.line_count(text, width, size)

    def new_page(self) -> None:
        self.sheet.page_break()
        self.used, self.blocks_on_page = 0.0, 0

    def write(self, row: _Row) -> None:
        # A one-line row keeps the sheet's default height (the same), with nothing stored for it.
        self.sheet.write(row.values, row.styles, height=None if row.height == self.line else row.height)
        self.used += row.height


def _height(text: str, width: float, size: float, bold: bool = False) -> float:
    # A bold face is about 5% wider.
    return xlsx.height_pt(xlsx.line_count(text, width * (0.95 if bold else 1), size), size)


def take_lines(text: str, width: float, size: float, lines: int) -> tuple[str, str]:
    """(the head of `text` that fills at most `lines` wrapped lines, the rest): cut between paragraphs where it can,
    else inside the first paragraph."""
    paragraphs = text.split("\n")
    used = 0
    for i, paragraph in enumerate(paragraphs):
        n = xlsx.line_count(paragraph, width, size)
        if used + n > lines:
            if i:
                return "\n".join(paragraphs[:i]), "\n".join(paragraphs[i:])
            per_line = max(1.0, (width * xlsx.UNIT_PT - 2 * xlsx.PADDING_PT) / size)  # em
            head, tail = _cut(paragraph, per_line * lines * 0.97)
            return head, "\n".join([tail, *paragraphs[1:]])
        used += n
    return text, ""


def _cut(text: str, em: float) -> tuple[str, str]:
    used = 0.0
    for i, char in enumerate(text):
        used += xlsx.text_em(char)
        if used > em:
            return text[:i], text[i:]
    return text, ""


def write_meetings(workbook, styles, ledger) -> int:
    """Every meeting of the record book (not the 党课: they are in the 学习记录本), in date order. Returns the number of
    meetings."""
    book = _Book(workbook, styles, ledger)
    text = MeetingText(ledger)
    kinds, statuses = labels(Meeting.Kind), labels(Meeting.Status)
    n = 0
    for m in ledger.meetings:
        if m.kind == Meeting.Kind.PARTY_LECTURE:
            continue
        n += 1
        expected, absent, _present = text.roll(m.id)
        kind = kinds.get(m.kind, m.kind) + (f"({m.group__name})" if m.group__name else "")
        when = " ".join(part for part in (f"{m.date:%Y年%m月%d日}", time_span(m.start_time, m.end_time)) if part)
        head = (f"第{n}次", "  ".join(part for part in (kind, when, f"地点:{m.place}" if m.place else "") if part))
        status = statuses.get(m.status, m.status)
        if m.archived_at:
            status += f"({timezone.localtime(m.archived_at):%Y-%m-%d}归档)"
        fields = [
            ("会议主题", m.topic), ("主持人", person(m.host__name, m.host_role)), ("记录人", person(m.recorder__name)),
            ("应到/实到", f"应到 {expected} 人,实到 {expected - len(absent)} 人"),
            ("缺席人员及原因", text.absentees(absent) or "无"), ("列席人员", m.non_member_attendees),
            ("议题", text.agenda(m.id)), ("会议内容及讨论情况", m.content), ("表决情况", m.votes),
            ("会议决议", m.resolutions), ("待办事项", m.open_items), ("附件", text.attachments(m.id)), ("状态", status),
        ]  # fmt: skip
        amendments = text.amendments(m.id)
        if amendments:
            fields.append(("更正记录", amendments))
        book.block(head, fields)
    if not n:
        book.write(_Row(("", f"{ledger.year}年没有会议记录。"), book.field_styles, xlsx.height_pt(1)))
    return n
