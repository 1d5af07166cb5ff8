"""Helpers that build 花名册 .xlsx files in memory for the roster tests."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from branches.roster import COLUMNS, DATA_SHEET
from branches.validators import make_id_number

HEADERS = [c.title for c in COLUMNS]
KEYS = [c.key for c in COLUMNS]
REGION = "320102"  # the cast's members use 110101, so imported ID numbers never collide with them
_BASE_BIRTH = datetime.date(1960, 1, 1)
_BIRTH_SPAN = 15_000  # days: births from 1960 to 2001


def id_for(n: int, *, male: bool = True) -> tuple[str, datetime.date]:
    """A valid, unique ID number for row n, with its birth date; the 17th digit is odd for men (GB 11643)."""
    birth = _BASE_BIRTH + datetime.timedelta(days=n % _BIRTH_SPAN)
    sequence = (n // _BIRTH_SPAN) * 2 + (1 if male else 0)
    return make_id_number(REGION, birth, sequence), birth


def roster_row(branch_code: str, n: int = 0, *, category: str = "正式党员", **overrides) -> dict:
    """One valid row as {column key: cell value}; dates are real Excel dates unless overridden with text."""
    male = n % 2 == 0
    id_number, birth = id_for(n, male=male)
    joined = birth + datetime.timedelta(days=22 * 365)
    row = {
        "branch_code": branch_code,
        "group_code": "",
        "name": f"导入党员{n}",
        "gender": "男" if male else "女",
        "ethnicity": "汉族",
        "birth_date": birth,
        "education": "大学本科",
        "id_number": id_number,
        "phone": f"139{n:08d}",
        "joined_on": joined,
        "full_on": joined + datetime.timedelta(days=365) if category in ("正式党员", "full") else None,
        "category": category,
        "position": "职员",
        "status": "正常",
        "dues_class": "在职",
        "dues_base": 5000,
    }
    row.update(overrides)
    return row


def valid_rows(count: int, branch_code: str, *, start: int = 0) -> list[dict]:
    return [roster_row(branch_code, n) for n in range(start, start + count)]


def build_roster(rows: list[dict], *, headers: list[str] | None = None, title: str | None = None) -> bytes:
    """An .xlsx with the data sheet: optional title row, the header, then the rows in header order."""
    headers = HEADERS if headers is None else headers
    keys = [KEYS[HEADERS.index(h)] if h in HEADERS else None for h in headers]
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(DATA_SHEET)
    if title:
        ws.append([title])
    ws.append(headers)
    for row in rows:
        ws.append([row.get(key) if key else None for key in keys])
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def roster_upload(rows: list[dict], name: str = "花名册.xlsx", **kwargs) -> SimpleUploadedFile:
    return upload(build_roster(rows, **kwargs), name)
