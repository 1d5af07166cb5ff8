"""Reading a printed ledger back: its pages' text (pdftotext) and the printed size of its characters (pdftotext
-bbox: a CJK character is one em wide, so a run of them measures the font size it printed at), and screenshots
(pdftoppm). poppler-utils is installed by `bash scripts/services.sh install` (make test)."""

import html
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
CJK_RUN = re.compile(r"^[\u4e00-\u9fff]{4,}$")
WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
EDGE_PT = 0.65 * 72  # the page header and footer print within this distance of the paper's edge


def need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(
            f"{tool} (poppler-utils) is not installed: `bash scripts/services.sh install` / make test installs it"
        )
    return path


def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: `bash scripts/services.sh install` / make test installs it"
        )
    return path


def page_texts(pdf: Path, *, left: float = 0, top: float = 0, bottom: float = 5000) -> list[str]:
    """Each page's text; or only what prints right of `left` pt, between `top` and `bottom` pt (a page's body: one
    column, no page title or footer)."""
    crop = ["-x", str(int(left)), "-y", str(int(top)), "-W", "5000", "-H", str(int(bottom - top))]
    out = subprocess.run([need("pdftotext"), *crop, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return out.split("\f")[:-1]


def flat(text: str) -> str:
    """Text without any white space: a wrapped line in the PDF joins up again."""
    return re.sub(r"\s+", "", text)


@dataclass
class PageSize:
    width: float
    height: float
    body_em: list[float]  # the printed em (pt) of each run of 4+ CJK characters in the page's body


def page_sizes(pdf: Path) -> list[PageSize]:
    out = subprocess.run([need("pdftotext"), "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for width, height, body in PAGE.findall(out):
        width, height = float(width), float(height)
        ems = []
        for x0, y0, x1, y1, word in WORD.findall(body):
            word = html.unescape(word)
            if CJK_RUN.match(word) and EDGE_PT < float(y0) and float(y1) < height - EDGE_PT:
                ems.append((float(x1) - float(x0)) / len(word))
        pages.append(PageSize(width, height, ems))
    return pages


def median_em(page: PageSize) -> float:
    return statistics.median(page.body_em)


def screenshot(pdf: Path, page: int, name: str) -> Path:
    """Page `page` (1-based) as test-artifacts/screenshots/<name>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / name
    subprocess.run(
        [need("pdftoppm"), "-png", "-r", "80", "-singlefile", "-f", str(page), "-l", str(page), str(pdf), str(target)],
        check=True,
        capture_output=True,
    )
    return target.with_suffix(".png")
