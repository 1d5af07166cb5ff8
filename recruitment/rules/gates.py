"""The gates of the path: every date rule a step breaks, given the steps already passed (Chinese, each citing its
article). The record-keeping rules that need the database (introducers, the meeting) are the service's. Pure."""

import datetime

from dateutil.relativedelta import relativedelta

from .deadlines import available, due_date, earliest_date, rediscussion_due, review_expires
from .steps import ARTICLE, STEP_RULES, Outcome, Path, cite, publicity_step, setting, step_name


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


def working_days(start: datetime.date, end: datetime.date) -> int:
    """Monday to Friday from start to end inclusive (public holidays are not known here: a 公示 over a holiday
    must simply be entered long enough)."""
    days = 0
    day = start
    while day <= end:
        days += day.weekday() < 5
        day += datetime.timedelta(days=1)
    return days


def review_gaps(path: Path, until: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
    """Periods longer than the 考察 interval with no written 考察 between step 3 and `until` (细则 第十一条)."""
    if not path.has(3):
        return []
    months = setting("RECRUITMENT_REVIEW_MONTHS")
    marks = [path.date(3)] + [d.date for d in path.by_number.get(6, []) if d.date <= until] + [until]
    return [(a, b) for a, b in zip(marks, marks[1:], strict=False) if b > a + relativedelta(months=months)]


def vote_passes(votes_for: int, voting_expected: int) -> bool:
    """细则 第二十四条 / 支部工作条例 第十一条: in favour exceed half of the voting members who should attend
    (exactly half fails)."""
    return votes_for * 2 > voting_expected


def gate_errors(path: Path, number: int, day: datetime.date, *, birth_date=None, today=None, **data) -> list[str]:
    """Every date rule step `number` on `day` breaks, given the steps already passed (Chinese, each citing its
    article). The record-keeping rules that need the database (introducers, the meeting) are the service's."""
    errors = []
    rule = STEP_RULES[number]
    if number not in available(path, day):
        missing = [n for n in rule.requires if not path.has(n)]
        if missing:
            names = "、".join(f"第{n}步“{step_name(n)}”" for n in missing)
            errors.append(cite(number, f"须先完成{names},才能记录第{number}步“{rule.name}”。"))
        elif number in (23, 25) and path.decision is not None:
            what = DECISION_NAMES[path.decision.outcome]
            errors.append(
                f"{ARTICLE}第三十四条(党章第七条): 支部大会{path.decision.date}作出的{what}决议须经上级党委审批"
                f"(第24步“{step_name(24, path.decision.outcome)}”)后才生效,审批前不能记录第{number}步。"
            )
        elif number == 15 and rediscussion_due(path) is not None:
            again = rediscussion_due(path)
            errors.append(
                f"{ARTICLE}第二十八条(本地规定): 支部大会已于{path.date(15)}讨论通过,待上级党委审批;"
                f"{again}起仍未审批的,方须重新提交支部大会讨论。"
            )
        else:
            errors.append(cite(number, f"第{number}步“{rule.name}”现在不能记录(已记录或流程已结束)。"))
        return errors
    if today is not None and day > today:
        errors.append(f"第{number}步的日期不能晚于今天。")
    for n in rule.requires:
        if path.has(n) and day < path.last(n).date:
            errors.append(cite(number, f"日期不能早于第{n}步“{STEP_RULES[n].name}”的日期({path.last(n).date})。"))
    if number == 1 and birth_date is not None:
        minimum = setting("RECRUITMENT_MIN_AGE")
        if age_on(birth_date, day) < minimum:
            errors.append(f"{ARTICLE}第五条: 年满{minimum}岁方可申请入党,递交申请书时未满{minimum}岁。")
    if number == 2 and day > due_date(path, 2) and not data.get("late_reason"):
        errors.append(
            cite(2, f"应在收到入党申请书后一个月内派人谈话(最迟 {due_date(path, 2)});如确已超期,请填写超期原因。")
        )
    if number == 7:
        earliest = earliest_date(path, 7)
        if day < earliest:
            errors.append(cite(7, f"入党积极分子须经过一年以上培养教育和考察,最早 {earliest} 可确定为发展对象。"))
        gaps = review_gaps(path, day)
        if gaps:
            spans = "、".join(f"{a}至{b}" for a, b in gaps)
            errors.append(f"{ARTICLE}第十一条: 党支部每半年对入党积极分子进行一次考察,以下期间没有考察记录:{spans}。")
    if number == 11:
        days, hours = data.get("training_days") or 0, data.get("training_hours") or 0
        min_days, min_hours = setting("RECRUITMENT_TRAINING_DAYS"), setting("RECRUITMENT_TRAINING_HOURS")
        if days < min_days and hours < min_hours:
            errors.append(cite(11, f"集中培训时间一般不少于{min_days}天(或不少于{min_hours}个学时)。"))
    if number == publicity_step():
        errors += _publicity_errors(path, number, day, **data)
    if number == 15:
        errors += _assembly_date_errors(path, day, **data)
    if number == 17:
        limit = path.date(15) + relativedelta(months=setting("RECRUITMENT_APPROVAL_MONTHS"))
        hard = path.date(15) + relativedelta(months=setting("RECRUITMENT_APPROVAL_MAX_MONTHS"))
        if day > hard:
            errors.append(cite(17, f"上级党委审批最长不得超过六个月(最迟 {hard}),超期须重新提交支部大会讨论。"))
        if path.superseded and day < path.date(15):
            errors.append(cite(17, f"应审批重新讨论的支部大会决议({path.date(15)})。"))
        elif day > limit and not data.get("late_reason"):
            errors.append(cite(17, f"上级党委应在支部大会后三个月内审批(最迟 {limit});特殊情况延长须填写原因。"))
    if number == 23:
        errors += _conversion_errors(path, day, **data)
    if number == 24:
        errors += _approval_errors(path, day, **data)
    return errors


DECISION_NAMES = {Outcome.CONVERT: "转正", Outcome.EXTEND: "延长预备期", Outcome.CANCEL: "取消预备党员资格"}


def _approval_errors(path: Path, day: datetime.date, **data) -> list[str]:
    """党章 第七条 / 细则 第三十四条: the superior approves step 23's decision (转正, 延长预备期 or 取消预备党员资格)
    within three months of it; until then the decision is not in force."""
    decision = path.decision
    what = DECISION_NAMES[decision.outcome]
    limit = decision.date + relativedelta(months=setting("RECRUITMENT_CONVERSION_APPROVAL_MONTHS"))
    if day > limit and not data.get("late_reason"):
        return [
            f"{ARTICLE}第三十四条(党章第七条): 上级党委应在支部大会作出{what}决议({decision.date})后三个月内审批"
            f"(最迟 {limit});超期须填写原因。"
        ]
    return []


def _assembly_date_errors(path: Path, day: datetime.date, **data) -> list[str]:
    errors = []
    wait = setting("RECRUITMENT_REJECTED_WAIT_MONTHS")
    if wait and path.rejected and not path.has(15):
        earliest = earliest_date(path, 15)
        if day < earliest:
            errors.append(
                f"{ARTICLE}第二十四条(本地规定): 支部大会讨论未通过({path.rejected[-1].date}),"
                f"{wait}个月后方可重新讨论,最早 {earliest}。"
            )
    expires = review_expires(path)  # the latest 政治审查 counts
    if expires is not None and day > expires:
        years = setting("RECRUITMENT_POLITICAL_REVIEW_VALID_YEARS")
        errors.append(
            f"{ARTICLE}第十七条(本地规定): 政治审查结论有效期{years}年,{path.last(10).date}的政治审查已于{expires}"
            "后过期,请重新进行政治审查(第10步可再次记录)。"
        )
    within = setting("RECRUITMENT_ASSEMBLY_WITHIN_MONTHS_OF_PREVIEW")
    first_discussion = not path.rejected and not path.has(15)
    if within and first_discussion and day > path.date(13) + relativedelta(months=within):
        errors.append(f"{ARTICLE}第二十条(本地规定): 支部大会应在预审后{within}个月内讨论。")
    return errors


def _publicity_errors(path: Path, number: int, day: datetime.date, **data) -> list[str]:
    """公示 (local practice: RECRUITMENT_PUBLICITY_WORKING_DAYS working days, 0 = off) after the 预审 and before
    the step it is recorded with."""
    needed = setting("RECRUITMENT_PUBLICITY_WORKING_DAYS")
    if not needed:
        return []
    before = "发放入党志愿书" if number == 14 else "支部大会讨论"
    start, end = data.get("publicity_start"), data.get("publicity_end")
    if not (start and end):
        return [f"{ARTICLE}第二十条(本地规定): {before}前须对发展对象公示,请填写公示起止日期。"]
    if end >= day or start < path.date(13) or working_days(start, end) < needed:
        return [
            f"{ARTICLE}第二十条(本地规定): 公示应在预审之后、{before}之前进行,不少于{needed}个工作日"
            f"(填写的 {start} 至 {end} 为{working_days(start, end)}个工作日)。"
        ]
    return []


def _conversion_errors(path: Path, day: datetime.date, *, outcome="", extension_months=None, **data) -> list[str]:
    errors = []
    ends = path.probation_ends()
    if day < ends:
        errors.append(cite(23, f"预备期满({ends})后方可讨论转正。"))
    if outcome not in (Outcome.CONVERT, Outcome.EXTEND, Outcome.CANCEL):
        errors.append(cite(23, "请选择讨论结果:按期转正、延长预备期或取消预备党员资格。"))
    if outcome == Outcome.EXTEND:
        lo, hi = setting("RECRUITMENT_EXTENSION_MIN_MONTHS"), setting("RECRUITMENT_EXTENSION_MAX_MONTHS")
        if path.extension_decided:
            errors.append(cite(23, "预备期只能延长一次。"))
        if not extension_months or not lo <= extension_months <= hi:
            errors.append(cite(23, f"延长预备期不能少于半年,最长不超过一年({lo}至{hi}个月)。"))
    return errors
