"""The 花名册 template the user downloads: the data sheet with drop-downs and formats, the instructions with one
example row, and the codes of the branches and groups this user may import into."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from common import xlsx

from ..models import Organization
from .columns import CODES_SHEET, COLUMNS, DATA_SHEET, DATE_FORMAT_HINT, HELP_SHEET, TEMPLATE_ROWS
from .selectors import writable_placements

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="C8161D")
_SUBHEADER_FILL = PatternFill("solid", fgColor="FAF6F5")


def _style_header(row) -> None:
    for cell in row:
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center")


def roster_template_workbook(*, user) -> bytes:
    """The .xlsx the user fills in: the data sheet (header only), the instructions with one example row, and the
    codes of the branches and groups this user may import into."""
    branches, groups = writable_placements(user)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    ws.append([c.title for c in COLUMNS])
    _style_header(ws[1])
    ws.freeze_panes = "A2"
    last = TEMPLATE_ROWS + 1
    for index, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = column.width
        if column.kind == "date":
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1900,1,1)",
                formula2="DATE(2100,12,31)",
                allow_blank=True,
                errorStyle="warning",
                showErrorMessage=True,
                error=DATE_FORMAT_HINT,
                errorTitle="日期格式",
            )
        elif column.kind == "choice":
            labels = ",".join(label for _code, label in column.allowed())
            dv = DataValidation(
                type="list",
                formula1=f'"{labels}"',
                # Blanks are allowed while typing; the import reports a missing required value with its row.
                allow_blank=True,
                showErrorMessage=True,
                error=f"请从下拉列表选择:{labels}",
            )
            dv.errorTitle = column.header
        elif column.key == "branch_code" and branches:
            dv = DataValidation(
                type="list",
                formula1=f"'{CODES_SHEET}'!$A$2:$A${len(branches) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                error="请填写“组织编码”工作表中的党支部编码",
                errorTitle=column.header,
            )
        else:
            if column.kind == "id" or column.key == "phone":
                # Text format keeps all 18 digits: Excel stores numbers with only 15 significant digits.
                ws.column_dimensions[letter].number_format = "@"
            continue
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)

    help_ws = wb.create_sheet(HELP_SHEET)
    help_ws.append(["党员花名册导入说明"])
    help_ws["A1"].font = Font(bold=True, size=14)
    for line in (
        f"1. 在“{DATA_SHEET}”工作表第2行起逐行填写,一行一名党员;不要修改或删除表头。",
        "2. 带 * 的列为必填项。日期请填写为日期或“YYYY-MM-DD”格式文本(如 2010-07-01)。",
        "3. 导入前会逐行检查;只要有一行有误,整个文件都不导入,并列出所有出错的行号、列名和原因,改正后重新上传即可。",
        "4. 身份证号码列请保持文本格式,否则Excel会丢失后几位数字。",
        f"5. 党支部编码、党小组编码见“{CODES_SHEET}”工作表(只列出您有权导入的组织)。",
    ):
        help_ws.append([line])
    help_ws.append([])
    help_ws.append(["列名", "是否必填", "填写要求", "可选值"])
    _style_header(help_ws[help_ws.max_row])
    for column in COLUMNS:
        allowed = "、".join(label for _code, label in column.allowed()) if column.kind == "choice" else ""
        requirement = column.note
        if column.kind == "date":
            requirement = "；".join(filter(None, ["YYYY-MM-DD", requirement]))
        help_ws.append([column.header, "必填" if column.required else "选填", requirement, allowed])
    help_ws.append([])
    help_ws.append(["填写示例(请勿在本表填写,示例行不会被导入)"])
    help_ws.cell(help_ws.max_row, 1).font = Font(bold=True)
    help_ws.append([c.title for c in COLUMNS])
    for cell in help_ws[help_ws.max_row]:
        cell.font = Font(bold=True)
        cell.fill = _SUBHEADER_FILL
    help_ws.append([c.example for c in COLUMNS])
    for letter, width in zip("ABCD", (16, 10, 36, 48), strict=True):
        help_ws.column_dimensions[letter].width = width

    # An input template keeps its own layout (drop-downs, codes), but names go through the one writer's neutralising:
    # a name that looks like a formula is text in every workbook we write (common/xlsx.py).
    codes_ws = wb.create_sheet(CODES_SHEET)
    codes_ws.append(["党支部编码", "党支部名称", "", "党小组编码", "党小组名称", "所属党支部编码"])
    _style_header(codes_ws[1])
    branch_code_by_path = {b.path: b.code for b in branches}
    for index, branch in enumerate(branches, start=2):
        codes_ws.cell(index, 1, branch.code)
        codes_ws.cell(index, 2, xlsx.safe_text(branch.name))
    for index, group in enumerate(groups, start=2):
        codes_ws.cell(index, 4, group.code)
        codes_ws.cell(index, 5, xlsx.safe_text(group.name))
        codes_ws.cell(index, 6, branch_code_by_path.get(group.path[: -Organization.steplen], ""))
    for letter, width in zip("ABCDEF", (16, 28, 3, 16, 20, 16), strict=True):
        codes_ws.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
