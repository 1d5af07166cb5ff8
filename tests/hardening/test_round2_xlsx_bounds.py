"""Issue 12 point 5: an upload is bounded by what it unpacks to. A workbook of 300,000 blank rows is refused at the row
limit (blank rows count), and a zip bomb in the shared-strings part is refused from the zip directory alone, before
openpyxl parses anything."""

import io
import zipfile

import pytest

from branches import roster
from branches.models import Member
from branches.roster import parsing as roster_parsing
from common import xlsx_guard
from tests.branches.fixtures_roster import build_roster, upload, valid_rows

pytestmark = pytest.mark.django_db

IMPORT_URL = "/roster/import/"


def rewrite(content: bytes, replace) -> bytes:
    """The workbook `content` with some parts replaced: replace(name, data) -> data."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            target.writestr(name, replace(name, source.read(name)))
    return buffer.getvalue()


def blank_rows_workbook(count: int) -> bytes:
    """A header row, one member, then `count` blank rows written as real <row> elements: tiny once zipped."""

    def replace(name, data):
        if not name.startswith("xl/worksheets/sheet1"):
            return data
        head, tail = data.split(b"</sheetData>")
        blanks = b"".join(b'<row r="%d"/>' % n for n in range(3, count + 3))
        return head + blanks + b"</sheetData>" + tail

    return rewrite(build_roster(valid_rows(1, "EA-B1")), replace)


def shared_strings_bomb(unpacked: int) -> bytes:
    def replace(name, data):
        if name != "xl/sharedStrings.xml":
            return data
        return (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>'
            + b"A" * unpacked
            + (b"</t></si></sst>")
        )

    content = build_roster(valid_rows(1, "EA-B1"))
    if "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(content)).namelist():
        # openpyxl writes inline strings only when asked; add the part so the bomb sits where Excel keeps text.
        source = zipfile.ZipFile(io.BytesIO(content))
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
            for name in source.namelist():
                target.writestr(name, source.read(name))
            target.writestr("xl/sharedStrings.xml", b"")
        content = buffer.getvalue()
    return rewrite(content, replace)


def test_300000_blank_rows_are_refused_at_the_row_limit(client_for, tree):
    content = blank_rows_workbook(300_000)
    assert len(content) < 1024 * 1024  # small on the wire: the upload limit alone does not stop it
    response = client_for("secretary").post(IMPORT_URL, {"file": upload(content)})
    assert f"超过 {roster.MAX_ROWS} 行" in response.content.decode()
    assert not Member.objects.exists()


def test_the_row_iterator_stops_reading_at_the_limit():
    pulled = []

    def rows():
        for n in range(300_000):
            pulled.append(n)
            yield (None,)

    with pytest.raises(xlsx_guard.TooManyRows):
        list(xlsx_guard.bounded_rows(rows(), 1000))
    assert len(pulled) == 1001  # one past the limit, not 300,000


def test_a_zip_bomb_in_shared_strings_is_refused_before_parsing(client_for, tree, monkeypatch):
    content = shared_strings_bomb(60 * 1024 * 1024)  # 60 MB of text, about 60 KB zipped
    assert len(content) < 1024 * 1024

    def must_not_parse(*args, **kwargs):
        raise AssertionError("openpyxl was asked to parse the bomb")

    monkeypatch.setattr(roster_parsing, "load_workbook", must_not_parse)
    response = client_for("secretary").post(IMPORT_URL, {"file": upload(content)})
    assert "解压后超过" in response.content.decode()
    assert not Member.objects.exists()


def test_a_part_compressed_beyond_the_ratio_is_refused_even_under_the_size_limit(client_for, tree, monkeypatch):
    content = shared_strings_bomb(8 * 1024 * 1024)  # under 50 MB unpacked, but about 1000:1
    monkeypatch.setattr(roster_parsing, "load_workbook", lambda *a, **k: pytest.fail("parsed"))
    response = client_for("secretary").post(IMPORT_URL, {"file": upload(content)})
    assert "压缩比异常" in response.content.decode()


def test_an_ordinary_roster_still_imports(client_for, tree):
    response = client_for("secretary").post(IMPORT_URL, {"file": upload(build_roster(valid_rows(30, "EA-B1")))})
    assert response.status_code == 302 and Member.objects.count() == 30
