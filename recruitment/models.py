"""发展党员: a person on the path from applicant to full member, and the dated record of each of the 25 steps
(《中国共产党发展党员工作细则》2014, DOMAIN.md "发展党员"). The rules live in rules.py and services.py; the database
holds what it can. Nothing is ever deleted: every foreign key to the archive is PROTECT and there is no delete view.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from branches.models import Member
from branches.validators import mask_id_number, validate_id_number

from .rules import REPEATABLE_STEPS, STEP_RULES, step_name


class Stage(models.TextChoices):
    APPLICANT = "applicant", _("入党申请人")
    ACTIVIST = "activist", _("入党积极分子")
    CANDIDATE = "candidate", _("发展对象")
    ADMISSION = "admission", _("预备党员的接收")
    PROBATION = "probation", _("预备党员")
    FULL = "full", _("已转正")


StepNumber = models.IntegerChoices("StepNumber", [(f"S{n}", (n, r.name)) for n, r in STEP_RULES.items()])


class PersonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(status=Person.Status.ACTIVE)


class Person(models.Model):
    """入党申请人 and everyone after them on the path; not a Member until step 17 makes one."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在培养")
        LEFT = "left", _("已退出")

    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=10, choices=Member.Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(_("身份证号码"), max_length=18, validators=[validate_id_number])
    ethnicity = models.CharField(_("民族"), max_length=20, default="汉族")
    education = models.CharField(_("学历"), max_length=20, choices=Member.Education.choices)
    phone = models.CharField(_("联系电话"), max_length=20, blank=True)
    position = models.CharField(_("工作岗位"), max_length=100, blank=True)
    branch = models.ForeignKey(
        "branches.Organization", verbose_name=_("所在党支部"), on_delete=models.PROTECT, related_name="recruits"
    )
    stage = models.CharField(_("阶段"), max_length=20, choices=Stage.choices, default=Stage.APPLICANT)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    left_on = models.DateField(_("退出日期"), null=True, blank=True)
    left_reason = models.CharField(_("退出原因"), max_length=200, blank=True)
    member = models.OneToOneField(
        Member,
        verbose_name=_("党员档案"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruitment",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = _("发展对象人员")
        verbose_name_plural = _("发展对象人员")
        ordering = ["branch_id", "name", "id"]
        indexes = [models.Index(fields=["branch", "status", "stage"], name="person_branch_stage_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["id_number"], condition=Q(status="active"), name="person_one_active_per_id_number"
            ),
            models.CheckConstraint(
                name="person_left_has_reason",
                condition=Q(status="active", left_on__isnull=True)
                | (Q(status="left", left_on__isnull=False) & ~Q(left_reason="")),
            ),
            models.CheckConstraint(name="person_stage_valid", condition=Q(stage__in=[s.value for s in Stage])),
        ]

    def __str__(self):
        return self.name

    @property
    def masked_id_number(self):
        return mask_id_number(self.id_number)


class Outcome(models.TextChoices):
    CONVERT = "convert", _("按期转为正式党员")
    EXTEND = "extend", _("延长预备期")
    CANCEL = "cancel", _("取消预备党员资格")
    REJECTED = "rejected", _("支部大会表决未通过")


class Step(models.Model):
    """One dated step of a person's path. Steps 6, 10 (a renewed 政治审查), 21, 23 and 24 (once per decision of 23)
    may repeat, and 15 when a discussion did not pass or its approval did not come in time (rules.Path keeps the one
    in force); every other step is recorded once."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="steps")
    number = models.PositiveSmallIntegerField(_("步骤"), choices=StepNumber.choices)
    date = models.DateField(_("日期"))
    done_by = models.CharField(_("经办人/谈话人"), max_length=100, blank=True)
    notes = models.TextField(_("说明"), blank=True)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    late_reason = models.CharField(_("超期原因"), max_length=200, blank=True)
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("记录时所在党支部"),
        on_delete=models.PROTECT,
        related_name="recruitment_steps",
    )
    # 5 培养联系人 / 9 入党介绍人: 正式党员.
    member_1 = models.ForeignKey(
        Member, verbose_name=_("联系人/介绍人一"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    member_2 = models.ForeignKey(
        Member, verbose_name=_("联系人/介绍人二"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    training_days = models.PositiveSmallIntegerField(_("培训天数"), null=True, blank=True)
    training_hours = models.PositiveSmallIntegerField(_("培训学时"), null=True, blank=True)
    # 15 / 23: the held 支部大会 and its vote.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("支部大会记录"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recruitment_steps",
    )
    votes_for = models.PositiveSmallIntegerField(_("赞成"), null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(_("反对"), null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(_("弃权"), null=True, blank=True)
    voting_expected = models.PositiveSmallIntegerField(_("应到会有表决权党员"), null=True, blank=True)
    voting_present = models.PositiveSmallIntegerField(_("实到会有表决权党员"), null=True, blank=True)
    publicity_start = models.DateField(_("公示开始"), null=True, blank=True)
    publicity_end = models.DateField(_("公示结束"), null=True, blank=True)
    # 15: not passed; 23: the decision; 24: the decision it approves.
    outcome = models.CharField(_("讨论结果"), max_length=20, choices=Outcome.choices, blank=True)
    extension_months = models.PositiveSmallIntegerField(_("延长预备期(月)"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发展党员步骤")
        verbose_name_plural = _("发展党员步骤")
        ordering = ["person_id", "date", "number", "id"]
        indexes = [models.Index(fields=["person", "number"], name="step_person_number_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "number"],
                condition=~Q(number__in=(*REPEATABLE_STEPS, 15)),
                name="step_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["person"], condition=Q(number=23, outcome="extend"), name="step_probation_extended_once"
            ),
            models.UniqueConstraint(
                fields=["person", "outcome"], condition=Q(number=24), name="step_one_approval_per_decision"
            ),
            models.CheckConstraint(name="step_number_1_to_25", condition=Q(number__gte=1, number__lte=25)),
            models.CheckConstraint(
                name="step_assembly_has_meeting_and_vote",
                condition=~Q(number__in=[15, 23]) | Q(meeting__isnull=False, votes_for__isnull=False),
            ),
            models.CheckConstraint(
                name="step_two_introducers",
                condition=~Q(number=9)
                | (Q(member_1__isnull=False, member_2__isnull=False) & ~Q(member_1=F("member_2"))),
            ),
            models.CheckConstraint(
                name="step_extension_6_to_12_months",
                condition=Q(extension_months__isnull=True)
                | Q(number=23, outcome="extend", extension_months__gte=6, extension_months__lte=12),
            ),
            models.CheckConstraint(
                name="step_outcome_on_15_23_or_24",
                condition=Q(outcome="")
                | (Q(number__in=[23, 24]) & ~Q(outcome="rejected"))
                | Q(number=15, outcome="rejected"),
            ),
            models.CheckConstraint(
                name="step_publicity_ends_after_start",
                condition=Q(publicity_start__isnull=True)
                | Q(publicity_end__isnull=True)
                | Q(publicity_end__gte=F("publicity_start")),
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.number}.{self.name} {self.date}"

    @property
    def rule(self):
        return STEP_RULES[self.number]

    @property
    def name(self) -> str:
        """The step's name; step 24's by the decision it approves (上级党委审批转正 / 延长预备期 / 取消预备党员资格)."""
        return step_name(self.number, self.outcome)


def document_path(instance, filename):
    """Our own random name: the client's file name is never used for the path (as for meeting attachments)."""
    ext = os.path.splitext(filename)[1].lower()
    return f"recruitment/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{ext}"


class StepDocument(models.Model):
    step = models.ForeignKey(Step, verbose_name=_("步骤"), on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("材料名称"), max_length=100)
    file = models.FileField(_("文件"), upload_to=document_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=150, blank=True)
    size = models.PositiveIntegerField(_("大小(字节)"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发展党员材料")
        verbose_name_plural = _("发展党员材料")
        ordering = ["step_id", "id"]

    def __str__(self):
        return self.title


class PersonTransfer(models.Model):
    """A person moves to another branch; their steps stay with them (each step keeps the branch it was recorded in)."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="transfers")
    from_branch = models.ForeignKey(
        "branches.Organization", verbose_name=_("转出支部"), on_delete=models.PROTECT, related_name="+"
    )
    to_branch = models.ForeignKey(
        "branches.Organization", verbose_name=_("转入支部"), on_delete=models.PROTECT, related_name="+"
    )
    on = models.DateField(_("转接日期"))
    note = models.CharField(_("说明"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("培养关系转接")
        verbose_name_plural = _("培养关系转接")
        ordering = ["person_id", "on", "id"]
        constraints = [
            models.CheckConstraint(name="transfer_changes_branch", condition=~Q(from_branch=F("to_branch"))),
        ]

    def __str__(self):
        return f"{self.person} {self.on}"


class DevelopmentPlan(models.Model):
    """发展计划: how many the committee plans to admit in a year under an organization (DOMAIN.md)."""

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="development_plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    planned = models.PositiveIntegerField(_("计划发展人数"))
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("设定人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("发展党员计划")
        verbose_name_plural = _("发展党员计划")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="plan_once_per_org_year"),
            models.CheckConstraint(name="plan_year_range", condition=Q(year__gte=1921, year__lte=2100)),
        ]

    def __str__(self):
        return f"{self.organization} {self.year}"


class ThoughtReport(models.Model):
    """思想汇报: an 入党积极分子, 发展对象 or 预备党员 reports in writing each quarter (local practice written into
    provincial procedures, DOMAIN.md "发展党员"; RECRUITMENT_THOUGHT_REPORT_QUARTERLY). One per quarter; a late one
    names the quarter it is for."""

    person = models.ForeignKey(Person, verbose_name=_("人员"), on_delete=models.PROTECT, related_name="thought_reports")
    quarter = models.DateField(_("所属季度"), help_text=_("季度的第一天"))
    submitted_on = models.DateField(_("提交日期"))
    notes = models.TextField(_("摘要"), blank=True)
    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("记录时所在党支部"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["person_id", "quarter", "id"]
        constraints = [
            models.UniqueConstraint(fields=["person", "quarter"], name="thought_report_once_per_quarter"),
            models.CheckConstraint(
                name="thought_report_quarter_start",
                condition=Q(quarter__day=1, quarter__month__in=[1, 4, 7, 10]),
            ),
            models.CheckConstraint(
                name="thought_report_not_before_quarter", condition=Q(submitted_on__gte=F("quarter"))
            ),
        ]

    def __str__(self):
        return f"{self.person} {self.quarter}"

    @property
    def quarter_name(self) -> str:
        from .rules import quarter_name

        return quarter_name(self.quarter)
