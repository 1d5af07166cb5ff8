"""Bounds for an uploaded .xlsx by what it unpacks to, not only by its size on the wire (issue 12 point 5).

An .xlsx is a zip of XML parts. A 48 KB file can hold 300,000 blank rows, and a compressed shared-strings part can unpack
to gigabytes, so the upload limit alone bounds nothing. `check_unpacked_size()` reads only the zip's directory and
refuses the file before openpyxl parses a byte; `bounded_rows()` counts every row, blank ones too, and stops reading at
the limit. Python's zipfile never returns more than a part's declared size (a part that lies about it fails its CRC),
so the declared sizes checked here bound what the parser can be made to read.
"""

import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.exceptions import ValidationError

# A part above this size whose compression ratio is beyond MAX_RATIO is a bomb, not a spreadsheet: real sheet XML
# compresses about 10-30 times; deflate's ceiling is about 1,000.
_RATIO_CHECKED_ABOVE = 1024 * 1024


class TooManyRows(ValueError):
    def __init__(self, limit: int):
        super().__init__(f"more than {limit} rows")
        self.limit = limit


def check_unpacked_size(file, *, name: str) -> None:
    """Refuse `file` (a seekable upload) when its parts together unpack beyond settings.XLSX_MAX_UNPACKED_BYTES or one
    part is compressed beyond settings.XLSX_MAX_COMPRESSION_RATIO. Leaves the file at position 0."""
    limit = settings.XLSX_MAX_UNPACKED_BYTES
    max_ratio = settings.XLSX_MAX_COMPRESSION_RATIO
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ValidationError(f"文件“{name}”已损坏或不是有效的 Excel 文件,无法读取。") from exc
    finally:
        file.seek(0)
    total = sum(part.file_size for part in parts)
    too_packed = any(
        part.file_size > _RATIO_CHECKED_ABOVE and part.file_size > max_ratio * max(part.compress_size, 1)
        for part in parts
    )
    if total > limit or too_packed:
        raise ValidationError(
            f"文件“{name}”解压后超过 {limit / 1024 / 1024:.0f} MB 或压缩比异常,不像正常的 Excel 文件,请检查后重新导出再上传。"
        )


def bounded_rows(rows: Iterable, limit: int) -> Iterator:
    """Yield at most `limit` rows of a worksheet, blank ones included; raise TooManyRows on the next one, so a sheet of
    millions of empty rows is never read to its end."""
    for count, row in enumerate(rows, start=1):
        if count > limit:
            raise TooManyRows(limit)
        yield row
