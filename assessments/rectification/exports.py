"""整改台账 as .xlsx, print-ready (A4, header repeated, fit to width), through the dashboards' table writer of this app.

Every text cell is neutralised here (a leading = + - @ would be read as a formula): the lead is to switch this to
the shared workbook writer (ledgers/workbook.py safe_text) once it lives where assessments may import it.
"""

import datetime

from django.utils import timezone
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from branches.models import Organization

from ..dashboards.exports import xlsx_response
from .models import RectificationItem

FORMULA_PREFIXES = ("=", "+", "-", "@")
HEADERS = ["序号", "整改单位", "问题", "问题来源", "督办单位", "责任人", "整改时限", "状态", "最近报告", "销号时间"]


def safe(value) -> object:
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


def _day(value) -> str:
    if value is None:
        return ""
    return value.strftime("%Y-%m-%d") if isinstance(value, datetime.date) else ""


def ledger_rows(root: Organization, today: datetime.date) -> list[list]:
    """Every confirmed item of the subtree (one query), in tree order then deadline."""
    items = (
        RectificationItem.objects.with_parties()
        .under(root)
        .exclude(state__in=(RectificationItem.State.PROPOSED, RectificationItem.State.DISMISSED))
        .order_by("organization__path", "deadline", "id")
    )
    rows = []
    for n, item in enumerate(items, start=1):
        state = item.get_state_display() + ("(逾期)" if item.is_overdue(today) else "")
        rows.append(
            [
                n,
                item.organization.name,
                item.title,
                item.get_origin_display(),
                item.committee.name,
                item.responsible,
                _day(item.deadline),
                state,
                _day(timezone.localdate(item.reported_at) if item.reported_at else None),
                _day(timezone.localdate(item.closed_at) if item.closed_at else None),
            ]
        )
    return [[safe(v) for v in row] for row in rows]


def ledger_response(root: Organization, *, today: datetime.date):
    return xlsx_response(
        filename=f"整改台账-{root.name}-{today:%Y%m%d}",
        title=f"{root.name} 整改台账({today:%Y年%m月%d日})",
        sheet="整改台账",
        headers=HEADERS,
        rows=ledger_rows(root, today),
    )
