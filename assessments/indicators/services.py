"""Writes of the indicator set (the computation only reads: selectors.py)."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from .models import DEFAULT_INDICATORS, Indicator


@transaction.atomic
def indicator_copy_defaults(*, year: int, source: Iterable[Indicator] | None = None) -> list[Indicator]:
    """Give `year` its own editable indicator set: copy the given rows (default: the default set) to it, skipping
    codes the year already has. Returns the rows created."""
    if not 2000 <= year <= 2100:
        raise ValidationError("年度应在2000至2100之间。")
    rows = list(source) if source is not None else list(Indicator.objects.defaults().order_by("order", "id"))
    if not rows:  # the default set was deleted: restore it from DOMAIN.md
        rows = [Indicator(order=(i + 1) * 10, **row) for i, row in enumerate(DEFAULT_INDICATORS)]
    taken = set(Indicator.objects.filter(year=year).values_list("code", flat=True))
    created = []
    for row in rows:
        if row.code in taken:
            continue
        taken.add(row.code)
        created.append(
            Indicator.objects.create(
                year=year,
                code=row.code,
                name=row.name,
                rule=row.rule,
                applies_to=row.applies_to,
                met_threshold=row.met_threshold,
                partly_threshold=row.partly_threshold,
                order=row.order,
                active=row.active,
            )
        )
    return created
