"""A round's scores as .xlsx, print-ready: one row per organization with each rubric leaf's mean typed score, then
the total, rank (并列 shown) and class once the round has ended. Text cells are neutralised like the 整改台账."""

from collections import defaultdict
from decimal import Decimal

from ..dashboards.exports import xlsx_response
from ..rectification.exports import safe
from ..rubrics import selectors as rubrics
from .models import InspectionRound


def score_rows(round: InspectionRound) -> tuple[list[str], list[list]]:
    """(headers, rows) in four queries: the leaves, the organizations, the scores, the results."""
    leaves = [leaf for root in rubrics.rubric_roots(round.rubric) for leaf in (root.kids or [root])]
    values: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    for org_id, item_id, score in round.scores.values_list("organization_id", "item_id", "score"):
        values[(org_id, item_id)].append(score)
    results = {r.organization_id: r for r in round.results.all()}
    # A leaf scored from the records has no typed value: its score is in the total (and one click from the ranking).
    titles = [leaf.title + ("(按记录计算,计入总分)" if leaf.computed else "") for leaf in leaves]
    headers = ["单位", *titles, "总分", "名次", "分类"]
    rows = []
    for organization in round.organizations.order_by("path"):
        cells = []
        for leaf in leaves:
            got = values.get((organization.pk, leaf.pk))
            cells.append(round_mean(got) if got else "")
        result = results.get(organization.pk)
        tail = (
            [result.total, f"{result.rank}{'(并列)' if result.tied else ''}", result.get_level_display()]
            if result
            else ["", "", ""]
        )
        rows.append([safe(organization.name), *cells, *tail])
    rows.sort(key=lambda r: (r[-2] == "", int(str(r[-2]).split("(")[0] or 0)))
    return [safe(h) for h in headers], rows


def round_mean(values: list[Decimal]) -> Decimal:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01"))


def round_response(round: InspectionRound):
    headers, rows = score_rows(round)
    return xlsx_response(
        filename=f"观摩评分-{round.title}",
        title=f"{round.title} 评分汇总({round.committee.name})",
        sheet="评分汇总",
        headers=headers,
        rows=rows,
    )
