"""Dashboard tables as .xlsx: a title row (what, scope, period), a frozen bold header, readable widths.

The rows are the same ones the page shows, with the same filters (the views pass them in): no query here.
"""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="FBEEEE")
_TITLE_FONT = Font(bold=True, size=14, color="A01117")


def _width(value) -> int:
    text = "" if value is None else str(value)
    # A CJK character is about two Latin characters wide.
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def workbook(*, title: str, sheet: str, headers: list[str], rows) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = sheet[:31]
    columns = max(len(headers), 1)
    ws.append([title])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    ws["A1"].font = _TITLE_FONT
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    ws.append(headers)
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = [_width(h) for h in headers]
    for row in rows:
        ws.append(list(row))
        for i, value in enumerate(row):
            if i < len(widths):
                widths[i] = max(widths[i], _width(value))
    for row in ws.iter_rows(min_row=3):
        for cell in row:
            cell.border = _BORDER
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = "A3"
    ws.print_title_rows = "2:2"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if columns > 6 else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return wb


def xlsx_response(*, filename: str, title: str, sheet: str, headers: list[str], rows) -> HttpResponse:
    buffer = BytesIO()
    workbook(title=title, sheet=sheet, headers=headers, rows=rows).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.xlsx")
    return response


def pct(rate) -> str:
    """A rate in 0..1 as the page shows it ("85%"), or "—" when nothing is required yet."""
    # Rounded down like the pages: 99.6% is not 100% (达标).
    return "—" if rate is None else f"{int(rate * 100 + 1e-9)}%"
