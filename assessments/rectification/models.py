"""整改事项 (rectification items): a problem found (by an inspection or in the data) and its way to 销号.

DOMAIN.md "观摩, 督查 and 整改": a confirmed problem becomes an item assigned to the organization with a deadline and
the responsible person; the organization reports its measures and evidence; the committee verifies and closes it or
sends it back with a reason. Everything is dated and kept: an item is never deleted, each step is an Event.

proposed → open (confirmed) | dismissed;  open → reported → closed | returned;  returned → reported → ...
"""

import os
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organization

__all__ = ["RectificationEvent", "RectificationEvidence", "RectificationItem"]


class RectificationItemQuerySet(models.QuerySet):
    def with_parties(self):
        return self.select_related("organization", "committee", "responsible_member")

    def under(self, organization):
        return self.filter(organization__path__startswith=organization.path)

    def live(self):
        """Confirmed and not yet closed: what the organization still has to do."""
        return self.filter(state__in=RectificationItem.LIVE_STATES)

    def overdue(self, today):
        return self.live().filter(deadline__lt=today)


class RectificationItem(models.Model):
    class State(models.TextChoices):
        PROPOSED = "proposed", _("待确认")
        DISMISSED = "dismissed", _("不予确认")
        OPEN = "open", _("整改中")
        REPORTED = "reported", _("已报告待核验")
        RETURNED = "returned", _("退回重改")
        CLOSED = "closed", _("已销号")

    class Origin(models.TextChoices):
        INSPECTION = "inspection", _("观摩督查发现")
        DATA = "data", _("数据比对发现")
        OTHER = "other", _("其他")

    LIVE_STATES = (State.OPEN, State.REPORTED, State.RETURNED)

    organization = models.ForeignKey(
        Organization, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="rectification_items"
    )
    committee = models.ForeignKey(
        Organization, verbose_name=_("督办单位"), on_delete=models.PROTECT, related_name="rectification_supervised"
    )
    origin = models.CharField(_("问题来源"), max_length=20, choices=Origin.choices, default=Origin.OTHER)
    # A proposal from the data is proposed once: "<kind>:<organization code>:<period>" (proposals.py).
    source_key = models.CharField(_("来源标识"), max_length=120, blank=True)
    round = models.ForeignKey(
        "assessments.InspectionRound",
        verbose_name=_("观摩督查"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    title = models.CharField(_("问题"), max_length=200)
    description = models.TextField(_("问题描述"), blank=True)
    state = models.CharField(_("状态"), max_length=20, choices=State.choices, default=State.PROPOSED)
    deadline = models.DateField(_("整改时限"), null=True, blank=True)
    responsible_member = models.ForeignKey(
        Member,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rectification_items",
    )
    responsible_text = models.CharField(_("责任人(文字)"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reported_at = models.DateTimeField(_("最近报告时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)

    objects = RectificationItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["organization", "state"], name="rect_org_state_idx")]
        constraints = [
            models.CheckConstraint(
                name="rect_live_has_deadline",
                condition=Q(state__in=["proposed", "dismissed"]) | Q(deadline__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["committee", "source_key"], condition=~Q(source_key=""), name="rect_proposed_once"
            ),
        ]

    def __str__(self):
        return f"{self.organization.name}:{self.title}"

    @property
    def responsible(self) -> str:
        return self.responsible_member.name if self.responsible_member_id else self.responsible_text

    def is_overdue(self, today) -> bool:
        return self.state in self.LIVE_STATES and self.deadline is not None and self.deadline < today


class RectificationEvent(models.Model):
    """One dated step: proposed, confirmed, dismissed, reported (measures), returned (reason), closed."""

    class Action(models.TextChoices):
        PROPOSE = "propose", _("提出")
        CONFIRM = "confirm", _("确认")
        DISMISS = "dismiss", _("不予确认")
        REPORT = "report", _("报告整改情况")
        RETURN = "return", _("退回")
        CLOSE = "close", _("核验销号")

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="events"
    )
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices)
    note = models.TextField(_("说明"), blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("整改记录")
        verbose_name_plural = _("整改记录")
        ordering = ["item_id", "at", "id"]

    def __str__(self):
        return f"{self.item_id} {self.get_action_display()}"


def evidence_path(instance, filename):
    """Our own random name: the client's file name is never used for the path."""
    return f"rectification/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class RectificationEvidence(models.Model):
    event = models.ForeignKey(
        RectificationEvent, verbose_name=_("整改报告"), on_delete=models.PROTECT, related_name="evidence"
    )
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=150)
    size = models.PositiveIntegerField(_("大小"))
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改佐证")
        verbose_name_plural = _("整改佐证")
        ordering = ["event_id", "id"]

    def __str__(self):
        return self.original_name
