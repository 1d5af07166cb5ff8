"""考核细则: a committee's rubric of the year, a tree of items (大项 → 小项), each with points and a scoring method.

DOMAIN.md "考核细则: how items are scored". A rubric is defined once a year and reused (copied from last year's);
scoring.py holds the methods, occurrences.py counts the occurrences of a deduction from the records.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organization

from . import methods as scoring
from .methods import METHOD_CHOICES

__all__ = ["Rubric", "RubricItem"]  # Source: the occurrence sources (occurrences.py)

POINTS = {"max_digits": 5, "decimal_places": 2}


class Source(models.TextChoices):
    """Where the occurrences of a deduction come from (occurrences.py); blank: counted by the reviewer."""

    MISSING_MEETINGS = "missing_meetings", _("缺开组织生活(按类别和期间)")
    DUES_UNPAID = "dues_unpaid", _("党员未足额交纳党费(人·月)")
    TERM_OVERDUE = "term_overdue", _("换届超期(天)")
    LATE_RECORDS = "late_records", _("会议记录登记不及时")
    OVERDUE_RECTIFICATION = "overdue_rectification", _("整改事项逾期")


class Rubric(models.Model):
    committee = models.ForeignKey(
        Organization, verbose_name=_("制定单位"), on_delete=models.PROTECT, related_name="rubrics"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("名称"), max_length=100)
    copied_from = models.ForeignKey(
        "self", verbose_name=_("沿用自"), on_delete=models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    full_points = models.DecimalField(_("基本分"), default=100, **POINTS)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("考核细则")
        verbose_name_plural = _("考核细则")
        ordering = ["-year", "committee__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "year", "name"], name="rubric_unique_name"),
            models.CheckConstraint(name="rubric_year_sane", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self):
        # "2026年 2026年考核细则" read twice the year: a name that already starts with it is shown as it is.
        year = f"{self.year}年"
        return self.name if self.name.startswith(year) else f"{year} {self.name}"


class RubricItem(models.Model):
    rubric = models.ForeignKey(Rubric, verbose_name=_("考核细则"), on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey(
        "self", verbose_name=_("所属大项"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    title = models.CharField(_("考核内容"), max_length=200)
    standard = models.TextField(_("评分标准"), blank=True)
    points = models.DecimalField(_("分值"), **POINTS)
    method = models.CharField(_("计分方式"), max_length=20, choices=METHOD_CHOICES, default=scoring.MANUAL)
    unit_points = models.DecimalField(_("每次扣分"), null=True, blank=True, **POINTS)
    source = models.CharField(_("扣分依据"), max_length=30, choices=Source.choices, blank=True)
    indicator_code = models.CharField(_("关联指标"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("细则条目")
        verbose_name_plural = _("细则条目")
        ordering = ["rubric_id", "order", "id"]
        constraints = [
            models.CheckConstraint(name="rubric_item_points_not_negative", condition=Q(points__gte=0)),
            models.CheckConstraint(
                name="rubric_item_deduction_has_unit",
                condition=~Q(method=scoring.DEDUCTION) | Q(unit_points__gt=0),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def computed(self) -> bool:
        """Scored from the records (a deduction with its source, a rate on an indicator), not typed by an inspector."""
        return bool(
            (self.method == scoring.DEDUCTION and self.source) or (self.method == scoring.RATE and self.indicator_code)
        )
