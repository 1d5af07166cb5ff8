"""The scoring methods of letter items (assessments.rubrics.scoring), as letters use them.

Today's behaviour is the default: method "rate" scores an indicator-linked item by its rate and an item without an
indicator by hand. A deduction counts its occurrences from the records (rubrics.occurrences) for the recipient and
the year; a bonus (weight = its cap) does not count in the 100 points and is capped; "veto" marks a veto item.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError

from ..rubrics import occurrences as occ
from ..rubrics import scoring
from ..rubrics.models import Source
from .scoring import AutoScore

METHOD_FIELDS = ("method", "unit_points", "source")


def clean_method(item: dict, n: int) -> dict:
    """Fill the defaults of a template/letter item dict and check its method (ValidationError in Chinese)."""
    item["method"] = item.get("method") or scoring.RATE
    item["source"] = item.get("source") or ""
    unit = item.get("unit_points")
    item["unit_points"] = Decimal(str(unit)) if unit not in (None, "") else None
    if item["method"] not in scoring.METHODS:
        raise ValidationError(f"第{n}项:计分方式无效。")
    if item["method"] == scoring.VETO:
        item["veto"] = True
    if item["method"] == scoring.DEDUCTION:
        if not item["unit_points"] or item["unit_points"] <= 0:
            raise ValidationError(f"第{n}项:按次扣分的条目须填写每次扣分(大于0)。")
        if item["source"] and item["source"] not in Source.values:
            raise ValidationError(f"第{n}项:扣分依据无效。")
    return item


def counts_in_weights(item) -> bool:
    """A bonus is on top of the 100 points (its weight is its cap)."""
    method = item["method"] if isinstance(item, dict) else item.method
    return method != scoring.BONUS


def deduction_scores(letter, items, *, today: datetime.date) -> dict[int, AutoScore]:
    """item pk -> AutoScore of the deduction items counted from the records (扣完为止)."""
    result = {}
    for item in items:
        if item.method == scoring.DEDUCTION and item.source:
            found = occ.occurrences(item.source, letter.recipient, letter.year, today)
            s = scoring.deduction_score(item.weight, item.unit_points, len(found))
            result[item.pk] = AutoScore(rate=None, status="", score=s.score, veto_failed=False, note=s.note)
    return result


def manual_score(item, given) -> Decimal:
    """A reviewer's score: a bonus is capped at its weight; any other item must lie in 0..weight."""
    if item.method == scoring.BONUS:
        return scoring.bonus_score(item.weight, given).score
    return scoring.manual_score(item.weight, given).score
