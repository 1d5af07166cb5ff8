"""The indicator set (8项硬指标) as data, editable per year.

DOMAIN.md "The 8 hard indicators": the computation of each code lives in assessments/indicators/computation.py;
which indicators apply in a year, their names, the rule text shown to users and the thresholds are data that SASAC
staff edit.
A row with `year` NULL belongs to the default set, used for every year that has no rows of its own.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

__all__ = ["DEFAULT_INDICATORS", "Indicator", "IndicatorCode", "IndicatorQuerySet"]


class IndicatorQuerySet(models.QuerySet):
    def defaults(self):
        return self.filter(year__isnull=True)

    def active(self):
        return self.filter(active=True)


class IndicatorCode(models.TextChoices):
    # The one list of the 8 codes, in their default order (DOMAIN.md; part of the API contract). Each has its
    # computation in assessments/indicators/computation.py.
    THREE_MEETINGS_ONE_LESSON = "three_meetings_one_lesson", _('严格落实"三会一课"')
    THEME_DAY = "theme_day", _("主题党日")
    ORG_LIFE = "org_life", _("组织生活会")
    DEMOCRATIC_LIFE = "democratic_life", _("民主生活会")
    TALKS = "talks", _("谈心谈话")
    MEMBER_REVIEW = "member_review", _("民主评议党员")
    TERM_ON_TIME = "term_on_time", _("按期换届")
    DUES = "dues", _("党费按月足额交纳")


class Indicator(models.Model):
    Code = IndicatorCode

    class AppliesTo(models.TextChoices):
        BRANCH = "branch", _("党支部")
        COMMITTEE = "committee", _("党委")
        WITH_TERM = "with_term", _("所有设届次的党组织")

    year = models.PositiveSmallIntegerField(
        _("年度"), null=True, blank=True, help_text=_("留空为默认指标集,用于没有单独设置指标的年度")
    )
    code = models.CharField(_("指标代码"), max_length=40, choices=Code.choices)
    name = models.CharField(_("指标名称"), max_length=100)
    rule = models.TextField(_("考核要求"), help_text=_("向用户展示的计算规则说明"))
    applies_to = models.CharField(_("适用组织"), max_length=20, choices=AppliesTo.choices)
    met_threshold = models.DecimalField(
        _("达标线"), max_digits=3, decimal_places=2, default=Decimal("1.00"), help_text=_("完成率达到此值为达标(0-1)")
    )
    partly_threshold = models.DecimalField(
        _("基本达标线"),
        max_digits=3,
        decimal_places=2,
        default=Decimal("0.80"),
        help_text=_("完成率达到此值为基本达标(0-1)"),
    )
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        verbose_name = _("考核指标")
        verbose_name_plural = _("考核指标")
        ordering = [models.F("year").asc(nulls_first=True), "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "code"], name="indicator_code_once_per_year"),
            # NULLs are distinct in a unique index: the default set needs its own constraint.
            models.UniqueConstraint(
                fields=["code"], condition=Q(year__isnull=True), name="indicator_code_once_in_defaults"
            ),
            models.CheckConstraint(
                name="indicator_thresholds_ordered",
                condition=Q(
                    partly_threshold__gte=0, partly_threshold__lte=models.F("met_threshold"), met_threshold__lte=1
                ),
            ),
            models.CheckConstraint(
                name="indicator_code_valid",
                condition=Q(code__in=IndicatorCode.values),
            ),
        ]

    def __str__(self):
        return f"{self.year or '默认'} {self.name}"


# DOMAIN.md "The 8 hard indicators": the defaults loaded by the data migration (and restorable from the admin).
DEFAULT_INDICATORS = [
    {
        "code": Indicator.Code.THREE_MEETINGS_ONE_LESSON.value,
        "name": '严格落实"三会一课"',
        "rule": "每个已结束的季度召开支部党员大会、讲党课;每个已结束的月份召开支委会(设支委会的支部)和每个党小组的党小组会;"
        "书记每年至少讲1次党课。",
        "applies_to": "branch",
    },
    {
        "code": Indicator.Code.THEME_DAY.value,
        "name": "主题党日",
        "rule": "每个已结束的月份开展1次主题党日。",
        "applies_to": "branch",
    },
    {
        "code": Indicator.Code.ORG_LIFE.value,
        "name": "组织生活会",
        "rule": "每年召开1次组织生活会。",
        "applies_to": "branch",
    },
    {
        "code": Indicator.Code.DEMOCRATIC_LIFE.value,
        "name": "民主生活会",
        "rule": "党委领导班子每年召开1次民主生活会。",
        "applies_to": "committee",
    },
    {
        "code": Indicator.Code.TALKS.value,
        "name": "谈心谈话",
        "rule": "年内在本支部的每名党员至少谈心谈话1次。",
        "applies_to": "branch",
    },
    {
        "code": Indicator.Code.MEMBER_REVIEW.value,
        "name": "民主评议党员",
        "rule": "年内在本支部的每名党员都有当年的评议等次。",
        "applies_to": "branch",
    },
    {
        "code": Indicator.Code.TERM_ON_TIME.value,
        "name": "按期换届",
        "rule": "本届委员会未超过任期,或超期已经上级批准延期。",
        "applies_to": "with_term",
    },
    {
        "code": Indicator.Code.DUES.value,
        "name": "党费按月足额交纳",
        "rule": "每名党员每个已结束的月份都已交纳党费(按党员-月份覆盖率计)。",
        "applies_to": "branch",
    },
]
