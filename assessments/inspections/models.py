"""观摩/督查 rounds: a committee (or SASAC) visits organizations with a team, scores them on a rubric, records problems.

DOMAIN.md "观摩, 督查 and 整改": internal, cross or showcase rounds; a round ends with a ranking (ties shown), a
classification, and the showcase sites and good practices it names, which other organizations can read.
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Organization

from ..letters.models import BranchClassification
from ..rubrics.models import Rubric, RubricItem

__all__ = ["InspectionPhoto", "InspectionResult", "InspectionRound", "InspectionScore", "Showcase"]

SCORE = {"max_digits": 6, "decimal_places": 2}


class InspectionRound(models.Model):
    class Kind(models.TextChoices):
        INTERNAL = "internal", _("内部观摩")
        CROSS = "cross", _("交叉观摩")
        SHOWCASE = "showcase", _("示范观摩")

    class State(models.TextChoices):
        OPEN = "open", _("进行中")
        FINISHED = "finished", _("已结束")

    committee = models.ForeignKey(
        Organization, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="inspection_rounds"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices, default=Kind.INTERNAL)
    title = models.CharField(_("名称"), max_length=150)
    rubric = models.ForeignKey(Rubric, verbose_name=_("考核细则"), on_delete=models.PROTECT, related_name="rounds")
    organizations = models.ManyToManyField(Organization, verbose_name=_("被观摩单位"), related_name="inspections")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("观摩组成员"), related_name="inspections")
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.OPEN)
    started_on = models.DateField(_("开始日期"))
    finished_on = models.DateField(_("结束日期"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("观摩督查")
        verbose_name_plural = _("观摩督查")
        ordering = ["-year", "-started_on", "id"]

    def __str__(self):
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class InspectionScore(models.Model):
    """One inspector's score of one rubric leaf for one organization of the round."""

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("观摩督查"), on_delete=models.CASCADE, related_name="scores"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("被观摩单位"), on_delete=models.PROTECT, related_name="+"
    )
    item = models.ForeignKey(RubricItem, verbose_name=_("细则条目"), on_delete=models.PROTECT, related_name="+")
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(
        _("评分/次数"), **SCORE
    )  # manual/bonus: points; deduction: occurrences; veto: 1 = failed
    score = models.DecimalField(_("得分"), **SCORE)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("评分时间"), default=timezone.now)

    class Meta:
        verbose_name = _("观摩评分")
        verbose_name_plural = _("观摩评分")
        ordering = ["round_id", "organization_id", "item_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "organization", "item", "inspector"], name="inspection_score_once"
            ),
            models.CheckConstraint(name="inspection_score_not_negative", condition=Q(score__gte=0)),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.score}"


def photo_path(instance, filename):
    return f"inspections/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class InspectionPhoto(models.Model):
    round = models.ForeignKey(
        InspectionRound, verbose_name=_("观摩督查"), on_delete=models.CASCADE, related_name="photos"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("被观摩单位"), on_delete=models.PROTECT, related_name="+"
    )
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT, related_name="+"
    )
    file = models.FileField(_("照片"), upload_to=photo_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=150)
    size = models.PositiveIntegerField(_("大小"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("观摩照片")
        verbose_name_plural = _("观摩照片")
        ordering = ["round_id", "organization_id", "id"]

    def __str__(self):
        return self.original_name


class InspectionResult(models.Model):
    """Kept when the round ends: the organization's total, its rank (ties share a rank: 并列) and its class."""

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("观摩督查"), on_delete=models.CASCADE, related_name="results"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("被观摩单位"), on_delete=models.PROTECT, related_name="+"
    )
    total = models.DecimalField(_("得分"), **SCORE)
    rank = models.PositiveSmallIntegerField(_("名次"))
    tied = models.BooleanField(_("并列"), default=False)
    veto = models.BooleanField(_("触发否决"), default=False)
    level = models.CharField(_("类别"), max_length=20, choices=BranchClassification.Level.choices, blank=True)

    class Meta:
        verbose_name = _("观摩结果")
        verbose_name_plural = _("观摩结果")
        ordering = ["round_id", "rank", "organization__path"]
        constraints = [models.UniqueConstraint(fields=["round", "organization"], name="inspection_result_once")]

    def __str__(self):
        return f"{self.rank} {self.organization_id}"


class Showcase(models.Model):
    """示范点 and 经验: named by a round, readable by every organization."""

    class Kind(models.TextChoices):
        SITE = "site", _("示范点")
        PRACTICE = "practice", _("经验做法")

    round = models.ForeignKey(
        InspectionRound, verbose_name=_("观摩督查"), on_delete=models.CASCADE, related_name="showcases"
    )
    organization = models.ForeignKey(
        Organization, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="showcases"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("标题"), max_length=150)
    description = models.TextField(_("内容"), blank=True)

    class Meta:
        verbose_name = _("示范点与经验")
        verbose_name_plural = _("示范点与经验")
        ordering = ["round_id", "kind", "id"]

    def __str__(self):
        return self.title
