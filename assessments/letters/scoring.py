"""How a responsibility letter is scored: the grade of a total, and the scores of the indicator-linked items.

Scoring choices (documented here and in the README):
- an item linked to an indicator scores weight × rate of the recipient's indicator for the letter's year; for a
  committee or 党总支 the rate is done ÷ required summed over its whole subtree, with the same threshold → status
  rule as the indicator itself (assessments.indicators.rules.Thresholds);
- when nothing was required (rate None, or the indicator does not apply to the recipient) the item gets its full
  weight: the organization owed nothing, so nothing is missing;
- a veto item fails when its indicator is 未达标; a failed veto forces 不达标 whatever the total.
Reads only: services.letter_review writes the scores.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings

from branches.models import Organization

from ..indicators import selectors as indicators
from ..indicators.rules import DEFAULT_THRESHOLDS, NOT_MET, Thresholds
from .models import Letter

CENT = Decimal("0.01")
# DOMAIN.md: 90 and above 优秀, 76–89 达标, 75 and below 不达标 (local practice: settings.LETTER_GRADE_THRESHOLDS).
DEFAULT_GRADE_THRESHOLDS = {"excellent": 90, "passed": 76}


def _grade_thresholds() -> tuple[Decimal, Decimal]:
    thresholds = getattr(settings, "LETTER_GRADE_THRESHOLDS", DEFAULT_GRADE_THRESHOLDS)
    return Decimal(str(thresholds["excellent"])), Decimal(str(thresholds["passed"]))


def grade_for(total: Decimal | None, *, veto: bool) -> str:
    if total is None:
        return ""
    if veto:
        return Letter.Grade.FAILED
    excellent, passed = _grade_thresholds()
    if total >= excellent:
        return Letter.Grade.EXCELLENT
    if total >= passed:
        return Letter.Grade.PASSED
    return Letter.Grade.FAILED


def grade_rule_text() -> str:
    """The grade rule as the printed letter states it: "90分及以上为优秀,76—89分为达标,75分及以下为不达标"."""
    excellent, passed = (t.normalize() for t in _grade_thresholds())
    if excellent == excellent.to_integral_value() and passed == passed.to_integral_value():
        return f"{excellent:f}分及以上为优秀,{passed:f}—{excellent - 1:f}分为达标,{passed - 1:f}分及以下为不达标"
    return f"{excellent:f}分及以上为优秀,{passed:f}分及以上为达标,不足{passed:f}分为不达标"


def latest_assessment_year(today: datetime.date) -> int:
    """考核 is held in Q1 of the next year: the latest year that can be reviewed (and so be final) is last year."""
    return today.year - 1


@dataclass(frozen=True)
class AutoScore:
    rate: float | None
    status: str
    score: Decimal
    veto_failed: bool
    note: str


def _recipient_rates(letter: Letter, as_of: datetime.date | None) -> dict[str, tuple[float | None, str]]:
    """code -> (rate, status) for the recipient: its own results, or summed over the subtree for a committee."""
    if letter.recipient.kind == Organization.Kind.BRANCH:
        return {r.code: (r.rate, r.status) for r in indicators.indicator_results(letter.recipient, letter.year, as_of)}
    sums: dict[str, list[int]] = {}
    for results in indicators.indicator_summary(letter.recipient, letter.year, as_of).values():
        for r in results:
            s = sums.setdefault(r.code, [0, 0])
            s[0] += r.done
            s[1] += r.required
    # Same thresholds as the indicator itself (DOMAIN.md: 达标 at 100%, 基本达标 at 80%, configurable per year).
    thresholds = {r.code: Thresholds.for_indicator(r) for r in indicators.indicators_for(letter.year)}
    return {
        code: (done / required if required else None, thresholds.get(code, DEFAULT_THRESHOLDS).status(done, required))
        for code, (done, required) in sums.items()
    }


def auto_scores(letter: Letter, items, *, as_of: datetime.date | None = None) -> dict[int, AutoScore]:
    """Scores of the indicator-linked items (item pk -> AutoScore), computed from the records."""
    linked = [i for i in items if i.indicator_code and i.method != "deduction"]
    if not linked:
        return {}
    rates = _recipient_rates(letter, as_of)
    result = {}
    for item in linked:
        rate, status = rates.get(item.indicator_code, (None, ""))
        if rate is None:
            score, note = item.weight, "本年度无应考核事项,按满分计" if status else "该指标不适用于本单位,按满分计"
        else:
            score = (item.weight * Decimal(str(rate))).quantize(CENT, rounding=ROUND_HALF_UP)
            note = f"完成率 {rate:.0%}"
        veto_failed = item.veto and status == NOT_MET
        result[item.pk] = AutoScore(
            rate=rate, status=status, score=min(score, item.weight), veto_failed=veto_failed, note=note
        )
    return result
