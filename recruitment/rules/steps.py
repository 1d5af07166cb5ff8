"""The step table of the path and a person's record as the rules see it (《中国共产党发展党员工作细则》2014, DOMAIN.md
"发展党员"): the 25 steps, their dependencies and articles, the settings of local practice, and `Path`, the steps a
person has passed. Pure: no queries."""

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
    # 细则 第十三条 / 第十六条: the opinions heard before a 发展对象 is decided (7) and the 政治审查's written conclusion
    # (10) are recorded in the step's 说明 (False: optional, e.g. where they are filed on paper only).
    "RECRUITMENT_WRITTEN_RECORDS": True,
}
# The steps whose 说明 holds a required written record (RECRUITMENT_WRITTEN_RECORDS), and what it must say.
WRITTEN_RECORDS = {
    7: "请在说明中填写听取党小组、培养联系人、党员和群众意见的情况",
    10: "请在说明中填写政治审查的书面结论",
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
        # Repeatable: an expired 政治审查 is renewed before the 支部大会 (the latest one counts).
        StepRule(10, "进行政治审查", S.CANDIDATE, (7,), repeatable=True, article="第十六条"),
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
        # Approves step 23's decision (党章 第七条): once per decision, so twice after an extension.
        StepRule(
            24,
            "上级党委审批(转正/延长/取消预备期)",
            S.PROBATION,
            (23,),
            committee=True,
            repeatable=True,
            article="第三十四条",
        ),
        StepRule(25, "材料归档", S.PROBATION, (24,), article="第三十五条"),
    )
}
# 材料归档 (step 25, 细则 第三十五条): the papers a person's file holds, by the step that produces them (THOUGHT_REPORT:
# the quarterly 思想汇报, local practice).
MATERIALS = (
    (1, "入党申请书"),
    (2, "谈话记录"),
    (3, "确定入党积极分子的会议记录"),
    (6, "培养教育考察登记表"),
    (0, "思想汇报"),
    (7, "确定发展对象的支委会会议记录"),
    (10, "政治审查结论材料"),
    (11, "集中培训结业证明"),
    (13, "上级党委预审意见"),
    (14, "入党志愿书"),
    (15, "接收预备党员的支部大会决议"),
    (17, "上级党委审批意见"),
    (22, "转正申请书"),
    (23, "讨论转正的支部大会决议"),
    (24, "上级党委审批意见(转正/延长/取消预备期)"),
)
COMMITTEE_STEPS = tuple(n for n, r in STEP_RULES.items() if r.committee)
REPEATABLE_STEPS = tuple(n for n, r in STEP_RULES.items() if r.repeatable)


def cite(number: int, text: str) -> str:
    """A refusal citing its article: "《发展党员工作细则》第七条: ..."."""
    return f"{ARTICLE}{STEP_RULES[number].article}: {text}"


class Outcome:
    """Step 23's decision (细则 第三十三条); REJECTED: a step 15 whose vote did not pass (recorded, not admitted).
    Step 24 carries the outcome of the decision it approves."""

    CONVERT, EXTEND, CANCEL = "convert", "extend", "cancel"
    REJECTED = "rejected"


# Step 24 named by the decision it approves (党章 第七条: 转正, 延长预备期 and 取消预备党员资格 all need it).
APPROVAL_NAMES = {
    Outcome.CONVERT: "上级党委审批转正",
    Outcome.EXTEND: "上级党委审批延长预备期",
    Outcome.CANCEL: "上级党委审批取消预备党员资格",
}


def step_name(number: int, outcome: str = "") -> str:
    """A step's name; step 24's by the decision it approves."""
    if number == 24 and outcome in APPROVAL_NAMES:
        return APPROVAL_NAMES[outcome]
    return STEP_RULES[number].name


# ------------------------------------------------------------------------------------------- the record, read


@dataclass(frozen=True)
class Done:
    """A recorded step as the rules see it."""

    number: int
    date: datetime.date
    outcome: str = ""
    extension_months: int = 0


class Path:
    """The steps a person has passed, by number (a repeatable step keeps every record, in date order). Step 23's
    decisions and step 24's approvals pair in order: the n-th approval approves the n-th decision."""

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

    # ---- step 23's decisions and their approval (24)

    @property
    def decisions(self) -> list[Done]:
        return self.by_number.get(23, [])

    @property
    def approvals(self) -> dict[Done, Done]:
        """Each decision of step 23 the superior approved, with its approval (24): an approval carries the outcome
        of the decision it approves (one without, recorded before it did, approves the first one waiting)."""
        result: dict[Done, Done] = {}
        waiting = list(self.decisions)
        for approval in self.by_number.get(24, []):
            match = next((d for d in waiting if d.outcome == approval.outcome), None)
            if match is None and not approval.outcome and waiting:
                match = waiting[0]
            if match is not None:
                waiting.remove(match)
                result[match] = approval
        return result

    def _approved(self, outcome: str) -> Done | None:
        """The approval (24) of the decision with `outcome`, if the superior gave it."""
        return next((a for d, a in self.approvals.items() if d.outcome == outcome), None)

    @property
    def decision(self) -> Done | None:
        """Step 23's decision awaiting the superior's approval at step 24 (党章 第七条): 转正, 延长预备期 or 取消."""
        last = self.decisions[-1] if self.decisions else None
        return last if last is not None and last not in self.approvals else None

    @property
    def extension_decided(self) -> Done | None:
        """A 支部大会 decided to extend the 预备期 (approved or not)."""
        return next((d for d in self.decisions if d.outcome == Outcome.EXTEND), None)

    @property
    def extension(self) -> Done | None:
        """The extension in force: decided (23) and approved by the superior (24); before that it changes nothing."""
        decided = self.extension_decided
        return decided if decided and self._approved(Outcome.EXTEND) else None

    @property
    def cancelled(self) -> bool:
        """The 支部大会 decided to cancel the 预备期 (in force once the superior approves it, step 24)."""
        return any(d.outcome == Outcome.CANCEL for d in self.decisions)

    @property
    def converted(self) -> Done | None:
        """The 支部大会 decided the 转正 (in force once the superior approves it)."""
        return next((d for d in self.decisions if d.outcome == Outcome.CONVERT), None)

    @property
    def full(self) -> Done | None:
        """The approval (24) of the 转正: the person is a 正式党员."""
        return self._approved(Outcome.CONVERT)

    @property
    def ended(self) -> bool:
        """Nothing more to record: archived (25), or the cancellation approved."""
        return self.has(25) or self._approved(Outcome.CANCEL) is not None

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
        if self.full:
            return Stage.FULL
        return STEP_RULES[self.last_number].stage if self.by_number else Stage.APPLICANT


# ------------------------------------------------------------------------------------------- what is due


THOUGHT_REPORT = 0  # not one of the 25 steps: a Due of this number is the quarter's 思想汇报


def quarter_start_of(day: datetime.date) -> datetime.date:
    return period_for(QUARTER, day).start


def quarter_name(day: datetime.date) -> str:
    return period_name(period_for(QUARTER, day))


def due_name(number: int, due_on: datetime.date | None = None, outcome: str = "") -> str:
    if number == THOUGHT_REPORT:
        return f"思想汇报({quarter_name(due_on)})" if due_on else "思想汇报"
    return step_name(number, outcome)


@dataclass(frozen=True)
class Due:
    number: int  # a step, or THOUGHT_REPORT
    due_on: datetime.date | None  # None: no deadline
    earliest: datetime.date | None = None  # not before (e.g. 发展对象 a year after step 3)
    available: bool = True  # False: the deadline runs, but an earlier step must be recorded first
    outcome: str = ""  # step 24: the decision it approves

    @property
    def name(self) -> str:
        return due_name(self.number, self.due_on, self.outcome)

    @property
    def label(self) -> str:
        """第7步“确定发展对象” / 思想汇报(2025年第一季度)."""
        return self.name if self.number == THOUGHT_REPORT else f"第{self.number}步“{self.name}”"


def is_committee_step(number: int) -> bool:
    return number in STEP_RULES and STEP_RULES[number].committee
