"""思想汇报 (local practice, RECRUITMENT_THOUGHT_REPORT_QUARTERLY): 入党积极分子, 发展对象 and 预备党员 report in writing
each quarter, from the quarter after they became an 积极分子 until the 转正 is approved. Pure: no queries."""

import datetime

from dateutil.relativedelta import relativedelta

from common.periods import QUARTER, period_for

from .steps import THOUGHT_REPORT, Due, Path, quarter_name, quarter_start_of, setting

THOUGHT_REPORT_RULE = "思想汇报(本地规定): 入党积极分子、发展对象和预备党员每季度向党组织书面汇报一次思想"


def report_due(path: Path) -> Due | None:
    """The first quarter owed a 思想汇报 and not reported, due on its last day; None when the rule is off or the person
    owes none. Owed: every quarter that starts on or after the day they became an 积极分子 (step 3), until the
    转正 approval (step 24) or the cancellation of the 预备期; for a person entered half-way (the import), from the
    quarter they were entered in."""
    if not setting("RECRUITMENT_THOUGHT_REPORT_QUARTERLY") or not path.has(3) or path.full or path.cancelled:
        return None
    quarter = quarter_start_of(path.date(3))
    if quarter < path.date(3):
        quarter += relativedelta(months=3)
    if path.reports_from is not None:
        quarter = max(quarter, quarter_start_of(path.reports_from))
    while quarter in path.reports:
        quarter += relativedelta(months=3)
    return Due(THOUGHT_REPORT, period_for(QUARTER, quarter).end)


def report_errors(path: Path, quarter: datetime.date, submitted_on: datetime.date, *, today=None) -> list[str]:
    """A 思想汇报 for `quarter` (its first day) handed in on `submitted_on`."""
    errors = []
    if not path.has(3) or path.date(3) > period_for(QUARTER, quarter).end:
        errors.append(f"{THOUGHT_REPORT_RULE};{quarter_name(quarter)}该人员尚未确定为入党积极分子。")
    elif path.full and path.full.date < quarter:
        errors.append(f"{THOUGHT_REPORT_RULE};该人员已于{path.full.date}经审批转为正式党员。")
    if quarter in path.reports:
        errors.append(f"{quarter_name(quarter)}的思想汇报已记录。")
    if submitted_on < quarter:
        errors.append(f"提交日期不能早于所属季度的第一天({quarter})。")
    if today is not None and submitted_on > today:
        errors.append("提交日期不能晚于今天。")
    return errors
