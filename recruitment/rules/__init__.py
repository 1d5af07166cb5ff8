"""The rules of the path, pure: no queries, only dates and the steps already recorded (《中国共产党发展党员工作细则》2014,
DOMAIN.md "发展党员"). The service (services.py) applies them on a write; the selectors apply them for the lists
(next step, due date, overdue); the import checks imported dates with them. One rule, one place:

- steps.py: the step table, the settings of local practice, a person's record (`Path`) and what is due (`Due`);
- deadlines.py: what may be recorded next, due and earliest dates;
- gates.py: the refusals of a step on a date;
- reports.py: the quarterly 思想汇报.

Callers import `recruitment.rules` and use the names re-exported here.
"""

from .deadlines import (
    DEADLINE_STEPS,
    available,
    due_date,
    earliest_date,
    next_steps,
    rediscussion_due,
    review_expires,
)
from .gates import age_on, gate_errors, review_gaps, vote_passes, working_days
from .reports import THOUGHT_REPORT_RULE, report_due, report_errors
from .steps import (
    APPROVAL_NAMES,
    ARTICLE,
    COMMITTEE_STEPS,
    DEFAULTS,
    MATERIALS,
    REPEATABLE_STEPS,
    STEP_RULES,
    THOUGHT_REPORT,
    WRITTEN_RECORDS,
    Done,
    Due,
    Outcome,
    Path,
    Stage,
    StepRule,
    cite,
    due_name,
    is_committee_step,
    publicity_step,
    quarter_name,
    quarter_start_of,
    setting,
    step_name,
)

__all__ = [
    "APPROVAL_NAMES",
    "ARTICLE",
    "COMMITTEE_STEPS",
    "DEADLINE_STEPS",
    "DEFAULTS",
    "MATERIALS",
    "REPEATABLE_STEPS",
    "STEP_RULES",
    "THOUGHT_REPORT",
    "THOUGHT_REPORT_RULE",
    "WRITTEN_RECORDS",
    "Done",
    "Due",
    "Outcome",
    "Path",
    "Stage",
    "StepRule",
    "age_on",
    "available",
    "cite",
    "due_date",
    "due_name",
    "earliest_date",
    "gate_errors",
    "is_committee_step",
    "next_steps",
    "publicity_step",
    "quarter_name",
    "quarter_start_of",
    "rediscussion_due",
    "report_due",
    "report_errors",
    "review_expires",
    "review_gaps",
    "setting",
    "step_name",
    "vote_passes",
    "working_days",
]
