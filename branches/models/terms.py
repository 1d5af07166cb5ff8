"""Committee terms (届), their positions, and the steps of an election.

Rules cite DOMAIN.md: 支部工作条例 第九条; 关于党的基层组织任期的意见."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import term_rules
from .members import Member
from .organizations import Organization


class CommitteeTermQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)


class CommitteeTerm(models.Model):
    """One elected committee (届). A branch with fewer than 7 正式党员 has no committee, only a 书记
    (支部工作条例 第九条): `has_committee` is then False and the branch owes no 支委会."""

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="terms",
    )
    has_committee = models.BooleanField(_("设立委员会"), default=True)
    started_on = models.DateField(_("本届开始日期"))
    term_years = models.PositiveSmallIntegerField(_("任期(年)"))
    extension_months = models.PositiveSmallIntegerField(_("批准延期(月)"), default=0)
    extension_approved_on = models.DateField(_("延期批准日期"), null=True, blank=True)
    extension_document = models.CharField(_("延期批复文号"), max_length=100, blank=True)
    # 提前换届 needs the superior's approval like an extension (关于党的基层组织任期的意见).
    early_election_approved_on = models.DateField(_("提前换届批准日期"), null=True, blank=True)
    early_election_document = models.CharField(_("提前换届批复文号"), max_length=100, blank=True)
    # The first term of a new organization may start from the superior's 批复 instead of a recorded election.
    approval_document = models.CharField(
        _("上级批复文号"), max_length=100, blank=True, help_text=_("新成立党组织的第一届,依据上级党组织批复产生时填写")
    )
    ended_on = models.DateField(_("届满换届日期"), null=True, blank=True)
    note = models.CharField(_("备注"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = CommitteeTermQuerySet.as_manager()

    class Meta:
        verbose_name = _("委员会届次")
        verbose_name_plural = _("委员会届次")
        ordering = ["organization_id", "-started_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(ended_on__isnull=True),
                name="term_one_current_per_org",
            ),
            # 关于党的基层组织任期的意见: an extension needs approval and is at most one year.
            models.CheckConstraint(name="term_extension_at_most_12_months", condition=Q(extension_months__lte=12)),
            models.CheckConstraint(
                name="term_extension_has_approval",
                condition=Q(extension_months=0) | Q(extension_approved_on__isnull=False),
            ),
            models.CheckConstraint(
                name="term_years_between_1_and_10", condition=Q(term_years__gte=1, term_years__lte=10)
            ),
            models.CheckConstraint(
                name="term_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.organization} {self.started_on:%Y}届"

    @property
    def expires_on(self) -> datetime.date:
        return term_rules.expiry(self)  # with the approved extension

    @property
    def is_current(self):
        return self.ended_on is None

    def days_to_expiry(self, today: datetime.date) -> int:
        return (self.expires_on - today).days


class CommitteePosition(models.Model):
    class Role(models.TextChoices):
        SECRETARY = "secretary", _("书记")
        DEPUTY_SECRETARY = "deputy_secretary", _("副书记")
        ORGANIZATION = "organization", _("组织委员")
        PROPAGANDA = "propaganda", _("宣传委员")
        DISCIPLINE = "discipline", _("纪检委员")
        YOUTH = "youth", _("青年委员")
        MEMBER = "member", _("委员")

    term = models.ForeignKey(CommitteeTerm, verbose_name=_("届次"), on_delete=models.CASCADE, related_name="positions")
    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="positions")
    role = models.CharField(_("职务"), max_length=20, choices=Role.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("委员职务")
        verbose_name_plural = _("委员职务")
        ordering = ["term_id", "role"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member"], name="position_member_once_per_term"),
            models.UniqueConstraint(
                fields=["term", "role"],
                condition=Q(role="secretary"),
                name="position_one_secretary_per_term",
            ),
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.member}"


class ElectionStep(models.Model):
    """换届 procedure, one dated record per step (DOMAIN.md "Terms and 换届")."""

    class Step(models.TextChoices):
        DECISION = "decision", _("支委会研究决定换届")
        REQUEST = "request", _("向上级党组织请示")
        REQUEST_APPROVED = "request_approved", _("上级批复同意换届")
        NOMINATION = "nomination", _("推荐提名候选人")
        CANDIDATES_APPROVED = "candidates_approved", _("上级批复候选人名单")
        ELECTION = "election", _("党员大会选举")
        FIRST_MEETING = "first_meeting", _("首次支委会选举书记、副书记")
        RESULT_APPROVED = "result_approved", _("选举结果报批")

    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="election_steps",
    )
    outgoing_term = models.ForeignKey(
        CommitteeTerm,
        verbose_name=_("届满的届次"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="election_steps",
    )
    step = models.CharField(_("步骤"), max_length=30, choices=Step.choices)
    done_on = models.DateField(_("完成日期"))
    eligible_voters = models.PositiveIntegerField(_("应到有选举权党员"), null=True, blank=True)
    present_voters = models.PositiveIntegerField(_("实到有选举权党员"), null=True, blank=True)
    seats = models.PositiveIntegerField(_("应选名额"), null=True, blank=True)
    candidates = models.PositiveIntegerField(_("候选人数"), null=True, blank=True)
    note = models.CharField(_("说明/文号"), max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("换届程序记录")
        verbose_name_plural = _("换届程序记录")
        ordering = ["organization_id", "done_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["outgoing_term", "step"], name="election_step_once_per_term"),
        ]

    def __str__(self):
        return f"{self.organization} {self.get_step_display()} {self.done_on}"
