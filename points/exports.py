"""The branch's points table as an A4 workbook (common/xlsx.py, the one writer)."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from common import xlsx

from .selectors import BranchTable

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def table_rows(table: BranchTable) -> tuple[list[str], list[list]]:
    headers = ["排名", "姓名", *[f"{m}月" for m in table.months], "合计", "星级"]
    rows = [
        [
            row.rank,
            row.member.name + ("(已转出)" if row.transferred else ""),
            *[float(row.months[m - 1]) for m in table.months],
            float(row.total),
            "★" * row.stars,
        ]
        for row in table.rows
    ]
    return headers, rows


def table_response(table: BranchTable, *, title: str) -> HttpResponse:
    headers, rows = table_rows(table)
    buffer = BytesIO()
    xlsx.table_workbook(title=title, sheet="党员积分", headers=headers, rows=rows).save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=f"{title}.xlsx")
    return response
