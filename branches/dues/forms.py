"""The month entry form: one amount and one date per member who owes the month."""

import datetime
from decimal import Decimal

from django import forms

from ..forms import DateInput
from .selectors import MonthRow


class DuesMonthForm(forms.Form):
    """One amount and one date per member; blank amount = not paid this month."""

    def __init__(self, *args, rows: list[MonthRow], **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [row for row in rows if row.due]
        for row in self.rows:
            pk = row.member.pk
            self.fields[f"paid_{pk}"] = forms.DecimalField(
                label=row.member.name,
                required=False,
                min_value=Decimal("0"),
                max_digits=10,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal", "data-due": row.amount_due}),
            )
            self.fields[f"date_{pk}"] = forms.DateField(label="交纳日期", required=False, widget=DateInput())
            if row.payment is not None:
                if row.payment.amount_paid > 0:
                    self.initial[f"paid_{pk}"] = row.payment.amount_paid
                self.initial[f"date_{pk}"] = row.payment.paid_on

    def table(self):
        return [(row, self[f"paid_{row.member.pk}"], self[f"date_{row.member.pk}"]) for row in self.rows]

    def entries(self) -> dict[int, tuple[Decimal | None, datetime.date | None]]:
        return {
            row.member.pk: (
                self.cleaned_data.get(f"paid_{row.member.pk}"),
                self.cleaned_data.get(f"date_{row.member.pk}"),
            )
            for row in self.rows
        }

    @property
    def due_total(self) -> Decimal:
        return sum((row.amount_due for row in self.rows), Decimal("0"))

    @property
    def paid_total(self) -> Decimal:
        return sum((row.payment.amount_paid for row in self.rows if row.payment), Decimal("0"))
