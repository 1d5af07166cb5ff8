"""Issue 13: the 三本一表 printed to PDF by real LibreOffice reads like the books it replaces.

Checked from the PDF itself (pdftotext): the 会议记录本 takes at least a page per two meetings, every paragraph of
every meeting's record is printed, every page of it begins with a meeting's header line (a meeting split across pages
repeats it), its body prints at 10.5 pt on A4 portrait, and no page of any sheet prints below 80% (the printed width
of CJK characters, one em each, is the size they printed at). The same for the PDF download. Screenshots of the
meeting book and the 党费 grid go to test-artifacts/screenshots/.
"""

import io
import math
import re
import threading
import time
import zipfile
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from common import xlsx
from ledgers import jobs, pdf, services
from ledgers.models import ExportJob

from . import pdftools
from .conftest import YEAR

pytestmark = pytest.mark.usefixtures("has_tools")
BRANCH = "甲集团第一党支部"


@pytest.fixture
def has_tools():
    pdftools.soffice()
    pdftools.need("pdftotext")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


def sheet_pages(texts: list[str], sheet: str) -> list[int]:
    return [i for i, text in enumerate(texts) if text.lstrip().startswith(f"{BRANCH} {YEAR}年 {sheet}")]


def header_lines(workbook_path: Path) -> list[str]:
    """The meeting book's block header lines, as the workbook has them."""
    ws = load_workbook(workbook_path)["会议记录本"]
    return [v for a, v in ws.iter_rows(min_row=2, values_only=True) if a and re.fullmatch(r"第\d+次", a)]


def assert_prints_as_a_book(path: Path, meetings, headers: list[str]) -> tuple[list[str], list[int]]:
    texts, sizes = pdftools.page_texts(path), pdftools.page_sizes(path)
    book = sheet_pages(texts, "会议记录本")
    assert len(book) >= math.ceil(len(meetings) / 2), f"{len(book)} pages for {len(meetings)} meetings"
    # The values' column of the pages' bodies (right of the 1-inch margin and the 18-unit label column; below the
    # title row, above the footer): a label that wraps beside a value cannot interleave with it. Less the blocks'
    # header lines (repeated where a meeting goes on over a page), it is every field's text in order: a paragraph
    # that goes on over a page joins up again.
    values = pdftools.page_texts(path, left=170, top=81, bottom=790)
    printed = pdftools.flat("".join(values[i] for i in book))
    for header in headers:
        printed = printed.replace(pdftools.flat(header), "")
    for meeting in meetings:
        for paragraph in meeting.content.split("\n"):
            assert pdftools.flat(paragraph) in printed, paragraph
        assert pdftools.flat(meeting.topic) in printed
    for i in book:
        lines = [line for line in texts[i].splitlines() if line.strip()]
        assert re.fullmatch(r"第\d+次(\(续\))?", lines[1]), f"page {i + 1} starts with {lines[1:3]}"
        page = sizes[i]
        assert page.width < page.height and abs(page.width - 595.3) < 1  # A4 portrait
        assert min(page.body_em) >= 10.4, f"page {i + 1}: body text at {min(page.body_em):.1f} pt"
    for i, page in enumerate(sizes):
        if page.body_em:  # no sheet below 80%: its 10.5 pt text prints at 8.4 pt or more
            assert min(page.body_em) >= 0.8 * xlsx.BODY_PT, f"page {i + 1} ({texts[i][:30]}) scaled below 80%"
    return texts, book


def test_the_workbook_prints_the_meeting_book_and_the_dues_grid_readably(book_branch, tmp_path):
    started = time.monotonic()
    services.ledger_write(branch=book_branch.branch, year=YEAR, out=tmp_path / "ledger.xlsx")
    (path,) = pdf.convert([tmp_path / "ledger.xlsx"], tmp_path)
    texts, book = assert_prints_as_a_book(path, book_branch.meetings, header_lines(tmp_path / "ledger.xlsx"))
    assert "【第一议题】学习习近平总书记关于党的建设的重要思想" in texts[book[0]] or any(
        "【第一议题】" in texts[i] for i in book
    )
    assert any("记录人笔误,更正会议地点" in texts[i] for i in book)  # the amendment of an archived record
    # A meeting longer than a page goes on under its repeated header line.
    assert any(re.search(r"^第5次\(续\)$", texts[i], re.M) for i in book)

    dues = sheet_pages(texts, "党费收缴登记本")
    assert len(dues) == 2  # 12 months at 100%: two landscape pages across
    for i in dues:
        assert "序号" in texts[i] and "甲0" in texts[i] and "甲6" in texts[i]  # name column and header on each
    assert "1月" in texts[dues[0]] and "12月" in texts[dues[1]] and "全年实交" in texts[dues[1]]
    sizes = pdftools.page_sizes(path)
    assert all(sizes[i].width > sizes[i].height for i in dues)  # landscape

    for n, i in enumerate(book[:2], 1):
        pdftools.screenshot(path, i + 1, f"ledger-meeting-book-p{n}")
    long_page = next(i for i in book if re.search(r"^第5次\(续\)$", texts[i], re.M))
    pdftools.screenshot(path, long_page + 1, "ledger-meeting-book-continued")
    for n, i in enumerate(dues, 1):
        pdftools.screenshot(path, i + 1, f"ledger-dues-grid-p{n}")
    print(f"render + checks: {time.monotonic() - started:.1f} s")  # noqa: T201 (the report quotes it)


def test_no_fitted_sheet_is_scaled_below_80_percent(book_branch, tmp_path):
    services.ledger_write(branch=book_branch.branch, year=YEAR, out=tmp_path / "ledger.xlsx")
    for ws in load_workbook(tmp_path / "ledger.xlsx").worksheets:
        if ws.sheet_properties.pageSetUpPr.fitToPage:
            widths = [d.width for d in ws.column_dimensions.values()]
            page = xlsx.Page(landscape=ws.page_setup.orientation == "landscape", left=ws.page_margins.left,
                             right=ws.page_margins.right)  # fmt: skip
            assert xlsx.scale_to_fit(widths, page) >= 80, ws.title
        else:
            assert ws.page_setup.scale == 100, ws.title


# ---------------------------------------------------------------- the download


def pdf_url(code, year=YEAR):
    return reverse("ledgers:branch_ledger_pdf", args=[code, year])


def test_the_pdf_download_is_the_same_book(book_branch, client_for, tmp_path, settings, django_assert_max_num_queries):
    settings.LEDGER_PDF_DOWNLOAD_TIMEOUT_SECONDS = 120  # a shared, loaded test machine; production: 25 s
    client = client_for("secretary")
    with django_assert_max_num_queries(22):  # as the Excel download: the workbook's reads, then LibreOffice
        response = client.get(pdf_url("EA-B1"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"] and ".pdf" in response["Content-Disposition"]
    path = tmp_path / "download.pdf"
    path.write_bytes(b"".join(response.streaming_content))
    services.ledger_write(branch=book_branch.branch, year=YEAR, out=tmp_path / "same.xlsx")
    assert_prints_as_a_book(path, book_branch.meetings, header_lines(tmp_path / "same.xlsx"))


def test_pdf_download_access_is_the_excel_download_access(records, client_for):
    response = client_for(None).get(pdf_url("EA-B1"))
    assert response.status_code == 302 and reverse("login") in response["Location"]
    for who, code in [("secretary2", "EA-B1"), ("secretary", "EA-B2"), ("committee", "EB-B1")]:
        assert client_for(who).get(pdf_url(code)).status_code == 404, (who, code)
    assert client_for("committee").get(pdf_url("EA")).status_code == 302  # a committee: to the bulk export
    response = client_for("sasac").get(reverse("ledgers:branch_ledger_pdf_current", args=["EA-B1"]), {"year": YEAR})
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


def test_without_libreoffice_the_download_says_so_in_chinese(records, client_for, settings, tmp_path):
    settings.LEDGER_SOFFICE = str(tmp_path / "no-such-soffice")
    response = client_for("secretary").get(pdf_url("EA-B1"))
    assert response.status_code == 503
    html = response.content.decode()
    assert "服务器未安装 LibreOffice" in html and reverse("ledgers:branch_ledger", args=["EA-B1", YEAR]) in html


# ---------------------------------------------------------------- the bulk export option (eager in tests)


def test_bulk_export_with_pdf_puts_each_branch_pdf_beside_its_workbook(records, client_for, cast, settings):
    settings.LEDGER_PDF_GROUP_SIZE = 1  # one LibreOffice start per branch: the group logic runs twice
    response = client_for("committee").post(
        reverse("ledgers:export_new"), {"organization": "EA", "year": YEAR, "with_pdf": "on"}
    )
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.with_pdf and job.status == ExportJob.Status.DONE, job.error
    with job.file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as archive:
        names = sorted(archive.namelist())
        assert names == [
            "EA-B1_甲集团第一党支部.pdf", "EA-B1_甲集团第一党支部.xlsx",
            "EA-B2_甲集团第二党支部.pdf", "EA-B2_甲集团第二党支部.xlsx",
        ]  # fmt: skip
        assert archive.read(names[0]).startswith(b"%PDF")


def test_bulk_export_without_libreoffice_fails_with_a_chinese_message(records, cast, tree, settings, tmp_path):
    settings.LEDGER_SOFFICE = str(tmp_path / "no-such-soffice")
    job = jobs.export_job_start(user=cast.committee, organization=tree.committee_a, year=YEAR, with_pdf=True)
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED and "服务器未安装 LibreOffice" in job.error
    assert not job.file.name


# ---------------------------------------------------------------- the converter


def test_a_conversion_past_its_timeout_is_killed_with_its_children(settings, tmp_path):
    fake = tmp_path / "soffice"
    fake.write_text("#!/bin/sh\nsleep 60 &\nsleep 60\n")
    fake.chmod(0o755)
    settings.LEDGER_SOFFICE = str(fake)
    (tmp_path / "a.xlsx").write_bytes(b"")
    started = time.monotonic()
    with pytest.raises(pdf.PdfError, match="生成 PDF 超时"):
        pdf.convert([tmp_path / "a.xlsx"], tmp_path / "out", timeout=1)
    # communicate() returns once every process holding the pipes is gone: the background sleep too.
    assert time.monotonic() - started < 10


def test_concurrent_conversions_use_their_own_profiles(records, tree, tmp_path):
    for name in ("a", "b"):
        services.ledger_write(branch=tree.branch_a, year=YEAR, out=tmp_path / f"{name}.xlsx")
    errors, results = [], {}

    def run(name):
        try:
            results[name] = pdf.convert([tmp_path / f"{name}.xlsx"], tmp_path / f"out-{name}")
        except Exception as exc:  # noqa: BLE001 (reported below)
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not errors and all(results[n][0].read_bytes().startswith(b"%PDF") for n in ("a", "b"))
