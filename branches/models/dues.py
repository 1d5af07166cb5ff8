"""The 党费 ledger: one row per member and month (the rules are in branches/dues/rules.py)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .members import Member
from .organizations import Organization


class DuesPayment(models.Model):
    """党费: one row per member and month. The amount due is computed from the base and the 中组部 brackets
    by branches.dues when the row is written, and kept, so later rule changes do not rewrite the past."""

    member = models.ForeignKey(Member, verbose_name=_("党员"), on_delete=models.PROTECT, related_name="dues_payments")
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("党支部"),
        on_delete=models.PROTECT,
        related_name="dues_payments",
    )
    month = models.DateField(_("所属月份"), help_text=_("该月1日"))
    base = models.DecimalField(_("计算基数"), max_digits=10, decimal_places=2)
    rate = models.DecimalField(_("交纳比例"), max_digits=6, decimal_places=4)
    amount_due = models.DecimalField(_("应交金额"), max_digits=10, decimal_places=2)
    amount_paid = models.DecimalField(_("实交金额"), max_digits=10, decimal_places=2, default=0)
    paid_on = models.DateField(_("交纳日期"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("党费交纳")
        verbose_name_plural = _("党费交纳")
        ordering = ["member_id", "month"]
        indexes = [models.Index(fields=["organization", "month"], name="dues_org_month_idx")]
        constraints = [
            models.UniqueConstraint(fields=["member", "month"], name="dues_once_per_member_month"),
            models.CheckConstraint(
                name="dues_amounts_not_negative", condition=Q(amount_due__gte=0, amount_paid__gte=0)
            ),
            models.CheckConstraint(
                name="dues_paid_has_date",
                condition=Q(amount_paid=0) | Q(paid_on__isnull=False),
            ),
            models.CheckConstraint(name="dues_month_is_first_day", condition=Q(month__day=1)),
        ]

    def __str__(self):
        return f"{self.member} {self.month:%Y-%m}"
