"""The rule for an uploaded attachment file (pure: no query): type by extension AND by content, size limit, and a
safe display name. meetings/services.py attachment_add() applies it."""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.text import get_valid_filename

ATTACHMENT_TYPES = {
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".pdf": (b"%PDF-",),
}


def attachment_max_bytes() -> int:
    return getattr(settings, "MEETING_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)


def _sniff_ok(ext: str, head: bytes) -> bool:
    return any(head.startswith(magic) for magic in ATTACHMENT_TYPES[ext])


def checked_file(file) -> tuple[str, str]:
    """(the display name, the lower-case extension) of an acceptable file; a ValidationError on `file` otherwise."""
    limit = attachment_max_bytes()
    if file.size > limit:
        raise ValidationError({"file": f"文件过大:最大 {limit // (1024 * 1024)} MB。"})
    if file.size == 0:
        raise ValidationError({"file": "文件为空。"})
    # The client's name is only shown, never used as a path: strip directories and odd characters.
    original = get_valid_filename(os.path.basename((file.name or "").replace("\\", "/"))) or "file"
    ext = os.path.splitext(original)[1].lower()
    if ext not in ATTACHMENT_TYPES:
        raise ValidationError({"file": "只能上传 JPG、PNG 或 PDF 文件。"})
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if not _sniff_ok(ext, head):
        raise ValidationError({"file": "文件内容与扩展名不符,只能上传 JPG、PNG 或 PDF 文件。"})
    return original, ext
