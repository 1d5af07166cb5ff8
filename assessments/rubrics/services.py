"""Writes of 考核细则: define a rubric (a tree of items) and reuse last year's (copy).

Checks (Chinese ValidationError): a 大项 has 小项 and no method of its own; a deduction has a positive unit; a source
is one of occurrences.SOURCES; the base items (not bonuses) of the rubric add up to its full points.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from branches.models import Organization

from ..indicators.selectors import indicator_choices
from . import methods
from .models import Rubric, RubricItem, Source

ITEM_FIELDS = ("title", "standard", "points", "method", "unit_points", "source", "indicator_code")


def _number(value, label: str, what: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError:
        raise ValidationError(f"{label}:{what}应为数字。") from None
    if not number.is_finite() or abs(number) >= 1000:
        raise ValidationError(f"{label}:{what}应为小于1000的数字。")
    return number.quantize(Decimal("0.01"))


def _clean(raw: dict, label: str, codes: set[str]) -> dict:
    item = {name: raw.get(name) for name in ITEM_FIELDS}
    item["title"] = (item["title"] or "").strip()
    if not item["title"]:
        raise ValidationError(f"{label}:考核内容不能为空。")
    if len(item["title"]) > 200:
        raise ValidationError(f"{label}:考核内容不能超过200字。")
    item["points"] = _number(item["points"], label, "分值")
    if item["points"] is None:
        raise ValidationError(f"{label}:请填写分值。")
    if item["points"] < 0:
        raise ValidationError(f"{label}:分值不能为负数。")
    item["method"] = item["method"] or methods.MANUAL
    if item["method"] not in methods.METHODS:
        raise ValidationError(f"{label}:计分方式无效。")
    item["unit_points"] = _number(item["unit_points"], label, "每次扣分")
    if item["method"] == methods.DEDUCTION and not (item["unit_points"] and item["unit_points"] > 0):
        raise ValidationError(f"{label}:按次扣分的条目须填写每次扣分(大于0)。")
    item["source"] = item["source"] or ""
    if item["source"] and item["source"] not in Source.values:
        raise ValidationError(f"{label}:扣分依据无效。")
    item["standard"], item["indicator_code"] = item["standard"] or "", (item["indicator_code"] or "").strip()
    if item["indicator_code"] and item["indicator_code"] not in codes:
        raise ValidationError(f"{label}:关联指标无效。")
    if item["method"] == methods.RATE and not item["indicator_code"]:
        raise ValidationError(f"{label}:按完成率计分的条目须选择关联指标。")
    return item


def _base_points(items: list[dict]) -> Decimal:
    total = Decimal(0)
    for item in items:
        if item.get("children"):
            total += item["points"]
        elif item.get("method") != methods.BONUS:
            total += item["points"]
    return total


def _check_items(items: list[dict], errors: list[str], codes: set[str], prefix: str = "", depth: int = 0) -> list[dict]:
    """The items cleaned, every problem added to `errors` (all of them, so a form shows them at once)."""
    cleaned = []
    for n, raw in enumerate(items, start=1):
        label = f"第{prefix}{n}项"
        children = raw.get("children") or []
        try:
            item = _clean(raw, label, codes)
        except ValidationError as error:
            errors.extend(error.messages)
            item = None
        if children and depth > 0:
            errors.append(f"{label}:细则只有大项和小项两级。")
            children = []
        kids = _check_items(children, errors, codes, prefix=f"{n}.", depth=depth + 1) if children else []
        if item is not None:
            cleaned.append({**item, "children": kids})
    return cleaned


def _create_items(rubric: Rubric, items: list[dict], parent=None) -> None:
    for n, item in enumerate(items, start=1):
        fields = {name: item[name] for name in ITEM_FIELDS}
        node = RubricItem.objects.create(rubric=rubric, parent=parent, order=n, **fields)
        _create_items(rubric, item["children"], parent=node)


def rubric_check(*, committee, year, name, items, full_points, exclude=None) -> tuple[str, Decimal, list[dict]]:
    """Every check of a rubric, all problems raised together (name, items, the sum of the base points)."""
    errors: list[str] = []
    name = (name or "").strip()
    if not name:
        errors.append("请填写细则名称。")
    elif Rubric.objects.filter(committee=committee, year=year, name=name).exclude(pk=exclude).exists():
        errors.append(f"{year}年已有名为“{name}”的细则。")
    if not items:
        errors.append("细则没有考核条目。")
    try:
        full = Decimal(str(full_points))
    except ArithmeticError:
        errors.append("基本分应为数字。")
        full = Decimal(100)
    cleaned = _check_items(items or [], errors, {code for code, _name in indicator_choices(year)})
    if items and len(errors) == 0:
        base = _base_points(cleaned)
        if base != full:
            errors.append(f"各大项分值(不含加分项)合计应为{full.normalize():f}分,当前为{base.normalize():f}分。")
    if errors:
        raise ValidationError(errors)
    return name, full, cleaned


@transaction.atomic
def rubric_create(
    *, committee: Organization, year: int, name: str, items: list[dict], full_points=100, copied_from=None, user=None
) -> Rubric:
    """items: [{"title", "points", "method", "unit_points", "source", "standard", "children": [...]}, ...]."""
    name, full, cleaned = rubric_check(committee=committee, year=year, name=name, items=items, full_points=full_points)
    rubric = Rubric.objects.create(
        committee=committee, year=year, name=name, full_points=full, copied_from=copied_from, created_by=user
    )
    _create_items(rubric, cleaned)
    return rubric


@transaction.atomic
def rubric_update(*, rubric: Rubric, name: str, items: list[dict], full_points=None, user=None) -> Rubric:
    """Edit a rubric's name and items (replaced as a whole) while no round has scored on it; once used, the scores
    keep pointing at its items, so the rules of a past round stay as they were: copy it instead."""
    Rubric.objects.select_for_update().filter(pk=rubric.pk).values_list("pk").first()
    if rubric.rounds.exists():
        raise ValidationError("该细则已用于观摩督查,不能再修改;如需调整,请沿用(复制)后修改新细则。")
    full_points = rubric.full_points if full_points is None else full_points
    name, full, cleaned = rubric_check(
        committee=rubric.committee, year=rubric.year, name=name, items=items, full_points=full_points, exclude=rubric.pk
    )
    rubric.items.filter(parent__isnull=False).delete()
    rubric.items.all().delete()
    rubric.name, rubric.full_points = name, full
    rubric.save(update_fields=["name", "full_points"])
    _create_items(rubric, cleaned)
    return rubric


def rubric_items_tree(rubric: Rubric) -> list[dict]:
    """The rubric's items as the nested dicts rubric_create takes (two queries)."""
    rows = list(rubric.items.all())
    by_parent: dict[int | None, list[RubricItem]] = {}
    for row in rows:
        by_parent.setdefault(row.parent_id, []).append(row)

    def dump(row):
        return {**{f: getattr(row, f) for f in ITEM_FIELDS}, "children": [dump(c) for c in by_parent.get(row.pk, [])]}

    return [dump(r) for r in by_parent.get(None, [])]


@transaction.atomic
def rubric_copy(*, rubric: Rubric, year: int, name: str = "", user=None) -> Rubric:
    """Reuse: this year's rubric made from last year's, item for item (then edited if the rules changed)."""
    return rubric_create(
        committee=rubric.committee,
        year=year,
        name=name or rubric.name.replace(str(rubric.year), str(year)),
        items=rubric_items_tree(rubric),
        full_points=rubric.full_points,
        copied_from=rubric,
        user=user,
    )
