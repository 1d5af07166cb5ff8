"""Reading an uploaded 花名册 file into raw rows: file-level checks (type, size, readable, header), no row checks."""

import os
import re
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError
from openpyxl import load_workbook

from common import xlsx_guard

from .columns import COLUMNS, DATA_SHEET, HEADER_SCAN_ROWS, MAX_ROWS, ParsedRoster

_XLSX_MAGIC = b"PK\x03\x04"


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
