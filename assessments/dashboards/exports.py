"""Dashboard tables as .xlsx: a title row (what, scope, period), a frozen bold header, readable widths.

The rows are the same ones the page shows, with the same filters (the views pass them in): no query here. Each
`*_sheet` function builds one table (file name, title, headers, rows); `response` writes it.
"""

from io import BytesIO
from typing import NamedTuple

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from common import xlsx
from common.periods import period_name

from ..indicators.rules import MET, NOT_MET, PARTLY_MET, floor_percent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(*, title: str, sheet: str, headers: list[str], rows) -> Workbook:
    # The one workbook writer (common/xlsx.py): title row, frozen and repeated header, A4, neutralised formulas (an
    # organization named "=HYPERLINK(...)" reaches the committee's download as text, never as a formula).
    return xlsx.table_workbook(title=title, sheet=sheet, headers=headers, rows=rows)


def xlsx_response(*, filename: str, title: str, sheet: str, headers: list[str], rows) -> HttpResponse:
    buffer = BytesIO()
    workbook(title=title, sheet=sheet, headers=headers, rows=rows).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{filename}.xlsx")
    return response


def pct(rate) -> str:
    """A rate in 0..1 as the page shows it ("85%"), or "—" when nothing is required yet."""
    # Rounded down like the pages: 99.6% is not 100% (达标).
    return "—" if rate is None else f"{floor_percent(rate)}%"


# ---------------------------------------------------------------- the tables


class Sheet(NamedTuple):
    filename: str
    title: str
    sheet: str
    headers: list[str]
    rows: list


def response(sheet: Sheet) -> HttpResponse:
    return xlsx_response(**sheet._asdict())


def _when(label: str) -> str:
    """A period as the pages show it (2025年12月, 2025年第二季度, 2025年), never the stored label (2025-12)."""
    return period_name(label, year_word="年")


def _enterprise_name(organization) -> str:
    return organization.enterprise.name if organization.enterprise_id else ""


def scorecard_sheet(organization, year: int, today, row) -> Sheet:
    return Sheet(
        filename=f"{organization.name}{year}年指标评分卡",
        title=f"{organization.name} {year}年 8项硬指标评分卡(截至{today:%Y-%m-%d})",
        sheet="指标评分卡",
        headers=["指标", "应完成", "已完成", "完成率", "状态", "缺项期间", "缺项说明"],
        rows=[
            (
                r.name,
                r.required,
                r.done,
                pct(r.rate),
                r.status_label,
                "、".join(_when(m) for m in r.missing),
                ";".join(f"{_when(g.label)} {g.text}" for g in r.gaps),
            )
            for r in row.results
        ],
    )


def _heatmap(name, period, columns, listed) -> Sheet:
    return Sheet(
        filename=f"{name}指标热力表",
        title=f"{name} 各组织8项硬指标完成率 {period}",
        sheet="指标热力表",
        headers=["组织", "编码", "所属企业", "综合完成率", "状态", *[n for _c, n in columns]],
        rows=[
            (
                r.organization.name,
                r.organization.code,
                _enterprise_name(r.organization),
                pct(r.overall),
                r.status_label,
                *[
                    (f"{pct(x.rate)} {x.status_label}" if x else "不适用")
                    for x in (r.by_code.get(c) for c, _n in columns)
                ],
            )
            for r in listed
        ],
    )


def _ranking(name, period, ranking) -> Sheet:
    return Sheet(
        filename=f"{name}指标排名",
        title=f"{name} 综合完成率排名 {period}",
        sheet="排名",
        headers=["名次", "组织", "编码", "类别", "综合完成率", "状态", "达标", "基本达标", "未达标", "缺项数"],
        rows=[
            (
                r.rank or "—",
                r.organization.name,
                r.organization.code,
                r.organization.get_kind_display(),
                pct(r.overall),
                r.status_label,
                r.counts[MET],
                r.counts[PARTLY_MET],
                r.counts[NOT_MET],
                r.gap_count,
            )
            for r in ranking
        ],
    )


def _help(name, period, help_rows) -> Sheet:
    return Sheet(
        filename=f"{name}需要帮助的支部",
        title=f"{name} 需要帮助的支部及缺项 {period}",
        sheet="需要帮助的支部",
        headers=["支部", "编码", "指标", "期间", "缺项"],
        rows=[
            (row.organization.name, row.organization.code, result.name, _when(gap.label), gap.text)
            for row in help_rows
            for result, gap in row.gaps
        ],
    )


def _terms(name, terms) -> Sheet:
    return Sheet(
        filename=f"{name}换届提醒",
        title=f"{name} 半年内届满及超期未换届的组织",
        sheet="换届提醒",
        headers=["组织", "编码", "本届开始", "届满日期", "状态"],
        rows=[(t.organization.name, t.organization.code, t.started_on, s.expires_on, s.label) for t, s in terms],
    )


def committee_sheet(export: str, *, organization, period, columns, listed, ranking, help_rows, terms) -> Sheet | None:
    """The committee dashboard's table `export` (heatmap, ranking, help, terms), or None for an unknown name."""
    name = organization.name
    builders = {
        "heatmap": lambda: _heatmap(name, period, columns, listed),
        "ranking": lambda: _ranking(name, period, ranking),
        "help": lambda: _help(name, period, help_rows),
        "terms": lambda: _terms(name, terms),
    }
    build = builders.get(export)
    return build() if build else None


def _enterprises(year, period, enterprises) -> Sheet:
    return Sheet(
        filename=f"国资委党建指标总览{year}",
        title=f"各企业8项硬指标完成情况 {period}",
        sheet="各企业对比",
        headers=[
            "企业",
            "党组织",
            "党支部",
            "综合完成率",
            "达标占比",
            "基本达标占比",
            "未达标占比",
            "未达标支部",
            "超期未换届",
        ],
        rows=[
            (
                e.name,
                e.organizations,
                e.branches,
                "—" if e.overall_pct is None else f"{e.overall_pct}%",
                f"{e.met_share}%",
                f"{e.partly_share}%",
                f"{e.not_met_share}%",
                e.red_branches,
                e.overdue,
            )
            for e in enterprises
        ],
    )


def _overdue(year, period, overdue) -> Sheet:
    return Sheet(
        filename=f"超期未换届组织{year}",
        title=f"按期换届未达标的组织 {period}",
        sheet="超期未换届",
        headers=["组织", "编码", "所属企业", "情况"],
        rows=[
            (
                r.organization.name,
                r.organization.code,
                _enterprise_name(r.organization),
                ";".join(g.text for g in result.gaps) or result.status_label,
            )
            for r, result in overdue
        ],
    )


def sasac_sheet(export: str, *, year, period, enterprises, overdue) -> Sheet | None:
    """The SASAC overview's table `export` (enterprises, overdue), or None for an unknown name."""
    if export == "enterprises":
        return _enterprises(year, period, enterprises)
    if export == "overdue":
        return _overdue(year, period, overdue)
    return None
