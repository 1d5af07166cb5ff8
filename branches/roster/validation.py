"""Checking every row of a parsed 花名册 before anything is written: per-row checks in Python, then the checks that
need the database (placements, access, ID numbers already held) on data loaded in a fixed number of queries."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.utils import timezone

from .. import id_lookup
from ..access import Access, organization_access
from ..models import Member, Organization
from ..validators import id_number_error, normalize_id_number
from . import selectors
from .columns import (
    BRANCH_NOT_FOUND,
    COLUMN_BY_KEY,
    COLUMNS,
    DATE_FORMAT_HINT,
    Column,
    ParsedRoster,
    RowError,
)

_DATE_TEXT = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:\s+0{1,2}:00(?::00)?)?$")


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
    branches, groups = selectors.placements_by_code(codes, group_codes)
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
