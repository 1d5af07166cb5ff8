"""党员花名册 Excel import: columns.py (the columns and result types), template.py (the download), parsing.py (file
checks, raw rows), validation.py (every row checked before anything is written), selectors.py (its reads),
services.py (the all-or-nothing import), forms.py / views.py / urls.py (the pages).

The names below are re-exported so that callers may write `from branches.roster import COLUMNS, roster_import`.
"""

from .columns import (
    BRANCH_NOT_FOUND,
    COLUMNS,
    DATA_SHEET,
    HELP_SHEET,
    MAX_ERRORS_SHOWN,
    MAX_ROWS,
    Column,
    ParsedRoster,
    RosterResult,
    RowError,
)
from .parsing import parse_roster
from .services import roster_import, roster_members_create
from .template import roster_template_workbook
from .validation import validate_roster

# The bench_import command (moving to bench/) imports the writer under its old private name.

__all__ = [
    "BRANCH_NOT_FOUND",
    "COLUMNS",
    "DATA_SHEET",
    "HELP_SHEET",
    "MAX_ERRORS_SHOWN",
    "MAX_ROWS",
    "Column",
    "ParsedRoster",
    "RosterResult",
    "RowError",
    "parse_roster",
    "roster_import",
    "roster_members_create",
    "roster_template_workbook",
    "validate_roster",
]
