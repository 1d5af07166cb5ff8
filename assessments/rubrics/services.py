"""Writes of 考核细则: define a rubric (a tree of items) and reuse last year's (copy).

Checks (Chinese ValidationError): a 大项 has 小项 and no method of its own; a deduction has a positive unit; a source
is one of occurrences.SOURCES; the base items (not bonuses) of the rubric add up to its full points.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from branches.models import Organization

from . import methods
from .models import Rubric, RubricItem, Source

ITEM_FIELDS = ("title", "standard", "points", "method", "unit_points", "source", "indicator_code")


def _clean(raw: dict, label: str) -> dict:
    item = {name: raw.get(name) for name in ITEM_FIELDS}
    item["title"] = (item["title"] or "").strip()
    if not item["title"]:
        raise ValidationError(f"{label}:考核内容不能为空。")
    item["points"] = Decimal(str(item["points"] if item["points"] is not None else "-1"))
    if item["points"] < 0:
        raise ValidationError(f"{label}:分值不能为负数。")
    item["method"] = item["method"] or methods.MANUAL
    if item["method"] not in methods.METHODS:
        raise ValidationError(f"{label}:计分方式无效。")
    item["unit_points"] = Decimal(str(item["unit_points"])) if item["unit_points"] not in (None, "") else None
    if item["method"] == methods.DEDUCTION and not (item["unit_points"] and item["unit_points"] > 0):
        raise ValidationError(f"{label}:按次扣分的条目须填写每次扣分(大于0)。")
    item["source"] = item["source"] or ""
    if item["source"] and item["source"] not in Source.values:
        raise ValidationError(f"{label}:扣分依据无效。")
    item["standard"], item["indicator_code"] = item["standard"] or "", item["indicator_code"] or ""
    return item


def _base_points(items: list[dict]) -> Decimal:
    total = Decimal(0)
    for item in items:
        if item.get("children"):
            total += item["points"]
        elif item.get("method") != methods.BONUS:
            total += item["points"]
    return total


def _create_items(rubric: Rubric, items: list[dict], parent=None, prefix: str = "") -> None:
    for n, raw in enumerate(items, start=1):
        label = f"第{prefix}{n}项"
        children = raw.get("children") or []
        item = _clean(raw, label)
        node = RubricItem.objects.create(rubric=rubric, parent=parent, order=n, **item)
        if children:
            if parent is not None:
                raise ValidationError(f"{label}:细则只有大项和小项两级。")
            _create_items(rubric, children, parent=node, prefix=f"{n}.")


@transaction.atomic
def rubric_create(
    *, committee: Organization, year: int, name: str, items: list[dict], full_points=100, copied_from=None, user=None
) -> Rubric:
    """items: [{"title", "points", "method", "unit_points", "source", "standard", "children": [...]}, ...]."""
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "请填写细则名称。"})
    if not items:
        raise ValidationError("细则没有考核条目。")
    if Rubric.objects.filter(committee=committee, year=year, name=name).exists():
        raise ValidationError({"name": f"{year}年已有名为“{name}”的细则。"})
    full = Decimal(str(full_points))
    base = _base_points([{**i, "points": Decimal(str(i.get("points") or 0))} for i in items])
    if base != full:
        raise ValidationError(f"各大项分值(不含加分项)合计应为{full.normalize():f}分,当前为{base.normalize():f}分。")
    rubric = Rubric.objects.create(
        committee=committee, year=year, name=name, full_points=full, copied_from=copied_from, created_by=user
    )
    _create_items(rubric, items)
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
