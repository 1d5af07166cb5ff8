"""党费: the 中组部 rate brackets, the monthly bulk entry and the arrears warning.

rules.py (brackets, months, which months are owed and settled, a month's state), selectors.py (reads), services.py
(writes), forms.py / views.py / urls.py (the pages), serializers.py / api.py / api_urls.py (the API).

The names below are the subject's public surface, so callers may write `from branches import dues; dues.dues_amount`;
they are only re-exported here (the package never imports its views or API at import time).
"""

from common.periods import add_months, month_end, month_start, months_between, parse_month

from .rules import (
    EMPLOYED_BRACKETS,
    FEN,
    LOW_INCOME_MONTHLY,
    RETIRED_BRACKETS,
    arrears_warn_months,
    base_missing,
    base_missing_q,
    dues_amount,
    dues_rate,
    first_owed_month,
    is_month_due,
    is_settled,
    month_state,
    owed_months_sql,
    owes_month_in,
    settled_q,
    settled_sql,
    suspended_month,
)
from .selectors import (
    Arrears,
    MonthRow,
    YearCell,
    YearRow,
    dues_arrears,
    dues_base_gaps,
    dues_month_rows,
    dues_payment_list,
    dues_year_grid,
)
from .services import dues_month_record, dues_payment_create, dues_payment_record

__all__ = [
    "EMPLOYED_BRACKETS",
    "FEN",
    "LOW_INCOME_MONTHLY",
    "RETIRED_BRACKETS",
    "Arrears",
    "MonthRow",
    "YearCell",
    "YearRow",
    "add_months",
    "arrears_warn_months",
    "base_missing",
    "base_missing_q",
    "dues_amount",
    "dues_arrears",
    "dues_base_gaps",
    "dues_month_record",
    "dues_month_rows",
    "dues_payment_create",
    "dues_payment_list",
    "dues_payment_record",
    "dues_rate",
    "dues_year_grid",
    "first_owed_month",
    "is_month_due",
    "is_settled",
    "month_end",
    "month_start",
    "month_state",
    "months_between",
    "owed_months_sql",
    "owes_month_in",
    "parse_month",
    "settled_q",
    "settled_sql",
    "suspended_month",
]
