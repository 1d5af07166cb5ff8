"""The one workbook writer of every .xlsx export: styles, print setup, row heights and formula neutralising.

For other exports (a table with a title row) the whole API is two calls:

    book, styles = new_workbook()
    sheet = Sheet(book, styles, name="…", title="…", columns=[Column("姓名", 10), Column("备注", 40)])
    for row in rows:
        sheet.append(row)
    book.save(out)              # or: table_workbook(title=…, sheet=…, headers=…, rows=…) for one sheet, widths guessed

A Sheet is an openpyxl write-only worksheet (memory stays flat however many rows) with a title row ("<what>"), one or
two header rows repeated on every printed page and frozen on screen, bordered data rows, A4 page setup, a footer with
the page numbers, and an explicit height for every row whose text wraps: neither LibreOffice nor Excel grows a row on
opening a file, so without one a wrapped cell prints its first line only.

What write-only worksheets support (openpyxl 3.1): column widths, freeze panes, print titles, page setup, margins,
header/footer and merged cells are written before the first row or after the last, so they are set before the first
`append`; a row's height is read when the row is written; styles go only through cells. A style is an index array
(StyleArray) into the workbook's style tables: `Styles` builds one per kind of cell once per workbook and shares it.

The cell loop is the hot path of a bulk export (hundreds of thousands of cells), so it is kept tight: a Sheet hands
openpyxl its own generator (`_cells`, in place of WriteOnlyWorksheet._values_to_row): one reused cell a sheet, given
its value, type and shared style per column. `FAST_CELLS` is False where that hook is missing (another openpyxl): the
same cells then go through the public `ws.append`, slower and identical.

Formula injection (OWASP "CSV injection"): a text value starting with = + - @ (or a tab / carriage return) would be
read as a formula by Excel, WPS or LibreOffice. Every text value goes through `safe_text`, which prefixes such a value
with an apostrophe ('=1+1 shows as '=1+1 and is never evaluated; visible on purpose). Characters XML cannot hold are
removed.

Sizes and print setup (text widths, row heights, A4 pages) are in common/xlsx_layout.py; their names stay
importable from here.
"""

import datetime
import decimal
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.pagebreak import Break

from .xlsx_layout import (  # noqa: F401  (LINE, INCH, A4_PT, scale_to_fit: importable from here like the rest)
    A4_PT,
    BODY_PT,
    INCH,
    LINE,
    MAX_ROW_PT,
    PADDING_PT,
    UNIT_PT,
    Page,
    height_pt,
    line_count,
    print_setup,
    scale_to_fit,
    text_em,
)

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
MAX_TEXT = 32767  # Excel's limit for a cell's text
FAST_CELLS = callable(getattr(WriteOnlyWorksheet, "_values_to_row", None))


def safe_text(value: str) -> str:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_PREFIXES):
        value = "'" + value
    return value if len(value) <= MAX_TEXT else value[:MAX_TEXT]


# ---------------------------------------------------------------- styles


@dataclass(frozen=True)
class Column:
    header: str
    width: float
    kind: str = "text"  # text (wraps) / center / date / short_date / money / number


class Style(NamedTuple):
    array: StyleArray  # indexes into the workbook's font/border/... tables
    id: int  # the array's index in the workbook's table of cell styles: the s="" of a written cell


THIN = Side(style="thin", color="808080")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


class _StyleHost:
    """All a cell needs of its worksheet to register a style: the workbook (cheaper than a throwaway Worksheet)."""

    def __init__(self, workbook: Workbook):
        self.parent = workbook


class Styles:
    """One Style per kind of cell, registered once in the workbook; `make` adds one (e.g. a label cell)."""

    def __init__(self, workbook: Workbook, size: float = BODY_PT):
        self.workbook, self.size = workbook, size
        self.sheets = []  # every Sheet written with these styles (the workbook's sheets)
        self._host = _StyleHost(workbook)
        wrap_top = Alignment(wrap_text=True, vertical="top")
        center = Alignment(horizontal="center", vertical="top", wrap_text=True)
        body = Font(name="宋体", size=size)
        self.title = self.make(
            font=Font(name="黑体", size=14, bold=True), alignment=Alignment(horizontal="center", vertical="center")
        )
        self.header = self.make(
            font=Font(name="黑体", size=size, bold=True),
            alignment=Alignment(horizontal="center", vertical="center", wrap_text=True),
            border=BORDER,
            fill=HEADER_FILL,
        )
        self.by_kind = {
            "text": self.make(font=body, alignment=wrap_top, border=BORDER),
            "center": self.make(font=body, alignment=center, border=BORDER),
            "date": self.make(font=body, alignment=center, border=BORDER, number_format="yyyy-mm-dd"),
            "short_date": self.make(font=body, alignment=center, border=BORDER, number_format="m-d"),
            "money": self.make(font=body, alignment=Alignment(vertical="top"), border=BORDER, number_format="0.00"),
            "number": self.make(font=body, alignment=center, border=BORDER, number_format="0.##"),
        }

    def make(self, **attrs) -> Style:
        cell = WriteOnlyCell(self._host)
        for name, value in attrs.items():
            setattr(cell, name, value)
        return Style(cell._style, self.workbook._cell_styles.add(cell._style))

    def for_column(self, kind: str) -> tuple:
        """(style of a number, of a text, of a date) in a column of this kind: a text placeholder such as "未交" in a
        numeric or date column is centred; a date anywhere gets a date format (else it would show as a serial)."""
        by_kind = self.by_kind
        if kind in ("text", "center"):
            return by_kind[kind], by_kind[kind], by_kind["date"]
        if kind in ("date", "short_date"):
            return by_kind["center"], by_kind["center"], by_kind[kind]
        return by_kind[kind], by_kind["center"], by_kind["date"]

    @staticmethod
    def same(style: Style) -> tuple:
        """A column whose every cell has this one style."""
        return (style, style, style)


def new_workbook(size: float = BODY_PT) -> tuple[Workbook, Styles]:
    workbook = Workbook(write_only=True)
    return workbook, Styles(workbook, size)


# ---------------------------------------------------------------- the sheet

_DATES = (datetime.date, datetime.datetime)
_NUMBERS = (int, float)


@functools.lru_cache(maxsize=512)
def _row_attrs(height: float) -> dict[str, str]:
    return {"ht": f"{height:g}", "customHeight": "1"}


class _StyledCell(Cell):
    """The cell a Sheet reuses, with its style index stored rather than computed (openpyxl's style_id registers the
    cell's StyleArray in the workbook's table each time it is read); every cell has a style, so has_style too."""

    __slots__ = ("style_id", "has_style")

    def __init__(self, worksheet):
        super().__init__(worksheet)
        self.has_style = True
        self.style_id = 0


class Sheet:
    """A print-ready write-only sheet: the title row, the header row(s), then `append`ed data rows whose height
    follows their wrapped text. `write` writes any row with given styles and height (a ledger's block layout)."""

    def __init__(
        self,
        workbook: Workbook,
        styles: Styles,
        *,
        name: str,
        title: str,
        columns: Sequence[Column],
        page: Page | None = None,
        header_rows: Sequence[Sequence[str | None]] | None = None,
        merges: Iterable[str] = (),
        footer: str = "",
        title_merge: str | None = None,
    ):
        self.ws = workbook.create_sheet(name[:31])
        styles.sheets.append(self)
        self.columns = list(columns)
        self.styles, self.size = styles, styles.size
        self.rows_written = 0  # data rows (append)
        self.row_index = 0  # every row written
        page = page or Page(landscape=len(self.columns) > 6)
        ws = self.ws
        headers = [[c.header for c in self.columns]] if header_rows is None else list(header_rows)
        self.header_count = len(headers)
        for index, column in enumerate(self.columns, 1):
            ws.column_dimensions[get_column_letter(index)].width = column.width
        ws.freeze_panes = f"A{self.header_count + 2}"
        ws.sheet_format.defaultRowHeight = height_pt(1, self.size)
        ws.sheet_format.customHeight = True
        print_setup(ws, page, title_rows=self.header_count + 1, footer=footer)
        ws.merged_cells.add(title_merge or f"A1:{get_column_letter(len(self.columns))}1")
        for ref in merges:
            ws.merged_cells.add(ref)
        self._fast = FAST_CELLS
        self._cell = _StyledCell(ws)  # reused for every cell of the sheet (openpyxl writes each before the next)
        if self._fast:
            ws._values_to_row = self._cells
        self._data_styles = [styles.for_column(c.kind) for c in self.columns]
        # The columns whose text wraps (their cells set the row's height), with their width.
        self._wrapping = [(i, c.width) for i, c in enumerate(self.columns) if c.kind == "text"]
        self.write([title], [Styles.same(styles.title)], height=30)
        header_styles = [Styles.same(styles.header)] * len(self.columns)
        for values in headers:
            self.write(values, header_styles, height=self.fit_height(values, range(len(self.columns))))

    def fit_height(self, values: Sequence, indexes: Iterable[int]) -> float | None:
        """The height the row's longest wrapped text needs (None: one line fits, the default height)."""
        lines = 1
        columns = self.columns
        for i in indexes:
            value = values[i]
            if type(value) is str and value:
                lines = max(lines, line_count(value, columns[i].width, self.size))
        return height_pt(lines, self.size)

    def append(self, values: Sequence) -> None:
        if len(values) != len(self.columns):
            raise ValueError(f"{self.ws.title}: {len(values)} values for {len(self.columns)} columns")
        lines = 1
        size = self.size
        for i, width in self._wrapping:
            value = values[i]
            # A text that fits on one line even at one em a character needs no measuring.
            if type(value) is str and (len(value) * size > width * UNIT_PT - 2 * PADDING_PT or "\n" in value):
                lines = max(lines, line_count(value, width, size))
        # One line: the sheet's default height (set in __init__), no row dimension to store.
        self.write(values, self._data_styles, height=height_pt(lines, size) if lines > 1 else None)
        self.rows_written += 1

    def write(self, values: Sequence, styles: Sequence[tuple], *, height: float | None = None) -> None:
        """One row: values with, per column, the (number, text, date) styles of `Styles.for_column`/`Styles.same`."""
        self.row_index += 1
        self._styles = styles
        if not self._fast:
            if height is not None:
                self.ws.row_dimensions[self.row_index].height = min(height, MAX_ROW_PT)
            self.ws.append(self._cells(values, self.row_index))
            return
        if height is None:
            self.ws.append(values)  # -> self._cells(values, row_idx)
            return
        # The row's attributes as the writer reads them (dict(RowDimension): ht, customHeight), stored only while
        # the row is written (append writes it at once): no RowDimension object a row, nothing kept.
        dims = self.ws.row_dimensions
        dims[self.row_index] = _row_attrs(min(height, MAX_ROW_PT))
        self.ws.append(values)
        del dims[self.row_index]

    def page_break(self) -> None:
        """A manual page break after the last row written."""
        self.ws.row_breaks.append(Break(id=self.row_index))

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
                value, style = "", text_style  # an empty cell is still written, with its border
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


# ---------------------------------------------------------------- one table in one call


def guess_width(values: Iterable) -> float:
    """A column width (units) for its values: the widest printed text, between 6 and 60."""
    widest = max((text_em("" if v is None else str(v)) for v in values), default=0)
    return min(max(6.0, widest * BODY_PT / UNIT_PT + 2), 60.0)


def table_workbook(
    *, title: str, sheet: str, headers: Sequence[str], rows: Iterable[Sequence], widths=None
) -> Workbook:
    """A workbook with one print-ready table (the dashboards' and lists' exports): widths from the data unless given,
    landscape beyond six columns, fitted to the page width."""
    rows = [list(row) for row in rows]
    if widths is None:
        widths = [guess_width([header, *(row[i] for row in rows[:500])]) for i, header in enumerate(headers)]
    book, styles = new_workbook()
    table = Sheet(
        book, styles, name=sheet, title=title, columns=[Column(h, w) for h, w in zip(headers, widths, strict=True)]
    )
    for row in rows:
        table.append(row)
    return book
