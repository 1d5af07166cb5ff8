"""The rubric form: a name, a year, the full points and rows of items (大项 and the 小项 under it), kept as typed.

The rows come as row-<n>-<field> (the page adds blank rows on request, without JavaScript); a 小项 belongs to the
大项 above it. The rules are checked by services.rubric_create / rubric_update, which report every problem at once.
"""

from django import forms
from django.utils import timezone

from .methods import METHOD_CHOICES
from .models import Source

ROW_FIELDS = ("level", "title", "points", "method", "unit_points", "source", "indicator_code", "standard")
MAJOR, MINOR = "major", "minor"
LEVEL_CHOICES = [(MAJOR, "大项"), (MINOR, "小项")]
BLANK_ROWS, NEW_ROWS, MAX_ROWS = 3, 6, 200


class RubricForm(forms.Form):
    name = forms.CharField(label="细则名称", max_length=100, widget=forms.TextInput(attrs={"class": "form-control"}))
    year = forms.IntegerField(
        label="年度", min_value=2000, max_value=2100, widget=forms.NumberInput(attrs={"class": "form-control"})
    )
    full_points = forms.DecimalField(
        label="基本分", min_value=1, max_value=999, decimal_places=2, initial=100,
        widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.5"}),
    )  # fmt: skip

    def __init__(self, *args, year_fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        if year_fixed:
            self.fields["year"].disabled = True


def _blank() -> dict:
    return {name: "" for name in ROW_FIELDS}


def rows_from_post(data) -> list[dict]:
    """The rows as typed (blank ones dropped), and `BLANK_ROWS` more when the user asked for more rows."""
    try:
        count = min(int(data.get("rows") or 0), MAX_ROWS)
    except ValueError:
        count = 0
    rows = [{name: (data.get(f"row-{n}-{name}") or "").strip() for name in ROW_FIELDS} for n in range(count)]
    rows = [r for r in rows if any(r[name] for name in ("title", "points", "unit_points", "standard"))]
    return rows + [_blank() for _ in range(BLANK_ROWS if data.get("more") else 2 if rows else NEW_ROWS)]


def rows_from_tree(tree: list[dict]) -> list[dict]:
    """An existing rubric's items (services.rubric_items_tree) as rows of the form."""
    rows = []
    for major in tree:
        for item, level in [(major, MAJOR), *((kid, MINOR) for kid in major["children"])]:
            row = {name: item.get(name) for name in ROW_FIELDS if name != "level"}
            row = {
                k: ("" if v is None else (f"{v.normalize():f}" if hasattr(v, "normalize") else v))
                for k, v in row.items()
            }
            rows.append({**row, "level": level})
    return rows + [_blank() for _ in range(BLANK_ROWS)]


def items_from_rows(rows: list[dict]) -> tuple[list[dict], list[str]]:
    """The nested items rubric_create takes, and the rows refused (a 小项 with no 大项 above it)."""
    items, errors = [], []
    for n, row in enumerate(r for r in rows if any(r[k] for k in ("title", "points", "unit_points", "standard"))):
        item = {name: row[name] for name in ROW_FIELDS if name != "level"}
        if row["level"] == MINOR:
            if not items:
                errors.append(f"第{n + 1}行:小项之前须有所属的大项。")
                continue
            items[-1]["children"].append(item)
        else:
            items.append({**item, "children": []})
    return items, errors


CHOICES = {"level": LEVEL_CHOICES, "method": METHOD_CHOICES, "source": [("", "(人工填写次数)"), *Source.choices]}


def choices(indicators: list[tuple[str, str]]) -> dict:
    """The selects of a row; `indicators` (code, name) for the 按完成率 items (indicators.selectors.indicator_choices)."""
    return {**CHOICES, "indicator_code": [("", "(不关联指标)"), *indicators]}
