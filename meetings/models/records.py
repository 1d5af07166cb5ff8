"""谈心谈话 and 民主评议党员 (支部工作条例 第十四、十六条)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Talk(models.Model):
    """One 谈心谈话 record: who talked with whom. One record may cover a committee member and several members."""

    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="talks",
    )
    held_on = models.DateField(_("谈话日期"))
    initiator = models.ForeignKey(
        "branches.Member",
        verbose_name=_("谈话人"),
        on_delete=models.PROTECT,
        related_name="talks_initiated",
    )
    participants = models.ManyToManyField("branches.Member", verbose_name=_("谈话对象"), related_name="talks_received")
    summary = models.TextField(_("谈话内容摘要"), max_length=2000)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[participants])

    class Meta:
        verbose_name = _("谈心谈话")
        verbose_name_plural = _("谈心谈话")
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["organization", "held_on"], name="talk_org_date_idx")]

    def __str__(self):
        return f"{self.held_on} {self.initiator}"


class MemberReview(models.Model):
    """民主评议党员: one grade per member per year; 不合格 is flagged for follow-up (组织处置)."""

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        QUALIFIED = "qualified", _("合格")
        BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
        UNQUALIFIED = "unqualified", _("不合格")
        # 预备党员 where local practice does not grade them (branches/standing.review_graded): a record that counts.
        NOT_GRADED = "not_graded", _("参加评议,不评定等次")

    member = models.ForeignKey(
        "branches.Member", verbose_name=_("党员"), on_delete=models.PROTECT, related_name="reviews"
    )
    organization = models.ForeignKey(
        "branches.Organization",
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="member_reviews",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    grade = models.CharField(_("评议等次"), max_length=30, choices=Grade.choices)
    decided_on = models.DateField(_("评议会议日期"))
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("评议会议"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="member_reviews",
    )
    notes = models.CharField(_("备注"), max_length=500, blank=True)
    follow_up_done = models.BooleanField(_("已组织处置"), default=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("民主评议党员")
        verbose_name_plural = _("民主评议党员")
        ordering = ["-year", "organization_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="review_once_per_member_year"),
            models.CheckConstraint(name="review_year_sane", condition=Q(year__gte=1921, year__lte=2100)),
        ]

    def __str__(self):
        return f"{self.year} {self.member} {self.get_grade_display()}"

    @property
    def needs_follow_up(self):
        return self.grade == MemberReview.Grade.UNQUALIFIED and not self.follow_up_done
