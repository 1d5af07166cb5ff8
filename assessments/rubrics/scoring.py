"""The scoring methods of a 考核细则 item and of a letter item (pure: no query), and how scores roll up a tree.

DOMAIN.md "考核细则: how items are scored":
- rate: points × rate of an indicator (what letters did before the methods existed);
- deduction per occurrence: points − unit × occurrences, never below zero (扣完为止);
- bonus (加分项): what the reviewer grants, capped at the item's points; the only way a total passes 100;
- veto (一票否决): a failed veto scores nothing and forces the lowest grade whatever the total;
- manual: a reviewer's score between 0 and the points, with a comment.
The grade, the stars and the suggested classification follow from the total by the letters' rules (one rule, once).
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from ..letters.ratings import star_rating, suggested_level
from ..letters.scoring import grade_for
from .methods import BONUS, DEDUCTION, MANUAL, METHOD_LABELS, METHODS, RATE, VETO  # noqa: F401 (re-exported)

CENT = Decimal("0.01")
ZERO = Decimal("0")


def _dec(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class ItemScore:
    score: Decimal
    method: str
    veto_failed: bool = False
    occurrences: int | None = None  # deduction: how many times it happened
    capped: bool = False  # deduction stopped at zero, or bonus cut to its cap
    note: str = ""


def rate_score(points, rate: float | None) -> ItemScore:
    """points × rate; nothing owed (rate None) scores full points: nothing is missing."""
    points = _dec(points)
    if rate is None:
        return ItemScore(points, RATE, note="无应考核事项,按满分计")
    rate = min(max(float(rate), 0.0), 1.0)
    return ItemScore(min(_q(points * _dec(rate)), points), RATE, note=f"完成率 {rate:.0%}")


def deduction_score(points, unit, occurrences: int) -> ItemScore:
    """扣完为止: each occurrence takes `unit` points off, and the item never goes below zero."""
    points, unit = _dec(points), _dec(unit)
    taken = unit * max(int(occurrences), 0)
    capped = taken > points
    score = _q(max(points - taken, ZERO))
    note = f"{occurrences} 次 × {unit.normalize():f} 分" + (",扣完为止" if capped else "")
    return ItemScore(score, DEDUCTION, occurrences=int(occurrences), capped=capped, note=note)


def bonus_score(cap, granted) -> ItemScore:
    """加分项: what the reviewer grants, never negative and never above the cap."""
    cap, granted = _dec(cap), _dec(granted or 0)
    capped = granted > cap
    score = _q(min(max(granted, ZERO), cap))
    return ItemScore(score, BONUS, capped=capped, note=f"加分封顶 {cap.normalize():f} 分" if capped else "")


def veto_score(points, *, failed: bool) -> ItemScore:
    """一票否决: full points when met; a failed veto scores nothing and forces the lowest grade."""
    return ItemScore(
        ZERO if failed else _dec(points), VETO, veto_failed=bool(failed), note="否决项未达标" if failed else ""
    )


def manual_score(points, given) -> ItemScore:
    points, given = _dec(points), _dec(given)
    if not ZERO <= given <= points:
        raise ValueError(f"得分应在0到{points.normalize():f}分之间。")
    return ItemScore(_q(given), MANUAL)


@dataclass
class Node:
    """One item of a scored tree: a leaf carries its ItemScore, a 大项 its children."""

    key: object
    title: str
    points: Decimal
    method: str = MANUAL
    result: ItemScore | None = None
    children: list["Node"] = field(default_factory=list)

    @property
    def is_bonus(self) -> bool:
        return self.method == BONUS

    def base(self) -> Decimal:
        """The score without bonuses: a 大项 adds its children's and never passes its own points."""
        if not self.children:
            return ZERO if self.is_bonus or self.result is None else self.result.score
        total = sum((c.base() for c in self.children), ZERO)
        return min(total, self.points) if self.points else total

    def bonus(self) -> Decimal:
        if not self.children:
            return self.result.score if self.is_bonus and self.result is not None else ZERO
        return sum((c.bonus() for c in self.children), ZERO)

    def score(self) -> Decimal:
        return self.base() + self.bonus()

    def veto_failed(self) -> bool:
        if not self.children:
            return bool(self.result and self.result.veto_failed)
        return any(c.veto_failed() for c in self.children)

    def walk(self, depth: int = 0):
        yield depth, self
        for child in self.children:
            yield from child.walk(depth + 1)


@dataclass(frozen=True)
class Outcome:
    total: Decimal
    base: Decimal
    bonus: Decimal
    veto: bool
    grade: str
    stars: int | None
    level: str


def outcome(roots: list[Node], *, full: Decimal = Decimal("100"), innovation: bool = False) -> Outcome:
    """The total of a tree: the base items (capped at `full`) plus the capped bonuses; then grade, stars, class.

    A failed veto forces the lowest grade, one star and the lowest class, whatever the total."""
    base = min(sum((r.base() for r in roots), ZERO), full)
    bonus = sum((r.bonus() for r in roots), ZERO)
    veto = any(r.veto_failed() for r in roots)
    total = base + bonus
    stars = 1 if veto else star_rating(total, innovation)
    return Outcome(total, base, bonus, veto, grade_for(total, veto=veto), stars, suggested_level(stars))
