"""A member's standing as dated periods (DOMAIN.md "Standing of members"): 停止党籍 and 留党察看 each hold from a day
to a day, so a past roll, a past quorum's 应到, a past month's dues and a past period's coverage use the standing on
that day (branches/standing.py is the one rule). Member.status and Member.disciplinary_probation are today's values,
kept by the services (branches/services.py member_update)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .. import standing
from .members import Member


class StandingPeriodQuerySet(models.QuerySet):
    def on(self, day):
        """The periods in force on `day` (half-open [started_on, ended_on), like Membership)."""
        return self.filter(standing.belongs_on_q(day))


class StandingPeriod(models.Model):
    class Kind(models.TextChoices):
        SUSPENDED = standing.SUSPENDED, _("停止党籍")
        PROBATION = standing.PROBATION, _("留党察看")

    member = models.ForeignKey(
        Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="standing_periods"
    )
    kind = models.CharField(_("类别"), max_length=20, choices=Kind.choices)
    started_on = models.DateField(_("起始日期"))
    ended_on = models.DateField(_("终止日期"), null=True, blank=True, help_text=_("当日起恢复(不含当日)"))
    note = models.CharField(_("说明/文号"), max_length=200, blank=True)

    history = HistoricalRecords()
    objects = StandingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("党籍状态期间")
        verbose_name_plural = _("党籍状态期间")
        ordering = ["member_id", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"], condition=Q(ended_on__isnull=True), name="standing_one_open_per_kind"
            ),
            models.CheckConstraint(
                name="standing_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
            ),
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()} {self.started_on}"
