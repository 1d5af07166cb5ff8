"""居民身份证号码 (GB 11643-1999): 17 digits, then a check character computed with ISO 7064 MOD 11-2."""

import datetime

from django.core.exceptions import ValidationError

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"


def id_number_check_char(first17: str) -> str:
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def id_number_error(value: str) -> str | None:
    """The reason an ID number is invalid, in Chinese, or None if it is valid."""
    if len(value) != 18:
        return "身份证号码应为18位"
    if not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "身份证号码前17位应为数字,最后一位为数字或X"
    try:
        datetime.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if id_number_check_char(value[:17]) != value[17]:
        return "身份证号码校验位不正确"
    return None


def normalize_id_number(value: str) -> str:
    return (value or "").strip().upper()


def validate_id_number(value: str) -> None:
    error = id_number_error(normalize_id_number(value))
    if error:
        raise ValidationError(error, code="invalid_id_number")


def mask_id_number(value: str) -> str:
    """Keep only the last four characters: **************123X. The region code and the birth date stay hidden, because
    pages, the API and the ledger show 出生日期 beside the mask (issue 12: mask plus birth date gave the full number)."""
    if not value:
        return ""
    return "*" * max(len(value) - 4, 0) + value[-4:]


FORMULA_LEADS = "=+-@"


def validate_not_formula(value: str) -> None:
    """Refuse text that a spreadsheet would run as a formula (= + - @ first, even after blanks): organization and group
    names are written into every ledger and dashboard workbook that SASAC and the committees download (issue 12)."""
    if (value or "").lstrip()[:1] in tuple(FORMULA_LEADS):
        raise ValidationError("名称不能以 = + - @ 开头(电子表格会把它当作公式),请删除开头的符号。", code="formula")


def make_id_number(region: str, birth_date: datetime.date, sequence: int) -> str:
    """A well-formed ID number (used by the demo data and the tests)."""
    first17 = f"{region}{birth_date:%Y%m%d}{sequence % 1000:03d}"
    return first17 + id_number_check_char(first17)
