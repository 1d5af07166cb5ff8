"""The rules of the path, pure: no queries, only dates and the steps already recorded (《中国共产党发展党员工作细则》2014,
DOMAIN.md "发展党员"). The service (services.py) applies them on a write; the selectors apply them for the lists
(next step, due date, overdue); the import checks imported dates with them. One rule, one place.

Local practice is configurable in settings (read through `setting()`, with the defaults below).
"""

import datetime
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from common.periods import QUARTER, period_for, period_name

DEFAULTS = {
    "RECRUITMENT_MIN_AGE": 18,  # 细则 第五条 (national)
    "RECRUITMENT_TALK_MONTHS": 1,  # 细则 第七条 (national)
    "RECRUITMENT_ACTIVIST_YEARS": 1,  # 细则 第十三条 (national)
    "RECRUITMENT_REVIEW_MONTHS": 6,  # 细则 第十一条 (national)
    "RECRUITMENT_TRAINING_DAYS": 3,  # 细则 第十八条 (national)
    "RECRUITMENT_TRAINING_HOURS": 24,
    "RECRUITMENT_APPROVAL_MONTHS": 3,  # 细则 第二十八条 (national)
    "RECRUITMENT_APPROVAL_MAX_MONTHS": 6,
    "RECRUITMENT_PROBATION_YEARS": 1,  # 党章 第七条
    "RECRUITMENT_CONVERSION_APPROVAL_MONTHS": 3,  # 细则 第三十四条
    "RECRUITMENT_EXTENSION_MIN_MONTHS": 6,  # 细则 第三十三条
    "RECRUITMENT_EXTENSION_MAX_MONTHS": 12,
    # Local practice (provincial procedures); 0 / None switches a rule off.
    "RECRUITMENT_PUBLICITY_WORKING_DAYS": 5,  # 公示 before the 支部大会
    "RECRUITMENT_POLITICAL_REVIEW_VALID_YEARS": 1,  # a 政治审查 is valid for one year at the 支部大会
    "RECRUITMENT_ASSEMBLY_WITHIN_MONTHS_OF_PREVIEW": None,  # 支部大会 within N months of the 预审
    "RECRUITMENT_FORM_AFTER_PUBLICITY": False,  # the 入党志愿书 (step 14) only after the 公示
    "RECRUITMENT_THOUGHT_REPORT_QUARTERLY": True,  # 积极分子, 发展对象 and 预备党员 report in writing each quarter
    # An admission not approved within N months of the 支部大会 is discussed again (None: the step 17 refusal only).
    "RECRUITMENT_REDISCUSS_AFTER_MONTHS": 6,
    "RECRUITMENT_REJECTED_WAIT_MONTHS": 6,  # a 支部大会 that did not pass: discussed again no sooner (0: off)
    "RECRUITMENT_REMINDER_DAYS_BEFORE": (14, 3),  # reminders before a deadline
}


def setting(name: str):
    return getattr(settings, name, DEFAULTS[name])


def publicity_step() -> int:
    """The step the 公示 is recorded with: before the 支部大会 (15), or, where the 志愿书 is issued only after the
    公示 (local practice), before the 志愿书 (14)."""
    return 14 if setting("RECRUITMENT_FORM_AFTER_PUBLICITY") else 15


ARTICLE = "《发展党员工作细则》"


class Stage:
    APPLICANT, ACTIVIST, CANDIDATE, ADMISSION, PROBATION, FULL = (
        "applicant",
        "activist",
        "candidate",
        "admission",
        "probation",
        "full",
    )


@dataclass(frozen=True)
class StepRule:
    number: int
    name: str
    stage: str
    requires: tuple[int, ...] = ()
    committee: bool = False  # recorded by the superior committee's staff (备案, 预审, 谈话, 审批)
    repeatable: bool = False
    article: str = ""


S = Stage
STEP_RULES: dict[int, StepRule] = {
    r.number: r
    for r in (
        StepRule(1, "递交入党申请书", S.APPLICANT, article="第六条"),
        StepRule(2, "党组织派人谈话", S.APPLICANT, (1,), article="第七条"),
        StepRule(3, "推荐和确定入党积极分子", S.ACTIVIST, (2,), article="第八条"),
        StepRule(4, "报上级党委备案", S.ACTIVIST, (3,), committee=True, article="第八条"),
        StepRule(5, "指定培养联系人", S.ACTIVIST, (3,), article="第九条"),
        StepRule(6, "培养教育考察", S.ACTIVIST, (5,), repeatable=True, article="第十一条"),
        StepRule(7, "确定发展对象", S.CANDIDATE, (4, 6), article="第十三条"),
        StepRule(8, "报上级党委备案", S.CANDIDATE, (7,), committee=True, article="第十三条"),
        StepRule(9, "确定入党介绍人", S.CANDIDATE, (7,), article="第十四条"),
        StepRule(10, "进行政治审查", S.CANDIDATE, (7,), article="第十六条"),
        StepRule(11, "开展集中培训", S.CANDIDATE, (7,), article="第十八条"),
        StepRule(12, "支部委员会审查", S.ADMISSION, (8, 9, 10, 11), article="第十九条"),
        StepRule(13, "上级党委预审", S.ADMISSION, (12,), committee=True, article="第二十条"),
        StepRule(14, "填写入党志愿书", S.ADMISSION, (13,), article="第二十一条"),
        StepRule(15, "支部大会讨论", S.ADMISSION, (14,), article="第二十四条"),
        StepRule(16, "上级党委派人谈话", S.ADMISSION, (15,), committee=True, article="第二十六条"),
        StepRule(17, "上级党委审批", S.ADMISSION, (16,), committee=True, article="第二十八条"),
        StepRule(18, "再上一级党委组织部门备案", S.ADMISSION, (17,), committee=True, article="第二十八条"),
        StepRule(19, "编入党支部和党小组", S.PROBATION, (17,), article="第二十九条"),
        StepRule(20, "入党宣誓", S.PROBATION, (17,), article="第三十条"),
        StepRule(21, "继续教育考察", S.PROBATION, (19,), repeatable=True, article="第三十一条"),
        StepRule(22, "提出转正申请", S.PROBATION, (17,), article="第三十二条"),
        StepRule(23, "支部大会讨论转正", S.PROBATION, (22,), repeatable=True, article="第三十三条"),
        StepRule(24, "上级党委审批转正", S.PROBATION, (23,), committee=True, article="第三十四条"),
        StepRule(25, "材料归档", S.PROBATION, (24,), article="第三十五条"),
    )
}
# 材料归档 (step 25, 细则 第三十五条): the papers a person's file holds, by the step that produces them.
MATERIALS = (
    (1, "入党申请书"),
    (2, "谈话记录"),
    (3, "确定入党积极分子的会议记录"),
    (6, "培养教育考察登记表"),
    (7, "确定发展对象的支委会会议记录"),
    (10, "政治审查结论材料"),
    (11, "集中培训结业证明"),
    (13, "上级党委预审意见"),
    (14, "入党志愿书"),
    (15, "接收预备党员的支部大会决议"),
    (17, "上级党委审批意见"),
    (22, "转正申请书"),
    (23, "讨论转正的支部大会决议"),
    (24, "转正审批意见"),
)
COMMITTEE_STEPS = tuple(n for n, r in STEP_RULES.items() if r.committee)
REPEATABLE_STEPS = tuple(n for n, r in STEP_RULES.items() if r.repeatable)


def cite(number: int, text: str) -> str:
    """A refusal citing its article: "《发展党员工作细则》第七条: ..."."""
    return f"{ARTICLE}{STEP_RULES[number].article}: {text}"


class Outcome:
    """Step 23's decision (细则 第三十三条); REJECTED: a step 15 whose vote did not pass (recorded, not admitted)."""

    CONVERT, EXTEND, CANCEL = "convert", "extend", "cancel"
    REJECTED = "rejected"


# ------------------------------------------------------------------------------------------- the record, read


@dataclass(frozen=True)
class Done:
    """A recorded step as the rules see it."""

    number: int
    date: datetime.date
    outcome: str = ""
    extension_months: int = 0


class Path:
    """The steps a person has passed, by number (a repeatable step keeps every record, in date order)."""

    def __init__(self, done, reports=(), reports_from: datetime.date | None = None):
        self.by_number: dict[int, list[Done]] = {}
        self.rejected: list[Done] = []  # 支部大会 discussions (15) that did not pass
        self.superseded: list[Done] = []  # 支部大会 decisions (15) not approved in time and discussed again
        for d in sorted(done, key=lambda d: (d.date, d.number)):
            if d.number == 15 and d.outcome == Outcome.REJECTED:
                self.rejected.append(d)
                continue
            self.by_number.setdefault(d.number, []).append(d)
        if len(self.by_number.get(15, [])) > 1:  # the latest decision is the one in force (joined_on, deadlines)
            self.superseded, self.by_number[15] = self.by_number[15][:-1], self.by_number[15][-1:]
        self.reports: frozenset[datetime.date] = frozenset(reports)  # the quarters (first days) with a 思想汇报
        # The day the person was entered: the 思想汇报 of quarters before it are on paper, not owed here.
        self.reports_from = reports_from

    def has(self, number: int) -> bool:
        return number in self.by_number

    def first(self, number: int) -> Done | None:
        return self.by_number.get(number, [None])[0]

    def last(self, number: int) -> Done | None:
        return self.by_number.get(number, [None])[-1]

    def date(self, number: int) -> datetime.date | None:
        d = self.first(number)
        return d.date if d else None

    @property
    def last_number(self) -> int:
        return max(self.by_number, default=0)

    @property
    def extension(self) -> Done | None:
        return next((d for d in self.by_number.get(23, []) if d.outcome == Outcome.EXTEND), None)

    @property
    def cancelled(self) -> bool:
        """The 支部大会 decided to cancel the 预备期 (in force once the superior approves it, step 24)."""
        return any(d.outcome == Outcome.CANCEL for d in self.by_number.get(23, []))

    @property
    def decision(self) -> Done | None:
        """Step 23's decision the superior approves at step 24 (党章 第七条): 转正 or 取消预备党员资格."""
        return next((d for d in self.by_number.get(23, []) if d.outcome in (Outcome.CONVERT, Outcome.CANCEL)), None)

    @property
    def ended(self) -> bool:
        """Nothing more to record: archived (25), or the cancellation approved."""
        return self.has(25) or (self.cancelled and self.has(24))

    @property
    def converted(self) -> Done | None:
        return next((d for d in self.by_number.get(23, []) if d.outcome == Outcome.CONVERT), None)

    def probation_ends(self) -> datetime.date | None:
        """预备期 ends a year after the 支部大会 (党章 第七条), later by an approved extension."""
        admitted = self.date(15)
        if admitted is None:
            return None
        months = self.extension.extension_months if self.extension else 0
        return admitted + relativedelta(years=setting("RECRUITMENT_PROBATION_YEARS"), months=months)

    def stage(self) -> str:
        if self.cancelled:
            return Stage.PROBATION
        if self.has(24):
            return Stage.FULL
        return STEP_RULES[self.last_number].stage if self.by_number else Stage.APPLICANT


# ------------------------------------------------------------------------------------------- what comes next


def rediscussion_due(path: Path) -> datetime.date | None:
    """The day from which an admission not approved since the 支部大会 must be discussed again (local practice,
    RECRUITMENT_REDISCUSS_AFTER_MONTHS): the day after the last day the approval could come."""
    months = setting("RECRUITMENT_REDISCUSS_AFTER_MONTHS")
    if not months or not path.has(15) or path.has(17):
        return None
    return path.date(15) + relativedelta(months=months) + datetime.timedelta(days=1)


def available(path: Path, today: datetime.date | None = None) -> list[int]:
    """Steps that may be recorded now: their dependencies are done and they are not done yet (or repeat). With
    `today`, a 支部大会 discussion (15) whose approval did not come in time may be held again."""
    if path.ended:
        return []
    if path.cancelled:
        return [24]  # the superior approves the cancellation
    result = []
    for number, rule in STEP_RULES.items():
        if number == 15 and path.has(15):
            again = rediscussion_due(path)
            if again is not None and today is not None and today >= again:
                result.append(15)
            continue
        if path.has(number) and not rule.repeatable:
            continue
        if not all(path.has(n) for n in rule.requires):
            continue
        if number == 6 and path.has(7):
            continue  # the 积极分子's 考察 ends when they become a 发展对象
        if number == 21 and path.has(24):
            continue
        if number == 23 and (path.converted or (path.has(23) and not path.extension)):
            continue
        if number == 23 and path.extension and len(path.by_number[23]) > 1:
            continue
        if number == 24 and not path.decision:
            continue
        result.append(number)
    return result


@dataclass(frozen=True)
class Due:
    number: int  # a step, or THOUGHT_REPORT
    due_on: datetime.date | None  # None: no deadline
    earliest: datetime.date | None = None  # not before (e.g. 发展对象 a year after step 3)
    available: bool = True  # False: the deadline runs, but an earlier step must be recorded first

    @property
    def name(self) -> str:
        return due_name(self.number, self.due_on)

    @property
    def label(self) -> str:
        """第7步“确定发展对象” / 思想汇报(2025年第一季度)."""
        return self.name if self.number == THOUGHT_REPORT else f"第{self.number}步“{self.name}”"


# ------------------------------------------------------------------------------------------- 思想汇报 (local practice)

THOUGHT_REPORT = 0  # not one of the 25 steps: a Due of this number is the quarter's 思想汇报
THOUGHT_REPORT_RULE = "思想汇报(本地规定): 入党积极分子、发展对象和预备党员每季度向党组织书面汇报一次思想"


def due_name(number: int, due_on: datetime.date | None = None) -> str:
    if number == THOUGHT_REPORT:
        return f"思想汇报({quarter_name(due_on)})" if due_on else "思想汇报"
    return STEP_RULES[number].name


def is_committee_step(number: int) -> bool:
    return number in STEP_RULES and STEP_RULES[number].committee


def quarter_start_of(day: datetime.date) -> datetime.date:
    return period_for(QUARTER, day).start


def quarter_name(day: datetime.date) -> str:
    return period_name(period_for(QUARTER, day))


def report_due(path: Path) -> Due | None:
    """The first quarter owed a 思想汇报 and not reported, due on its last day; None when the rule is off or the person
    owes none. Owed: every quarter that starts on or after the day they became an 积极分子 (step 3), until the
    转正 approval (step 24) or the cancellation of the 预备期; for a person entered half-way (the import), from the
    quarter they were entered in."""
    if not setting("RECRUITMENT_THOUGHT_REPORT_QUARTERLY") or not path.has(3) or path.has(24) or path.cancelled:
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
    elif path.has(24) and path.date(24) < quarter:
        errors.append(f"{THOUGHT_REPORT_RULE};该人员已于{path.date(24)}转为正式党员。")
    if quarter in path.reports:
        errors.append(f"{quarter_name(quarter)}的思想汇报已记录。")
    if submitted_on < quarter:
        errors.append(f"提交日期不能早于所属季度的第一天({quarter})。")
    if today is not None and submitted_on > today:
        errors.append("提交日期不能晚于今天。")
    return errors


def _deadline_pending(path: Path, number: int) -> bool:
    """A deadline that runs whether or not the steps before it are recorded (the approval is due three months after
    the 支部大会 even while the committee's talk is not on record)."""
    if number == 2:
        return not path.has(2)
    if number == 6:
        return path.has(3) and not path.has(7)
    if number == 17:
        return path.has(15) and not path.has(17)
    if number == 23:
        if not path.has(17) or path.converted or path.cancelled:
            return False
        return not path.has(23) or (path.extension is not None and len(path.by_number[23]) == 1)
    if number == 24:
        return path.decision is not None and not path.has(24)
    return False


DEADLINE_STEPS = (2, 6, 17, 23, 24)


def next_steps(path: Path, today: datetime.date | None = None) -> list[Due]:
    """The available steps and every running deadline, the one due first leading (undated ones after)."""
    if path.ended:
        return []
    numbers = available(path, today)
    pending = [n for n in DEADLINE_STEPS if n not in numbers and _deadline_pending(path, n)]
    result = [Due(n, due_date(path, n), earliest_date(path, n), n in numbers) for n in numbers + pending]
    return sorted(result, key=lambda d: (d.due_on is None, d.due_on or datetime.date.max, d.number))


def due_date(path: Path, number: int) -> datetime.date | None:
    if number == 2 and path.has(1):
        return path.date(1) + relativedelta(months=setting("RECRUITMENT_TALK_MONTHS"))
    if number == 6 and path.has(3) and not path.has(7):
        last = path.last(6) or path.first(3)
        return last.date + relativedelta(months=setting("RECRUITMENT_REVIEW_MONTHS"))
    if number == 17 and path.has(15):
        return path.date(15) + relativedelta(months=setting("RECRUITMENT_APPROVAL_MONTHS"))
    if number == 23:
        return path.probation_ends()
    if number == 24 and path.decision:
        return path.decision.date + relativedelta(months=setting("RECRUITMENT_CONVERSION_APPROVAL_MONTHS"))
    return None


def earliest_date(path: Path, number: int) -> datetime.date | None:
    if number == 15 and path.rejected and not path.has(15):
        return path.rejected[-1].date + relativedelta(months=setting("RECRUITMENT_REJECTED_WAIT_MONTHS") or 0)
    if number == 7 and path.has(3):
        return path.date(3) + relativedelta(years=setting("RECRUITMENT_ACTIVIST_YEARS"))
    if number == 23:
        return path.probation_ends()
    return None


# ------------------------------------------------------------------------------------------- the gates


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
            names = "、".join(f"第{n}步“{STEP_RULES[n].name}”" for n in missing)
            errors.append(cite(number, f"须先完成{names},才能记录第{number}步“{rule.name}”。"))
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
        limit = path.decision.date + relativedelta(months=setting("RECRUITMENT_CONVERSION_APPROVAL_MONTHS"))
        if day > limit and not data.get("late_reason"):
            errors.append(cite(24, f"上级党委应在支部大会讨论转正后三个月内审批(最迟 {limit});超期须填写原因。"))
    return errors


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
    valid_years = setting("RECRUITMENT_POLITICAL_REVIEW_VALID_YEARS")
    if valid_years and path.has(10) and day > path.date(10) + relativedelta(years=valid_years):
        errors.append(f"{ARTICLE}第十七条(本地规定): 政治审查结论有效期{valid_years}年,已过期,请重新进行政治审查。")
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
        if path.extension:
            errors.append(cite(23, "预备期只能延长一次。"))
        if not extension_months or not lo <= extension_months <= hi:
            errors.append(cite(23, f"延长预备期不能少于半年,最长不超过一年({lo}至{hi}个月)。"))
    return errors
