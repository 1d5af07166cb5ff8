"""The 三本一表 as PDF: the workbook printed by LibreOffice headless (soffice --convert-to pdf).

Why LibreOffice and not WeasyPrint from a print view: the workbook already carries the print layout (A4, margins,
repeated titles, page breaks, footers) and is the ledger itself, so printing it gives the same book as printing the
Excel file, with no second layout to keep in step; LibreOffice is also what the tests open the workbook with.

Each conversion gets its own LibreOffice user profile in a temporary directory (-env:UserInstallation), so concurrent
conversions (two downloads, a worker) never share one (a shared profile makes the second soffice hand its job to the
first, or fail). Many files go through one soffice start (about 2 seconds), as the bulk export does a group at a time.
A conversion that runs past its timeout is killed with its process group (soffice starts soffice.bin as a child).
"""

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings

SOFFICE_MISSING = (
    "服务器未安装 LibreOffice(soffice),无法生成 PDF;请先下载 Excel 版本打印,或请管理员安装 libreoffice-calc。"
)


class PdfError(Exception):
    """A conversion that could not be done; the message is for the user (Chinese)."""


def soffice() -> str | None:
    configured = getattr(settings, "LEDGER_SOFFICE", "")
    if configured:
        return configured if Path(configured).is_file() else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def timeout_seconds(files: int = 1) -> int:
    """A start of LibreOffice plus a per-file allowance (a large branch's book takes a few seconds)."""
    base = int(getattr(settings, "LEDGER_PDF_TIMEOUT_SECONDS", 120))
    return base + 30 * max(0, files - 1)


def convert(paths: Sequence[Path], outdir: Path, *, timeout: int | None = None) -> list[Path]:
    """Convert the workbooks to PDFs in `outdir` (same names, .pdf); returns their paths, in order."""
    program = soffice()
    if program is None:
        raise PdfError(SOFFICE_MISSING)
    timeout = timeout or timeout_seconds(len(paths))
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sbgf-lo-profile-") as profile:
        command = [
            program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore", "--nolockcheck",
            "--convert-to", "pdf", "--outdir", str(outdir), *(str(p) for p in paths),
        ]  # fmt: skip
        env = {**os.environ, "HOME": profile}  # nothing of LibreOffice's goes into the service user's home
        try:
            process = subprocess.Popen(
                command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
            )
        except OSError as exc:
            raise PdfError(f"{SOFFICE_MISSING}({exc})") from exc
        try:
            _out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            _kill(process)
            raise PdfError(
                f"生成 PDF 超时(超过 {timeout} 秒),请稍后再试,或下载 Excel 版本,或在“导出下级全部支部台账”中勾选同时生成 PDF。"
            ) from exc
    pdfs = [outdir / (Path(p).stem + ".pdf") for p in paths]
    missing = [p.name for p in pdfs if not p.is_file()]
    if process.returncode or missing:
        detail = err.decode("utf-8", "replace").strip()[-300:]
        raise PdfError(
            f"LibreOffice 未能生成 PDF(退出码 {process.returncode}{',缺少 ' + '、'.join(missing) if missing else ''}):{detail}"
        )
    return pdfs


def _kill(process: subprocess.Popen) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.communicate()
