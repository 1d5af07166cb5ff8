"""党建工作责任书 (responsibility letters), their items and scores; star ratings and classifications.

DOMAIN.md "Responsibility letters and assessment" (local practice, configurable): a committee issues a letter each year
to each organization below it, which cascades items further down (层层分解). Items weigh 100 points in all; an item is
scored from a linked indicator or by the reviewer with a comment; a failed one-vote-veto item forces 不达标.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organization

from ..rubrics.methods import METHOD_CHOICES
from ..rubrics.models import Source

__all__ = [
    "BranchClassification",
    "Letter",
    "LetterEvent",
    "LetterItem",
    "LetterQuerySet",
    "LetterTemplate",
    "TemplateItem",
]

WEIGHT = {"max_digits": 5, "decimal_places": 1}
SCORE = {"max_digits": 5, "decimal_places": 2}


class ItemFields(models.Model):
    """What a template item and a letter item share: area, content, target, weight, evidence, veto."""

    order = models.PositiveSmallIntegerField(_("序号"), default=0)
    area = models.CharField(_("考核领域"), max_length=50)
    content = models.TextField(_("工作内容"))
    target = models.CharField(_("目标要求"), max_length=300, blank=True, help_text=_("数量、时限或标准"))
    weight = models.DecimalField(_("分值"), **WEIGHT)
    # Evidence: an indicator code (scores itself from the records) or blank (scored by the reviewer).
    indicator_code = models.CharField(_("关联指标"), max_length=50, blank=True)
    veto = models.BooleanField(_("一票否决"), default=False)
    # 计分方式 (assessments.rubrics.scoring): rate (the default: an indicator's rate, or by hand without one),
    # deduction per occurrence computed from `source`, capped bonus (weight is the cap), veto, manual.
    method = models.CharField(_("计分方式"), max_length=20, choices=METHOD_CHOICES, default="rate")
    unit_points = models.DecimalField(_("每次扣分"), max_digits=5, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("扣分依据"), max_length=30, choices=Source.choices, blank=True)

    class Meta:
        abstract = True
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.area}:{self.content[:30]}"

    @property
    def is_computed(self) -> bool:
        """Scores itself from the records: an indicator's rate, or a deduction counted from a source."""
        if self.method == "deduction":
            return bool(self.source)
        return self.method in ("rate", "veto") and bool(self.indicator_code)

    @property
    def is_manual(self) -> bool:
        return not self.is_computed


class LetterTemplate(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"))
    name = models.CharField(_("模板名称"), max_length=100)
    issuer = models.ForeignKey(
        Organization, verbose_name=_("下达单位"), on_delete=models.PROTECT, related_name="letter_templates"
    )
    # 层层分解: a template made from a received letter; letters issued from it are that letter's children.
    source_letter = models.ForeignKey(
        "Letter",
        verbose_name=_("分解自责任书"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cascade_templates",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("责任书模板")
        verbose_name_plural = _("责任书模板")
        ordering = ["-year", "issuer__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year", "name"], name="letter_template_unique_name"),
            models.CheckConstraint(name="letter_template_year_sane", condition=Q(year__gte=2000, year__lte=2100)),
        ]

    def __str__(self):
        return f"{self.year}年 {self.name}"


class TemplateItem(ItemFields):
    template = models.ForeignKey(LetterTemplate, verbose_name=_("模板"), on_delete=models.CASCADE, related_name="items")

    class Meta(ItemFields.Meta):
        verbose_name = _("模板条目")
        verbose_name_plural = _("模板条目")
        constraints = [models.CheckConstraint(name="template_item_weight_not_negative", condition=Q(weight__gte=0))]


class LetterQuerySet(models.QuerySet):
    def with_parties(self):
        return self.select_related("issuer", "recipient", "recipient__enterprise")

    def final(self):
        return self.filter(status=Letter.Status.FINAL)

    def under(self, organization):
        """Letters received by organizations of the subtree (one prefix match on the path)."""
        return self.filter(recipient__path__startswith=organization.path)


class Letter(models.Model):
    class Status(models.TextChoices):
        DRAFTED = "drafted", _("草稿")
        ISSUED = "issued", _("已下达")
        SIGNED = "signed", _("已签订")
        SELF_ASSESSED = "self_assessed", _("已自评")
        REVIEWED = "reviewed", _("已考核")
        FINAL = "final", _("已定档")

    class Grade(models.TextChoices):
        EXCELLENT = "excellent", _("优秀")
        PASSED = "passed", _("达标")
        FAILED = "failed", _("不达标")

    year = models.PositiveSmallIntegerField(_("年度"))
    issuer = models.ForeignKey(
        Organization, verbose_name=_("下达单位"), on_delete=models.PROTECT, related_name="letters_issued"
    )
    recipient = models.ForeignKey(
        Organization, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="letters_received"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级责任书"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    template = models.ForeignKey(
        LetterTemplate, verbose_name=_("模板"), on_delete=models.SET_NULL, null=True, blank=True, related_name="letters"
    )
    title = models.CharField(_("标题"), max_length=150)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFTED)
    # Who/when of each step is in LetterEvent; the dates most pages show are kept here too.
    issued_on = models.DateField(_("下达日期"), null=True, blank=True)
    signed_on = models.DateField(_("签订日期"), null=True, blank=True)
    self_assessment = models.TextField(_("自评总结"), blank=True)
    review_comment = models.TextField(_("考核意见"), blank=True)
    innovation = models.BooleanField(_("有创新项目/特色品牌"), default=False)
    total_score = models.DecimalField(_("总分"), null=True, blank=True, **SCORE)
    grade = models.CharField(_("等次"), max_length=20, choices=Grade.choices, blank=True)
    veto_triggered = models.BooleanField(_("触发一票否决"), default=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("党建工作责任书")
        verbose_name_plural = _("党建工作责任书")
        ordering = ["-year", "recipient__path"]
        indexes = [models.Index(fields=["year", "status"], name="letter_year_status_idx")]
        constraints = [
            models.UniqueConstraint(fields=["year", "recipient", "issuer"], name="letter_once_per_year_and_parties"),
            models.CheckConstraint(
                # Above 100 only by capped bonuses (DOMAIN.md 考核细则): letters.methods caps them.
                name="letter_total_not_negative",
                condition=Q(total_score__isnull=True) | Q(total_score__gte=0),
            ),
            models.CheckConstraint(name="letter_not_to_itself", condition=~Q(recipient=F("issuer"))),
        ]

    def __str__(self):
        return self.title

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


class LetterItem(ItemFields):
    letter = models.ForeignKey(Letter, verbose_name=_("责任书"), on_delete=models.CASCADE, related_name="items")
    self_assessment = models.TextField(_("自评情况"), blank=True)
    # Kept as they were at review time: a final letter does not move when records change later.
    indicator_rate = models.FloatField(_("指标完成率"), null=True, blank=True)
    indicator_status = models.CharField(_("指标状态"), max_length=20, blank=True)
    score = models.DecimalField(_("得分"), null=True, blank=True, **SCORE)
    comment = models.TextField(_("评分说明"), blank=True)
    veto_failed = models.BooleanField(_("否决项未达标"), default=False)

    class Meta(ItemFields.Meta):
        verbose_name = _("责任书条目")
        verbose_name_plural = _("责任书条目")
        constraints = [
            models.CheckConstraint(name="letter_item_weight_not_negative", condition=Q(weight__gte=0)),
            models.CheckConstraint(
                name="letter_item_score_within_weight",
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=F("weight")),
            ),
        ]


class LetterEvent(models.Model):
    """Who did what and when: one row per lifecycle step (下达, 签订, 自评, 考核, 定档)."""

    letter = models.ForeignKey(Letter, verbose_name=_("责任书"), on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("进入状态"), max_length=20, choices=Letter.Status.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("时间"))
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("责任书流转记录")
        verbose_name_plural = _("责任书流转记录")
        ordering = ["letter_id", "at", "id"]

    def __str__(self):
        return f"{self.letter} {self.get_status_display()}"


class BranchClassification(models.Model):
    """党建观摩: a committee classes each branch below it for the year (先进/良好/一般/后进)."""

    class Level(models.TextChoices):
        ADVANCED = "advanced", _("先进")
        GOOD = "good", _("良好")
        FAIR = "fair", _("一般")
        LAGGING = "lagging", _("后进")

    year = models.PositiveSmallIntegerField(_("年度"))
    organization = models.ForeignKey(
        Organization, verbose_name=_("党支部"), on_delete=models.CASCADE, related_name="classifications"
    )
    committee = models.ForeignKey(
        Organization, verbose_name=_("评定党委"), on_delete=models.CASCADE, related_name="classifications_given"
    )
    level = models.CharField(_("类别"), max_length=20, choices=Level.choices)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评定人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    set_at = models.DateTimeField(_("评定时间"), auto_now=True)

    class Meta:
        verbose_name = _("支部分类定级")
        verbose_name_plural = _("支部分类定级")
        ordering = ["year", "organization_id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "organization"], name="classification_once_per_year"),
        ]

    def __str__(self):
        return f"{self.year} {self.organization} {self.get_level_display()}"
