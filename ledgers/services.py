"""三本一表: writing a branch's workbook and the zip of every branch under an organization.

The web download, `manage.py export_ledger`, the export jobs (ledgers/jobs.py, run by the Celery task) and
`manage.py bench_export` all call these functions.

PDF (ledgers/pdf.py): the same workbook printed by LibreOffice headless: `ledger_pdf_write` for one branch (the PDF
download), and in the bulk export as an option (ExportJob.with_pdf: each branch's .pdf beside its .xlsx in the zip,
converted a group of LEDGER_PDF_GROUP_SIZE workbooks per LibreOffice start, in the worker).

Bulk export result: one zip holding one workbook per branch (named "<code>_<name>.xlsx"), not one workbook with a
sheet set per branch: each branch's ledger stays a standalone, printable file that the branch can be sent as is, and
the sheet names stay exactly those of DOMAIN.md. The branches are read in batches (LEDGER_EXPORT_BATCH_SIZE, one query
per record type per batch) and each workbook is built in memory and stored in the zip before the next, so memory stays
flat however many branches; the zip is built under a ".part" name and renamed when complete.
"""

import datetime
import io
import logging
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from branches.models import Organization

from . import meeting_book, pdf, selectors, workbook

logger = logging.getLogger(__name__)


def optional_sheets() -> tuple[str, ...]:
    # DOMAIN.md: the optional sheets are local practice, so configurable (default: all three).
    return tuple(getattr(settings, "LEDGER_OPTIONAL_SHEETS", workbook.OPTIONAL_SHEETS))


def check_year(year: int, *, today: datetime.date | None = None) -> int:
    today = today or timezone.localdate()
    if not 1921 <= year <= today.year:
        raise ValidationError(f"年度应在1921年至{today.year}年之间。")
    return year


# ---------------------------------------------------------------- one branch


def batch_size() -> int:
    # Branches read together by a bulk export: one query per record type per batch. Memory grows with the batch
    # (about 0.2 MB a branch of the demo), the number of queries shrinks with it.
    return max(1, int(getattr(settings, "LEDGER_EXPORT_BATCH_SIZE", 200)))


def _optional_reads(wanted: tuple[str, ...]) -> tuple[str, ...]:
    sheets = {workbook.SHEET_TALKS: "talks", workbook.SHEET_REVIEWS: "reviews", workbook.SHEET_TERMS: "terms"}
    return tuple(read for sheet, read in sheets.items() if sheet in wanted)


def ledger_write(
    *,
    branch: Organization,
    year: int,
    out,
    today: datetime.date | None = None,
    records: selectors.BranchLedger | None = None,
) -> dict[str, int]:
    """Write the branch's workbook for the year to `out` (a path or a binary file object). Returns rows per sheet.

    `records` is the branch's part of a batch already read (ledger_export_subtree); without it the branch is read
    alone, the same way. A branch with no records gives a valid workbook with the title and header rows only."""
    if branch.kind != Organization.Kind.BRANCH:
        raise ValidationError("三本一表按党支部导出,请选择一个党支部。")
    today = today or timezone.localdate()
    wanted = optional_sheets()
    if records is None:
        records = selectors.ledger_records([branch], year, optional=_optional_reads(wanted))[branch.pk]
    book, styles = workbook.new_workbook()
    counts = {
        workbook.SHEET_ROSTER: workbook.write_roster(book, styles, records),
        workbook.SHEET_MEETINGS: meeting_book.write_meetings(book, styles, records),
        workbook.SHEET_STUDY: workbook.write_study(book, styles, records),
        workbook.SHEET_DUES: workbook.write_dues(book, styles, records, selectors.dues_rows(records, today=today)),
    }
    if workbook.SHEET_TALKS in wanted:
        counts[workbook.SHEET_TALKS] = workbook.write_talks(book, styles, records)
    if workbook.SHEET_REVIEWS in wanted:
        counts[workbook.SHEET_REVIEWS] = workbook.write_reviews(book, styles, records)
    if workbook.SHEET_TERMS in wanted:
        counts[workbook.SHEET_TERMS] = workbook.write_terms(book, styles, records)
    book.save(out)
    return SheetCounts(counts, rows={s.ws.title: s.row_index - 1 - s.header_count for s in styles.sheets})


class SheetCounts(dict):
    """Records per sheet (the 会议记录本: meetings), and in `rows` the data rows each sheet has (a meeting is a block
    of rows): the benchmark's floor writes as many."""

    def __init__(self, counts: dict[str, int], *, rows: dict[str, int]):
        super().__init__(counts)
        self.rows = rows


def ledger_filename(branch: Organization, year: int, ext: str = "xlsx") -> str:
    return f"{_safe_name(branch.name)}-{year}年三本一表.{ext}"


def pdf_download_timeout() -> int:
    # The PDF download converts in the request: stop before the web server's worker timeout (gunicorn: 30 s).
    return int(getattr(settings, "LEDGER_PDF_DOWNLOAD_TIMEOUT_SECONDS", 25))


def ledger_pdf_write(*, branch: Organization, year: int, directory: str | os.PathLike) -> Path:
    """The branch's workbook for the year and its PDF, in `directory`; returns the PDF's path. pdf.PdfError (its
    message in Chinese) when LibreOffice is missing, fails or runs past LEDGER_PDF_DOWNLOAD_TIMEOUT_SECONDS."""
    xlsx_path = Path(directory) / "ledger.xlsx"
    ledger_write(branch=branch, year=year, out=xlsx_path)
    return pdf.convert([xlsx_path], Path(directory), timeout=pdf_download_timeout())[0]


def _safe_name(name: str) -> str:
    return re.sub(r'[\\/:*?"<>|\x00-\x1f]+', "_", name).strip() or "党支部"


# ---------------------------------------------------------------- every branch under an organization


def ledger_export_subtree(
    *,
    organization: Organization,
    year: int,
    path: str | os.PathLike,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    collect: list | None = None,
    with_pdf: bool = False,
) -> int:
    """Write a zip with one workbook per branch under `organization` to `path`; returns the number of branches.

    The branches are read LEDGER_EXPORT_BATCH_SIZE at a time (selectors.ledger_records: one query per record type
    per batch), and each branch's workbook is written by ledger_write, as a single download is. `progress(done,
    total)` is called once before the first branch and after each one; `collect`, if given, receives each branch's
    rows per sheet (the benchmark counts cells with it). Memory stays flat: one batch's rows and one workbook at a
    time (built in memory, then stored in the zip, not deflated again: an .xlsx is already a zip)."""
    return ledger_export_branches(
        branches=list(selectors.branches_under(organization)), year=year, path=path, today=today, progress=progress,
        collect=collect, with_pdf=with_pdf,
    )  # fmt: skip


def pdf_group_size() -> int:
    # Workbooks converted per LibreOffice start (a start costs about 2 seconds; a group's PDFs wait on disk).
    return max(1, int(getattr(settings, "LEDGER_PDF_GROUP_SIZE", 20)))


class _PdfGroup:
    """Workbooks waiting for LibreOffice, on disk under our own numbered names; converted a group at a time, each
    PDF stored in the zip beside its workbook."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.dir = Path(tempfile.mkdtemp(prefix="sbgf-ledger-pdf-"))
        self.names: list[str] = []

    def add(self, name: str, data) -> bool:
        """Queue a workbook; True when that completed a group (now converted)."""
        (self.dir / f"{len(self.names)}.xlsx").write_bytes(data)
        self.names.append(name)
        if len(self.names) < pdf_group_size():
            return False
        self.flush()
        return True

    def flush(self) -> None:
        if not self.names:
            return
        paths = [self.dir / f"{i}.xlsx" for i in range(len(self.names))]
        for name, converted in zip(self.names, pdf.convert(paths, self.dir / "pdf"), strict=True):
            self.archive.write(converted, f"{name}.pdf")
        for item in (*paths, *(self.dir / "pdf").glob("*")):
            item.unlink()
        self.names = []

    def close(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)


def ledger_export_branches(
    *,
    branches: list[Organization],
    year: int,
    path: str | os.PathLike,
    today: datetime.date | None = None,
    progress: Callable[[int, int], None] | None = None,
    collect: list | None = None,
    with_pdf: bool = False,
) -> int:
    """ledger_export_subtree for a given list of branches (the benchmark's --limit uses it directly). With `with_pdf`
    each branch's PDF goes beside its workbook, and `progress` counts branches converted."""
    today = today or timezone.localdate()
    total = len(branches)
    reads = _optional_reads(optional_sheets())
    size = batch_size()
    if progress:
        progress(0, total)
    done = converted = 0
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        group = _PdfGroup(archive) if with_pdf else None
        try:
            for first in range(0, total, size):
                chunk = branches[first : first + size]
                batch = selectors.ledger_records(chunk, year, optional=reads)
                for branch in chunk:
                    item = io.BytesIO()
                    records = batch.pop(branch.pk)
                    counts = ledger_write(branch=branch, year=year, out=item, today=today, records=records)
                    if collect is not None:
                        collect.append(counts)
                    name = f"{_safe_name(branch.code)}_{_safe_name(branch.name)}"
                    archive.writestr(f"{name}.xlsx", item.getbuffer())
                    done += 1
                    if group is None:
                        converted = done
                    elif group.add(name, item.getbuffer()):
                        converted = done
                    if progress and converted == done:
                        progress(done, total)
            if group is not None and converted < done:
                group.flush()
                if progress:
                    progress(done, total)
        finally:
            if group is not None:
                group.close()
    return total
