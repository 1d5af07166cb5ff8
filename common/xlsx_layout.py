"""How big a cell's text is and how a sheet prints, for the workbook writer (common/xlsx.py).

Sizes (measured with LibreOffice 7.4 + Carlito, the metric twin of Excel's Calibri): a column width unit is about
5.3 pt (Excel: 7 px = 5.25 pt), a CJK character is 1 em wide, a Latin one about 0.52 em, and a wrapped line of CJK text
takes about 1.45 times the font size. Heights are estimated on the narrow side (Excel's unit), so text is never cut.
"""

import math
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.worksheet.worksheet import Worksheet

BODY_PT = 10.5  # 五号: the body text of every sheet
UNIT_PT = 5.25  # one column width unit in points (the narrower of Excel and LibreOffice)
LINE = 1.45  # line height / font size
PADDING_PT = 4.0
MAX_ROW_PT = 409.0  # Excel's largest row height
A4_PT = (595.3, 841.9)
INCH = 72.0


# ---------------------------------------------------------------- text size


def text_em(text: str) -> float:
    """Printed width in em: a CJK (3-byte UTF-8) character 1, anything else about 0.52 (counted in C, not per char)."""
    n = len(text)
    wide = (len(text.encode("utf-8", "surrogatepass")) - n) // 2
    return wide + (n - wide) * 0.52


def line_count(text: str, width: float, size: float = BODY_PT) -> int:
    """Lines a wrapped cell `width` units wide needs for `text` (each paragraph at least one)."""
    per_line = max(1.0, (width * UNIT_PT - 2 * PADDING_PT) / size)
    if len(text) <= per_line and "\n" not in text:
        return 1  # fits even at one em a character
    return sum(max(1, math.ceil(text_em(part) / per_line)) for part in text.split("\n"))


def height_pt(lines: int, size: float = BODY_PT) -> float:
    return round(lines * size * LINE + PADDING_PT, 1)


# ---------------------------------------------------------------- print setup


@dataclass(frozen=True)
class Page:
    """A4 print setup. `fit_width`: scale the columns onto one page width (only where that stays >= 80%, see
    `scale_to_fit`); else the sheet prints at `scale` % on as many pages across as it needs, with `title_cols`
    repeated. Margins in inches: the left one wide enough to bind."""

    landscape: bool = False
    fit_width: bool = True
    scale: int = 100
    title_cols: str | None = None
    left: float = 1.0
    right: float = 0.5
    top: float = 0.7
    bottom: float = 0.7

    def printable_pt(self) -> tuple[float, float]:
        width, height = A4_PT[::-1] if self.landscape else A4_PT
        return width - (self.left + self.right) * INCH, height - (self.top + self.bottom) * INCH


def scale_to_fit(widths: Iterable[float], page: Page) -> int:
    """The % a fit-to-width page prints at (100 when the columns fit)."""
    total = sum(widths) * UNIT_PT * 1.06  # LibreOffice's unit is about 6% wider than Excel's
    return min(100, int(page.printable_pt()[0] / total * 100))


def print_setup(ws, page: Page, *, title_rows: int, footer: str = "") -> None:
    ws.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    ws.page_setup.orientation = Worksheet.ORIENTATION_LANDSCAPE if page.landscape else Worksheet.ORIENTATION_PORTRAIT
    if page.fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    else:
        ws.page_setup.scale = page.scale
    ws.print_title_rows = f"1:{title_rows}"
    if page.title_cols:
        ws.print_title_cols = page.title_cols
    margins = ws.page_margins
    margins.left, margins.right, margins.top, margins.bottom = page.left, page.right, page.top, page.bottom
    margins.header = margins.footer = 0.3
    ws.print_options.horizontalCentered = page.fit_width
    if footer:
        ws.oddFooter.left.text = footer
        ws.oddFooter.left.size = 9
    ws.oddFooter.right.text = "第 &P 页,共 &N 页"
    ws.oddFooter.right.size = 9
