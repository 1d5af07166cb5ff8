"""党员花名册 Excel import: the template, parsing, validation and the all-or-nothing import.

The import checks every row before it writes anything; one bad row stops the whole file, and the user gets every
bad row at once (Excel row number, column, reason) instead of fixing them one upload at a time. Validation runs in
Python against data loaded in a fixed number of queries, so 10,000 rows take seconds; the writes are a few
`bulk_create` batches with their audit history, in one transaction.
"""

import datetime
import io
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, TextChoices
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from simple_history.utils import bulk_create_with_history

from common import xlsx_guard

from . import id_lookup
from .access import Access, grants, organization_access
from .models import Member, Membership, Organization
from .validators import id_number_error, normalize_id_number

DATA_SHEET = "党员花名册"
HELP_SHEET = "填写说明"
CODES_SHEET = "组织编码"
MEMBERSHIP_NOTE = "花名册导入"
BATCH_SIZE = 1000
# A file over this many data rows is refused before validation; configurable, since an officer may load a whole enterprise.
MAX_ROWS = getattr(settings, "ROSTER_MAX_ROWS", 50_000)
# Drop-downs and formats in the template cover this many rows.
TEMPLATE_ROWS = 20_000
# Rows shown in the error table; all errors are still counted.
MAX_ERRORS_SHOWN = 500
HEADER_SCAN_ROWS = 5
# A roster only registers members who count for the branch; leaving is recorded through member_leave.
IMPORTABLE_STATUSES = tuple(Member.COUNTED_STATUSES)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    kind: str = "text"  # text / date / choice / decimal / id
    choices: type[TextChoices] | None = None
    max_length: int | None = None
    width: int = 12
    note: str = ""
    example: str = ""

    @property
    def title(self) -> str:
        """The header cell text: required columns carry an asterisk."""
        return f"{self.header}*" if self.required else self.header

    def allowed(self) -> list[tuple[str, str]]:
        """(code, label) pairs this column accepts."""
        items = [(c.value, str(c.label)) for c in self.choices]
        if self.key == "status":
            items = [(code, label) for code, label in items if code in IMPORTABLE_STATUSES]
        return items


def _field_length(name: str) -> int:
    return Member._meta.get_field(name).max_length


COLUMNS: tuple[Column, ...] = (
    Column("branch_code", "所在党支部编码", True, width=16, note="见“组织编码”工作表", example="EA-B1"),
    Column("group_code", "党小组编码", width=14, note="可空;须是所填党支部下的党小组", example="EA-B1-G1"),
    Column("name", "姓名", True, max_length=_field_length("name"), width=10, example="张三"),
    Column("gender", "性别", True, "choice", Member.Gender, width=8, note="须与身份证号码一致", example="男"),
    Column("ethnicity", "民族", max_length=_field_length("ethnicity"), width=8, note="可空,默认汉族", example="汉族"),
    Column("birth_date", "出生日期", True, "date", width=12, note="须与身份证号码一致", example="1985-03-12"),
    Column("education", "学历", True, "choice", Member.Education, width=12, example="大学本科"),
    Column("id_number", "身份证号码", True, "id", width=22, note="18位,请设为文本格式", example="110101198503120011"),
    Column("phone", "联系电话", max_length=_field_length("phone"), width=14, example="13800000000"),
    Column("joined_on", "入党日期", True, "date", width=12, example="2010-07-01"),
    Column("full_on", "转正日期", kind="date", width=12, note="正式党员必填;预备党员不填", example="2011-07-01"),
    Column("category", "党员类别", True, "choice", Member.Category, width=10, example="正式党员"),
    Column("position", "职务/岗位", max_length=_field_length("position"), width=16, example="工程师"),
    Column("status", "党籍状态", kind="choice", choices=Member.Status, width=10, note="可空,默认正常", example="正常"),
    Column(
        "dues_class",
        "党费计算类别",
        kind="choice",
        choices=Member.DuesClass,
        width=14,
        note="可空,默认在职",
        example="在职",
    ),
    Column("dues_base", "党费基数", kind="decimal", width=12, note="元/月,不小于0,最多两位小数,可空", example="6000"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
DATE_FORMAT_HINT = "日期格式应为YYYY-MM-DD(如2010-07-01)"
BRANCH_NOT_FOUND = "未找到该党支部或无权导入"
_DATE_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0{1,2}:00(?::00)?)?$")
_XLSX_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, order=True)
class RowError:
    row: int  # the Excel row number, as the user sees it
    column: str
    message: str


@dataclass
class RosterResult:
    file_name: str
    rows: int = 0
    imported: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> int:
        return len({e.row for e in self.errors})


@dataclass
class ParsedRoster:
    file_name: str
    rows: list[tuple[int, dict]]  # (Excel row number, {column key: raw cell value})


# ---------------------------------------------------------------------------------------------------------------
# Template


def _writable_paths(user) -> list[str]:
    return [path for path, access, _kind in grants(user) if access == Access.WRITE]


def writable_placements(user) -> tuple[list[Organization], list[Organization]]:
    """Active branches and groups the user may import into, in tree order (one query)."""
    paths = _writable_paths(user)
    if not paths:
        return [], []
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    orgs = list(
        Organization.objects.filter(under)
        .filter(kind__in=[Organization.Kind.BRANCH, Organization.Kind.GROUP], status=Organization.Status.ACTIVE)
        .only("code", "name", "kind", "path")
        .order_by("path")
    )
    return [o for o in orgs if o.kind == Organization.Kind.BRANCH], [
        o for o in orgs if o.kind == Organization.Kind.GROUP
    ]


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

    codes_ws = wb.create_sheet(CODES_SHEET)
    codes_ws.append(["党支部编码", "党支部名称", "", "党小组编码", "党小组名称", "所属党支部编码"])
    _style_header(codes_ws[1])
    branch_code_by_path = {b.path: b.code for b in branches}
    for index, branch in enumerate(branches, start=2):
        codes_ws.cell(index, 1, branch.code)
        codes_ws.cell(index, 2, branch.name)
    for index, group in enumerate(groups, start=2):
        codes_ws.cell(index, 4, group.code)
        codes_ws.cell(index, 5, group.name)
        codes_ws.cell(index, 6, branch_code_by_path.get(group.path[: -Organization.steplen], ""))
    for letter, width in zip("ABCDEF", (16, 28, 3, 16, 20, 16), strict=True):
        codes_ws.column_dimensions[letter].width = width

    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------------------
# Parsing


def _header_key(value) -> str:
    return re.sub(r"[\s*＊]", "", str(value)) if value is not None else ""


_KEY_BY_HEADER = {c.header: c.key for c in COLUMNS}


def _is_blank(values: Iterable) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _file_size(file) -> int:
    size = getattr(file, "size", None)
    if size is None:
        position = file.tell()
        file.seek(0, os.SEEK_END)
        size = file.tell()
        file.seek(position)
    return size


def parse_roster(file) -> ParsedRoster:
    """Read the data sheet into raw rows. File-level problems raise ValidationError naming the file."""
    name = os.path.basename(getattr(file, "name", "") or "") or "上传的文件"
    if not name.lower().endswith(".xlsx"):
        raise ValidationError(f"文件“{name}”不是 Excel .xlsx 文件,请下载导入模板填写后上传(不支持 .xls、.csv)。")
    limit = settings.ROSTER_MAX_UPLOAD_BYTES
    if _file_size(file) > limit:
        raise ValidationError(f"文件“{name}”超过 {limit / 1024 / 1024:.0f} MB 的上限,请分成几个文件导入。")
    file.seek(0)
    if file.read(4) != _XLSX_MAGIC:
        raise ValidationError(f"文件“{name}”已损坏或不是有效的 Excel 文件,无法读取。")
    xlsx_guard.check_unpacked_size(file, name=name)  # before openpyxl parses anything (issue 12 point 5)
    try:
        wb = load_workbook(file, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds (BadZipFile, KeyError, ValueError...) for a broken file
        raise ValidationError(f"文件“{name}”已损坏或不是有效的 Excel 文件,无法读取。") from exc
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        # Some programs write a wrong sheet dimension; without this, read-only mode would silently drop rows.
        ws.reset_dimensions()
        # Every row counts, blank ones too, and reading stops at the limit (issue 12 point 5).
        rows = _read_rows(xlsx_guard.bounded_rows(ws.iter_rows(values_only=True), MAX_ROWS + HEADER_SCAN_ROWS), name)
    except xlsx_guard.TooManyRows:
        raise ValidationError(f"文件“{name}”超过 {MAX_ROWS} 行,请分成几个文件导入。") from None
    except ValidationError:
        raise
    except Exception as exc:
        raise ValidationError(f"文件“{name}”已损坏或不是有效的 Excel 文件,无法读取。") from exc
    finally:
        wb.close()
    return ParsedRoster(file_name=name, rows=rows)


def _read_rows(rows: Iterator[tuple], name: str) -> list[tuple[int, dict]]:
    header_index, positions, has_content = None, {}, False
    for number, values in enumerate(rows, start=1):
        if not _is_blank(values):
            has_content = True
            keys = [_KEY_BY_HEADER.get(_header_key(v)) for v in values]
            # The header is the first row naming 姓名 and 身份证号码; a title row above it is allowed.
            if "name" in keys and "id_number" in keys:
                header_index = number
                for position, key in enumerate(keys):
                    if key is not None and key not in positions:
                        positions[key] = position
                break
        if number >= HEADER_SCAN_ROWS:
            break
    if not has_content:
        raise ValidationError(f"文件“{name}”的工作表是空的,请在模板中填写党员信息后上传。")
    if header_index is None:
        raise ValidationError(f"文件“{name}”缺少表头(姓名、身份证号码等列),请使用系统提供的导入模板,表头放在第一行。")
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise ValidationError(f"文件“{name}”缺少必填列:{'、'.join(missing)}。请使用系统提供的导入模板,不要改动表头。")

    parsed = []
    for number, values in enumerate(rows, start=header_index + 1):
        if _is_blank(values):
            continue
        if len(parsed) >= MAX_ROWS:
            raise ValidationError(f"文件“{name}”超过 {MAX_ROWS} 行,请分成几个文件导入。")
        width = len(values)
        parsed.append((number, {key: values[p] if p < width else None for key, p in positions.items()}))
    if not parsed:
        raise ValidationError(f"文件“{name}”中没有党员数据:表头下方是空的。")
    return parsed


# ---------------------------------------------------------------------------------------------------------------
# Validation


class _CellError(Exception):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(value) -> datetime.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value.strip())
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise _CellError(f"日期“{value.strip()}”不存在") from None
    raise _CellError(DATE_FORMAT_HINT)


def _choice_maps(column: Column) -> dict[str, str]:
    mapping = {}
    for code, label in column.allowed():
        mapping[label] = code
        mapping[code] = code
    return mapping


_CHOICE_MAPS = {c.key: _choice_maps(c) for c in COLUMNS if c.kind == "choice"}
_DEFAULTS = {"ethnicity": "汉族", "status": Member.Status.NORMAL.value, "dues_class": Member.DuesClass.EMPLOYED.value}
_DUES_MAX = Decimal(10) ** (
    Member._meta.get_field("dues_base").max_digits - Member._meta.get_field("dues_base").decimal_places
)


def _choice(column: Column, value) -> str:
    text = _text(value)
    code = _CHOICE_MAPS[column.key].get(text) or _CHOICE_MAPS[column.key].get(text.lower())
    if code is None:
        if column.key == "status" and text in {str(s.label) for s in Member.Status} | set(Member.Status.values):
            raise _CellError("花名册只登记在册党员(正常、流动党员、停止党籍);出党、去世、转出请在党员信息中办理")
        raise _CellError(f"“{text}”不是有效值,应为:{'、'.join(label for _c, label in column.allowed())}")
    return code


def _decimal(value) -> Decimal:
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, float) else Decimal(repr(value))
    except InvalidOperation:
        raise _CellError("党费基数应为数字(元/月)") from None
    if not number.is_finite():
        raise _CellError("党费基数应为数字(元/月)")
    if number < 0:
        raise _CellError("党费基数不能为负数")
    if number >= _DUES_MAX:
        raise _CellError("党费基数过大")
    if number != number.quantize(Decimal("0.01")):
        raise _CellError("党费基数最多保留两位小数")
    return number.quantize(Decimal("0.01"))


def _looks_like_formula(text: str) -> bool:
    """Text that Excel/WPS would run as a formula when the roster is exported or pasted (CSV/formula injection).
    A phone number in international form (+86...) is plain digits after the sign and stays allowed."""
    if not text or text[0] not in "=+-@":
        return False
    return not (text[0] == "+" and text[1:].replace(" ", "").replace("-", "").isdigit())


def _clean_row(raw: dict, today: datetime.date) -> tuple[dict, list[tuple[str, str]]]:
    """Per-row checks that need no database: returns the cleaned values and (column key, reason) errors."""
    values, errors = {}, []
    for column in COLUMNS:
        value = raw.get(column.key)
        blank = value is None or (isinstance(value, str) and not value.strip())
        if blank:
            if column.required:
                errors.append((column.key, "必填项不能为空"))
            elif column.key in _DEFAULTS:
                values[column.key] = _DEFAULTS[column.key]
            elif column.kind == "decimal":
                values[column.key] = Decimal("0.00")
            else:
                values[column.key] = None if column.kind == "date" else ""
            continue
        try:
            if column.kind == "date":
                cleaned = _date(value)
                if cleaned > today:
                    raise _CellError("日期不能晚于今天")
            elif column.kind == "choice":
                cleaned = _choice(column, value)
            elif column.kind == "decimal":
                cleaned = _decimal(value)
            elif column.kind == "id":
                if isinstance(value, int | float):
                    raise _CellError("身份证号码被存成了数字,后几位可能已丢失,请把该列设为文本格式后重新填写")
                cleaned = normalize_id_number(str(value))
                message = id_number_error(cleaned)
                if message:
                    raise _CellError(message)
            else:
                cleaned = _text(value)
                if _looks_like_formula(cleaned):
                    raise _CellError("不能以 = + - @ 开头(疑似公式),请删除开头的符号")
                if column.max_length and len(cleaned) > column.max_length:
                    raise _CellError(f"不能超过{column.max_length}个字")
        except _CellError as exc:
            errors.append((column.key, str(exc)))
            continue
        values[column.key] = cleaned

    failed = {key for key, _m in errors}
    id_number = values.get("id_number")
    if id_number and "birth_date" not in failed and values["birth_date"].strftime("%Y%m%d") != id_number[6:14]:
        errors.append(("birth_date", "出生日期与身份证号码不一致"))
    if id_number and "gender" not in failed:
        # GB 11643: the 17th digit is odd for men and even for women.
        expected = Member.Gender.MALE if int(id_number[16]) % 2 else Member.Gender.FEMALE
        if values["gender"] != expected:
            errors.append(("gender", "性别与身份证号码不一致"))
    if not failed & {"birth_date", "joined_on"} and values["joined_on"] <= values["birth_date"]:
        errors.append(("joined_on", "入党日期应晚于出生日期"))
    if "category" not in failed and "full_on" not in failed:
        # DB constraint member_full_has_full_on: 正式党员 have a 转正日期, 预备党员 do not yet.
        if values["category"] == Member.Category.FULL and values["full_on"] is None:
            errors.append(("full_on", "正式党员须填写转正日期"))
        elif values["category"] == Member.Category.PROBATIONARY and values["full_on"] is not None:
            errors.append(("full_on", "预备党员不应填写转正日期"))
    if not failed & {"joined_on", "full_on"} and values["full_on"] and values["full_on"] < values["joined_on"]:
        # DB constraint member_full_on_after_joined_on.
        errors.append(("full_on", "转正日期不能早于入党日期"))
    return values, errors


def _load_placements(codes: set[str], group_codes: set[str]) -> tuple[dict, dict]:
    branches = Organization.objects.filter(code__in=codes, kind=Organization.Kind.BRANCH) if codes else []
    groups = Organization.objects.filter(code__in=group_codes, kind=Organization.Kind.GROUP) if group_codes else []
    return {o.code: o for o in branches}, {o.code: o for o in groups}


def validate_roster(parsed: ParsedRoster, *, user) -> tuple[list[Member], list[RowError]]:
    """Check every row; return unsaved members (only meaningful when there are no errors) and every error."""
    today = timezone.localdate()
    cleaned_rows, errors = [], []
    for number, raw in parsed.rows:
        values, row_errors = _clean_row(raw, today)
        cleaned_rows.append((number, values, {key for key, _m in row_errors}))
        errors.extend(RowError(number, COLUMN_BY_KEY[key].header, message) for key, message in row_errors)

    codes = {_text(raw.get("branch_code")) for _n, raw in parsed.rows} - {""}
    group_codes = {_text(raw.get("group_code")) for _n, raw in parsed.rows} - {""}
    branches, groups = _load_placements(codes, group_codes)
    ids = {v["id_number"] for _n, v, failed in cleaned_rows if "id_number" not in failed}
    # Numbers held outside the user's scope refuse the whole file with one audited message (issue 12 point 2).
    existing = id_lookup.registered_in_scope(user=user, id_numbers=ids, via="import")
    access_by_code = {code: organization_access(user, branch) for code, branch in branches.items()}

    seen: dict[str, int] = {}
    members = []
    for number, values, failed in cleaned_rows:
        branch = None
        if "branch_code" not in failed:
            branch = branches.get(values["branch_code"])
            # Same message whether the branch is missing or not the user's: its existence is not revealed.
            if branch is None or access_by_code[values["branch_code"]] < Access.WRITE:
                errors.append(RowError(number, "所在党支部编码", BRANCH_NOT_FOUND))
                branch = None
            elif branch.status != Organization.Status.ACTIVE:
                errors.append(RowError(number, "所在党支部编码", "该党支部已撤销,不能导入党员"))
                branch = None
        group = None
        if values.get("group_code"):
            group = groups.get(values["group_code"])
            if group is None or (branch is not None and group.path[: -Organization.steplen] != branch.path):
                errors.append(RowError(number, "党小组编码", "未找到该党小组,或它不属于所填党支部"))
                group = None
        if "id_number" not in failed:
            id_number = values["id_number"]
            if id_number in seen:
                errors.append(RowError(number, "身份证号码", f"与第{seen[id_number]}行的身份证号码重复"))
            else:
                seen[id_number] = number
                if id_number in existing:
                    errors.append(RowError(number, "身份证号码", "系统中已有该身份证号码的党员"))
        if errors or branch is None:
            # Once any row is bad nothing is imported, so stop building objects but keep checking rows.
            continue
        members.append(
            Member(
                organization=branch,
                group=group,
                **{c.key: values[c.key] for c in COLUMNS if c.key not in ("branch_code", "group_code")},
            )
        )
    errors.sort()
    return members, errors


# ---------------------------------------------------------------------------------------------------------------
# Import


def _write(members: list[Member], *, user) -> int:
    now = timezone.now()
    with transaction.atomic():
        created = bulk_create_with_history(
            members,
            Member,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=MEMBERSHIP_NOTE,
            default_date=now,
        )
        memberships = [
            Membership(member=m, organization_id=m.organization_id, started_on=m.joined_on, note=MEMBERSHIP_NOTE)
            for m in created
        ]
        bulk_create_with_history(
            memberships,
            Membership,
            batch_size=BATCH_SIZE,
            default_user=user,
            default_change_reason=MEMBERSHIP_NOTE,
            default_date=now,
        )
    return len(created)


def roster_import(*, file, user) -> RosterResult:
    """Import a 花名册 file: every row is valid and all are imported in one transaction, or nothing is.

    File-level problems (type, size, unreadable, empty, missing columns) raise ValidationError; row problems are
    returned in `result.errors` with nothing written."""
    id_lookup.roster_import_throttle(user=user)
    parsed = parse_roster(file)
    members, errors = validate_roster(parsed, user=user)
    result = RosterResult(file_name=parsed.file_name, rows=len(parsed.rows), errors=errors)
    if errors:
        return result
    try:
        result.imported = _write(members, user=user)
    except IntegrityError as exc:
        # Only a concurrent change can get here (validation covers every constraint): someone saved the same
        # ID number between our check and our insert. The transaction rolled back, so nothing was imported.
        raise ValidationError(
            f"导入“{parsed.file_name}”时数据发生了变化(可能有人同时录入了相同的党员),未导入任何党员,请重新上传。"
        ) from exc
    return result
