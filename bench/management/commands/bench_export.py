"""python manage.py bench_export [--scale 15] [--skip-seed] [--year YYYY] [--limit N] [--repeat N] [--pdf N]

Exports every branch of the province-scale demo (seed_demo --scale N --reset, run as a child process so its memory
does not count) with the service the Celery task uses (ledger_export_subtree, synchronously), and prints its time
and peak memory next to the floor.

The floor is raw openpyxl write-only mode writing the same cells into the same files, with nothing else:
- the same files: one workbook a branch, each built in memory and stored in one zip, as the export does;
- the same sheets (names and order) with the same rows and columns: the title row as one cell, every header and
  data row as many cells as the sheet has columns (the export writes empty cells too: they carry the borders);
- plain values (short Chinese text, numbers, a longer text), no styles, no page setup, no database.
So the ratio export / floor is what the export costs on top of writing its cells: reading the records, building
the rows, styles and print setup. Both wall time and this process's CPU time are printed: on a shared, loaded machine
the wall time varies with the load (and includes the database server's time); the CPU time varies much less, and
--repeat N alternates export and floor N times and keeps the best time of each.
A second reference writes the same number of cells into a single workbook with a single sheet (no per-file cost).

The PDF part (--pdf N, default 20; 0 skips it) is reported separately: the first N branches exported with and without
their PDFs (LibreOffice, a group of LEDGER_PDF_GROUP_SIZE workbooks per start), the difference per branch, and that
rate over every branch; LibreOffice runs as a child process, whose peak memory is its own.

Memory is the process's peak resident set size (VmHWM, reset before each measurement where Linux allows it; else
ru_maxrss, the high-water mark of the whole run, which the export reaches first).
"""

import io
import os
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import Workbook

from ledgers import meeting_book, selectors, services, workbook

SHEET_COLUMNS = {
    workbook.SHEET_ROSTER: len(workbook.ROSTER_COLUMNS),
    workbook.SHEET_MEETINGS: len(meeting_book.COLUMNS),
    workbook.SHEET_STUDY: len(workbook.STUDY_COLUMNS),
    workbook.SHEET_DUES: len(workbook.DUES_LEAD_COLUMNS) + 24 + len(workbook.DUES_TAIL_COLUMNS),
    workbook.SHEET_TALKS: len(workbook.TALK_COLUMNS),
    workbook.SHEET_REVIEWS: len(workbook.REVIEW_COLUMNS),
    workbook.SHEET_TERMS: len(workbook.TERM_COLUMNS),
}
HEADER_ROWS = {workbook.SHEET_DUES: 2, workbook.SHEET_MEETINGS: 0}  # the 会议记录本 is blocks of rows, no header
TITLE = "滨江城建集团机关第一党支部 2026年 党员花名册"


def _peak_mb() -> float:
    """The peak resident set size so far (since the last _reset_peak, where Linux allows it)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _current_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return _peak_mb()


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux: "5" > /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _shape(counts: dict[str, int]) -> list[tuple[str, int, int]]:
    """(sheet, header rows, data rows) of one branch's workbook, from the rows per sheet the export returns."""
    return [(name, HEADER_ROWS.get(name, 1), counts.rows[name]) for name in counts]


def _cells(shapes) -> tuple[int, int]:
    rows = cells = 0
    for shape in shapes:
        for name, headers, data in shape:
            rows += 1 + headers + data
            cells += 1 + (headers + data) * SHEET_COLUMNS[name]
    return rows, cells


def _row(columns: int, r: int) -> list:
    # A mix like the ledger's: short Chinese text, numbers, and a longer text cell.
    return [("党员姓名" if c % 3 else r) if c != 4 else "会议内容及讨论情况,学习讨论" for c in range(columns)]


def _write_sheet(ws, name: str, headers: int, data: int) -> None:
    columns = SHEET_COLUMNS[name]
    ws.append([TITLE])
    for r in range(headers + data):
        ws.append(_row(columns, r))


def floor_files(shapes, path: Path) -> None:
    """The floor: the same cells in the same files (a workbook a branch, in memory, stored in one zip)."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for i, shape in enumerate(shapes):
            book = Workbook(write_only=True)
            for name, headers, data in shape:
                _write_sheet(book.create_sheet(name), name, headers, data)
            item = io.BytesIO()
            book.save(item)
            archive.writestr(f"floor-{i}.xlsx", item.getbuffer())


def floor_single(shapes, path: Path) -> None:
    """Reference: the same cells in one workbook with one sheet."""
    book = Workbook(write_only=True)
    ws = book.create_sheet("floor")
    for shape in shapes:
        for name, headers, data in shape:
            _write_sheet(ws, name, headers, data)
    book.save(path)


class Timer:
    """Wall and CPU time of a block; `best()` keeps the lowest of several runs (the least disturbed by other load)."""

    @classmethod
    def best(cls):
        best = cls()
        best.wall = best.cpu = float("inf")
        return best

    def keep(self, run: "Timer") -> None:
        self.wall, self.cpu = min(self.wall, run.wall), min(self.cpu, run.cpu)

    def __enter__(self):
        self.wall, self.cpu = time.monotonic(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall, self.cpu = time.monotonic() - self.wall, time.process_time() - self.cpu


class Command(BaseCommand):
    help = "台账导出基准测试:导出演示数据全部党支部的三本一表,与 openpyxl 只写模式写同样单元格(下限)对比耗时和内存"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=15, help="seed_demo 规模(默认 15 ≈ 一个省)")
        parser.add_argument("--skip-seed", action="store_true", help="使用已有的演示数据,不重新生成")
        parser.add_argument("--year", type=int, default=None, help="导出年度(默认今年)")
        parser.add_argument("--limit", type=int, default=None, help="只导出前 N 个党支部(试跑用)")
        parser.add_argument(
            "--repeat", type=int, default=1, help="导出与下限交替运行 N 次,各取最短时间(机器繁忙时更稳定)"
        )
        parser.add_argument("--pdf", type=int, default=20, help="PDF 部分:前 N 个党支部另生成 PDF 计时(0 = 不测)")

    def handle(self, *args, scale, skip_seed, year, limit, repeat, pdf, **options):
        w = self.stdout.write
        if not skip_seed:
            # A child process: the seed's memory must not count as the export's peak.
            w(f"生成演示数据:seed_demo --scale {scale} --reset(子进程)...")
            with Timer() as seed:
                result = subprocess.run(
                    [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "seed_demo", "--scale", str(scale),
                     "--reset"],
                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
                )  # fmt: skip
            if result.returncode:
                raise CommandError(f"seed_demo 失败(先运行 migrate?):\n{result.stderr[-2000:]}")
            w(f"  用时 {seed.wall:.1f} 秒")
        from demo.context import demo_root

        root = demo_root()
        if root is None:
            raise CommandError("没有演示数据:去掉 --skip-seed 或先运行 seed_demo。")
        year = year or timezone.localdate().year
        branches = list(selectors.branches_under(root))
        if limit:
            branches = branches[:limit]
        w(
            f"导出 {root.name} 下{'前 ' + str(len(branches)) + ' 个' if limit else '全部'}党支部的 {year} 年三本一表"
            f"(每批 {services.batch_size()} 个支部;导出与下限交替运行 {repeat} 次,各取最短时间)..."
        )

        scratch = Path(tempfile.mkdtemp(prefix="bench-export-"))
        export, floor, single = Timer.best(), Timer.best(), Timer.best()
        export_peak = floor_peak = 0.0
        exact = True
        try:
            for _run in range(repeat):
                # 1. The export (it also records the shape the floor reproduces).
                collect: list[dict[str, int]] = []
                rss_start = _current_mb()
                exact = _reset_peak() and exact
                with CaptureQueriesContext(connection) as queries, Timer() as t:
                    services.ledger_export_branches(
                        branches=branches, year=year, path=scratch / "export.zip", collect=collect
                    )
                export.keep(t)
                export_peak = max(export_peak, _peak_mb())
                export_bytes = (scratch / "export.zip").stat().st_size
                shapes = [_shape(counts) for counts in collect]

                # 2. The floor: the same cells in the same files; 3. the reference: one workbook, one sheet.
                _reset_peak()
                with Timer() as t:
                    floor_files(shapes, scratch / "floor.zip")
                floor.keep(t)
                floor_peak = max(floor_peak, _peak_mb())
                with Timer() as t:
                    floor_single(shapes, scratch / "single.xlsx")
                single.keep(t)
        finally:
            for item in scratch.glob("*"):
                item.unlink()
            scratch.rmdir()

        rows, cells = _cells(shapes)
        sheets = sum(len(s) for s in shapes)
        w(
            f"\n党支部 {len(shapes)} 个;工作簿 {len(shapes)} 个,工作表 {sheets} 张;{rows:,} 行,{cells:,} 个单元格;"
            f"zip {export_bytes / 1e6:.1f} MB;数据库查询 {len(queries)} 次(每次导出)"
        )
        w(f"{'':30}{'墙钟(秒)':>9}{'CPU(秒)':>9}{'单元格/秒(CPU)':>14}{'墙钟倍数':>8}{'CPU倍数':>8}")
        for label, t in (
            ("导出(读库、组行、样式、打印设置)", export),
            ("下限:openpyxl 只写,同样的文件", floor),
            ("参考:同样单元格写入单个工作表", single),
        ):
            w(
                f"{label:20}{t.wall:>12.1f}{t.cpu:>10.1f}{cells / max(t.cpu, 1e-9):>16,.0f}"
                f"{t.wall / floor.wall:>11.2f}x{t.cpu / floor.cpu:>9.2f}x"
            )
        w(
            f"导出 / 下限:墙钟 {export.wall / floor.wall:.2f}x,CPU {export.cpu / floor.cpu:.2f}x(目标 ≤ 2x;"
            "墙钟含数据库服务器的时间,机器繁忙时以 CPU 倍数为准)"
        )
        how = "VmHWM,每项测量前重置" if exact else "ru_maxrss,整个进程的高水位"
        w(f"内存峰值({how}):导出前 {rss_start:.0f} MB,导出 {export_peak:.0f} MB,下限 {floor_peak:.0f} MB;目标 < 300 MB")
        if not exact:
            w("(无法重置峰值:下限的数字不低于导出的。)")
        if pdf:
            self.pdf_part(branches, year, pdf)

    def pdf_part(self, branches, year: int, n: int) -> None:
        """The PDF option on the first n branches: the same export with and without the PDFs, the difference."""
        sample = branches[:n]
        scratch = Path(tempfile.mkdtemp(prefix="bench-export-pdf-"))
        try:
            with Timer() as excel:
                services.ledger_export_branches(branches=sample, year=year, path=scratch / "excel.zip")
            with Timer() as both:
                services.ledger_export_branches(branches=sample, year=year, path=scratch / "pdf.zip", with_pdf=True)
            with zipfile.ZipFile(scratch / "pdf.zip") as archive:
                pdf_bytes = sum(i.file_size for i in archive.infolist() if i.filename.endswith(".pdf"))
        finally:
            for item in scratch.glob("*"):
                item.unlink()
            scratch.rmdir()
        per = (both.wall - excel.wall) / len(sample)
        child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        self.stdout.write(
            f"\nPDF 部分(LibreOffice,每次启动转换 {services.pdf_group_size()} 个工作簿):前 {len(sample)} 个党支部 "
            f"{both.wall - excel.wall:.1f} 秒(每个支部 {per:.2f} 秒,PDF 共 {pdf_bytes / 1e6:.1f} MB);"
            f"按此推算全部 {len(branches)} 个支部约 {per * len(branches) / 60:.0f} 分钟。"
            f"子进程内存峰值 {child:.0f} MB(LibreOffice;未加 --skip-seed 时含 seed_demo 子进程)"
        )
