"""党员积分 (DOMAIN.md "积分 and 星级"): the rules as data, the manual items and the quarterly 公示.

Points themselves are never stored: points/selectors.py derives them on read from the records (attendance, 党课,
talks, dues, committee positions, 党小组会, 培养联系人/入党介绍人) and the approved manual items, so an amendment to an
archived meeting changes them and nothing is typed twice.

A rule set belongs to a committee (党委) for a year and applies to every branch below it that has no nearer one; the
default set shipped by the data migration has neither owner nor year and applies where no committee has its own.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from common.periods import period_name

__all__ = ["ManualEvidence", "ManualItem", "Objection", "Publication", "Rule", "RuleSet"]


class RuleSet(models.Model):
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("制定党组织"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="point_rule_sets",
    )
    year = models.PositiveSmallIntegerField(_("年度"), null=True, blank=True)
    name = models.CharField(_("方案名称"), max_length=100)
    # 党员星级 (DOMAIN.md): the year's points needed for ★★ … ★★★★★; below star2_min is ★.
    star2_min = models.DecimalField(_("二星最低分"), max_digits=7, decimal_places=1, default=60)
    star3_min = models.DecimalField(_("三星最低分"), max_digits=7, decimal_places=1, default=70)
    star4_min = models.DecimalField(_("四星最低分"), max_digits=7, decimal_places=1, default=80)
    star5_min = models.DecimalField(_("五星最低分"), max_digits=7, decimal_places=1, default=90)
    # 民主评议 (DOMAIN.md): 优秀 only for members whose year points rank in the branch's top N%; 0 = no limit.
    excellent_top_percent = models.PositiveSmallIntegerField(
        _("优秀限积分排名前百分比"),
        default=0,
        help_text=_("0 表示不限制;例如 30 表示仅本支部积分排名前30%的党员可评为优秀"),
    )
    copied_from = models.ForeignKey(
        "self", verbose_name=_("沿用自"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分方案")
        verbose_name_plural = _("积分方案")
        ordering = ["organization_id", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year"], name="pointset_once_per_org_year"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(organization__isnull=True), name="pointset_default_name_unique"
            ),
            models.CheckConstraint(
                name="pointset_default_iff_no_year",
                condition=Q(organization__isnull=True, year__isnull=True)
                | Q(organization__isnull=False, year__isnull=False),
            ),
            models.CheckConstraint(
                name="pointset_year_sane", condition=Q(year__isnull=True) | Q(year__gte=2000, year__lte=2100)
            ),
            models.CheckConstraint(
                name="pointset_stars_ascending",
                condition=Q(
                    star2_min__lte=F("star3_min"), star3_min__lte=F("star4_min"), star4_min__lte=F("star5_min")
                ),
            ),
            models.CheckConstraint(name="pointset_percent_0_100", condition=Q(excellent_top_percent__lte=100)),
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}" if self.year else self.name

    @property
    def is_default(self):
        return self.organization_id is None


class Rule(models.Model):
    class Category(models.TextChoices):
        BASIC = "basic", _("基础评价")
        DUTY = "duty", _("履职尽责")
        INCENTIVE = "incentive", _("激励约束")

    class Source(models.TextChoices):
        # A record kind the system holds (points/selectors.py derives the occurrences), or manual.
        ATTENDANCE = "attendance", _("参加组织生活")
        UNEXCUSED = "unexcused", _("无故缺席组织生活")
        LECTURE = "lecture", _("讲授党课")
        TALK = "talk", _("参加谈心谈话")
        DUES = "dues", _("按时足额交纳党费")
        COMMITTEE = "committee", _("担任支部委员")
        GROUP_LEADER = "group_leader", _("主持党小组会(党小组长)")
        CONTACT = "contact", _("担任培养联系人")
        INTRODUCER = "introducer", _("担任入党介绍人")
        MANUAL = "manual", _("人工登记")

    # Sources that may name a meeting kind (blank: every kind).
    MEETING_SOURCES = (Source.ATTENDANCE, Source.UNEXCUSED)

    rule_set = models.ForeignKey(RuleSet, verbose_name=_("积分方案"), on_delete=models.CASCADE, related_name="rules")
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    category = models.CharField(_("类别"), max_length=20, choices=Category.choices)
    name = models.CharField(_("积分项目"), max_length=100)
    source = models.CharField(_("来源"), max_length=20, choices=Source.choices)
    meeting_kind = models.CharField(_("会议类型"), max_length=30, blank=True)
    points = models.DecimalField(_("每次分值"), max_digits=5, decimal_places=1, help_text=_("负数为扣分"))
    cap_month = models.DecimalField(_("每月上限"), max_digits=6, decimal_places=1, null=True, blank=True)
    cap_year = models.DecimalField(_("每年上限"), max_digits=6, decimal_places=1, null=True, blank=True)
    evidence = models.CharField(_("所需佐证"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分规则")
        verbose_name_plural = _("积分规则")
        ordering = ["rule_set_id", "order", "id"]
        constraints = [
            models.CheckConstraint(name="pointrule_points_not_zero", condition=~Q(points=0)),
            models.CheckConstraint(
                name="pointrule_caps_positive",
                condition=(Q(cap_month__isnull=True) | Q(cap_month__gt=0))
                & (Q(cap_year__isnull=True) | Q(cap_year__gt=0)),
            ),
            models.CheckConstraint(
                name="pointrule_category_valid", condition=Q(category__in=["basic", "duty", "incentive"])
            ),
            models.CheckConstraint(
                name="pointrule_source_valid",
                condition=Q(
                    source__in=[
                        "attendance",
                        "unexcused",
                        "lecture",
                        "talk",
                        "dues",
                        "committee",
                        "group_leader",
                        "contact",
                        "introducer",
                        "manual",
                    ]
                ),
            ),
            models.CheckConstraint(
                name="pointrule_meeting_kind_only_for_meetings",
                condition=Q(meeting_kind="") | Q(source__in=["attendance", "unexcused"]),
            ),
            models.CheckConstraint(
                name="pointrule_evidence_only_manual", condition=Q(evidence="") | Q(source="manual")
            ),
            models.UniqueConstraint(
                fields=["rule_set", "source", "meeting_kind"],
                condition=~Q(source="manual"),
                name="pointrule_source_once_per_set",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_manual(self):
        return self.source == Rule.Source.MANUAL


class ManualItem(models.Model):
    """An award, volunteer service, a good deed the community reported …: recorded by the branch with evidence, approved
    or refused by another committee member with a reason (points/services.py). Never deleted; the history keeps it."""

    class State(models.TextChoices):
        PENDING = "pending", _("待审批")
        APPROVED = "approved", _("已通过")
        REFUSED = "refused", _("未通过")

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="point_items"
    )
    member = models.ForeignKey(
        "branches.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="point_items"
    )
    rule = models.ForeignKey(Rule, verbose_name=_("积分项目"), on_delete=models.PROTECT, related_name="items")
    occurred_on = models.DateField(_("发生日期"))
    reason = models.CharField(_("事由"), max_length=500)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PENDING)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审批人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    refusal_reason = models.CharField(_("未通过理由"), max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分登记")
        verbose_name_plural = _("积分登记")
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["member", "state", "occurred_on"], name="pointitem_member_idx")]
        constraints = [
            models.CheckConstraint(
                name="pointitem_state_valid", condition=Q(state__in=["pending", "approved", "refused"])
            ),
            # Nobody approves what they recorded.
            models.CheckConstraint(
                name="pointitem_decider_not_recorder",
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("recorded_by")),
            ),
            models.CheckConstraint(
                name="pointitem_decided_iff_not_pending",
                condition=Q(state="pending", decided_by__isnull=True, decided_at__isnull=True)
                | (~Q(state="pending") & Q(decided_by__isnull=False, decided_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="pointitem_refusal_has_reason", condition=~Q(state="refused") | ~Q(refusal_reason="")
            ),
            models.CheckConstraint(name="pointitem_has_reason", condition=~Q(reason="")),
        ]

    def __str__(self):
        return f"{self.member} {self.rule} {self.occurred_on}"


def evidence_path(instance, filename):
    """Our own random name: the client's file name is never used for the path."""
    return f"points/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class ManualEvidence(models.Model):
    item = models.ForeignKey(ManualItem, verbose_name=_("积分登记"), on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=150)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分佐证")
        verbose_name_plural = _("积分佐证")
        ordering = ["item_id", "id"]

    def __str__(self):
        return self.original_name


class Publication(models.Model):
    """公示: a branch's quarter table published for a window in which members may object (DOMAIN.md)."""

    organization = models.ForeignKey(
        "branches.Organization", verbose_name=_("党支部"), on_delete=models.PROTECT, related_name="point_publications"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示结束"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("发布时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("积分公示")
        verbose_name_plural = _("积分公示")
        ordering = ["organization_id", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "year", "quarter"], name="pointpub_once_per_quarter"),
            models.CheckConstraint(name="pointpub_quarter_1_4", condition=Q(quarter__gte=1, quarter__lte=4)),
            models.CheckConstraint(name="pointpub_window_ordered", condition=Q(ends_on__gte=F("starts_on"))),
            models.CheckConstraint(name="pointpub_year_sane", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self):
        return f"{self.organization} {self.period_name}积分公示"

    @property
    def period_name(self) -> str:
        return period_name(f"{self.year}-Q{self.quarter}")

    def is_open(self, today) -> bool:
        return self.starts_on <= today <= self.ends_on


class Objection(models.Model):
    publication = models.ForeignKey(
        Publication, verbose_name=_("积分公示"), on_delete=models.PROTECT, related_name="objections"
    )
    member = models.ForeignKey(
        "branches.Member", verbose_name=_("提出异议的党员"), on_delete=models.PROTECT, related_name="point_objections"
    )
    text = models.CharField(_("异议内容"), max_length=1000)
    raised_on = models.DateField(_("提出日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT, related_name="+"
    )
    answer = models.CharField(_("答复"), max_length=1000, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("答复人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["publication_id", "raised_on", "id"]
        constraints = [
            models.CheckConstraint(name="pointobj_has_text", condition=~Q(text="")),
            models.CheckConstraint(
                name="pointobj_answer_complete",
                condition=Q(answer="", answered_by__isnull=True, answered_on__isnull=True)
                | (~Q(answer="") & Q(answered_by__isnull=False, answered_on__isnull=False)),
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.raised_on}"
