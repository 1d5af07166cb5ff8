"""Every change to 整改事项: propose, confirm or dismiss, report (measures + evidence), send back, close (销号).

DOMAIN.md "观摩, 督查 and 整改". Each step is an Event (dated, with its user and text); nothing is deleted.
The verifying committee is a strict ancestor of the organization, so nobody verifies their own organization's item:
closing, sending back, confirming and dismissing need write access on the committee (checked here too, not only by
the page), and an item is closed only after a report.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from branches.access import Access, organization_access
from branches.models import Member, Organization
from meetings import uploads

from ..inspections import access as runners
from .models import RectificationEvent, RectificationEvidence, RectificationItem

S = RectificationItem.State
A = RectificationEvent.Action


def _lock(item: RectificationItem) -> RectificationItem:
    RectificationItem.objects.select_for_update().filter(pk=item.pk).values_list("pk").first()
    item.refresh_from_db()
    return item


def _require(item: RectificationItem, *allowed: str, action: str) -> None:
    if item.state not in allowed:
        raise ValidationError(f"整改事项当前状态为“{item.get_state_display()}”,不能{action}。")


def _event(item, action, user, note="") -> RectificationEvent:
    return RectificationEvent.objects.create(item=item, action=action, user=user, note=note, at=timezone.now())


def _text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


def may_verify(user, item: RectificationItem) -> bool:
    """The committee (write on it) verifies; so does SASAC for the problems its own rounds found (the exception of
    inspections/access.py); a secretary of the item's organization never does."""
    if organization_access(user, item.committee) == Access.WRITE:
        return True
    return item.round_id is not None and runners.is_sasac_runner(user, item.committee)


def check_verifier(item: RectificationItem, user) -> None:
    """Only the committee verifies: a secretary (or anyone whose role is on the item's own organization) may not."""
    if user is not None and not may_verify(user, item):
        raise ValidationError("只有督办党组织可以确认、核验或退回整改事项,不能核验本单位的整改事项。")


@transaction.atomic
def item_propose(
    *,
    organization: Organization,
    committee: Organization,
    title: str,
    description: str = "",
    origin: str = RectificationItem.Origin.OTHER,
    source_key: str = "",
    round=None,
    user=None,
) -> RectificationItem:
    """A problem found (by an inspector, from the data, or typed by the committee) waits for the committee."""
    if not (organization.path.startswith(committee.path) and organization.path != committee.path):
        raise ValidationError("督办单位应为整改单位的上级党组织。")
    title = _text(title, "title", "请填写问题。")[:200]
    item = RectificationItem.objects.create(
        organization=organization,
        committee=committee,
        title=title,
        description=(description or "").strip(),
        origin=origin,
        source_key=source_key,
        round=round,
        created_by=user,
    )
    _event(item, A.PROPOSE, user, item.get_origin_display())
    return item


@transaction.atomic
def item_confirm(
    *,
    item: RectificationItem,
    deadline: datetime.date,
    responsible_member: Member | None = None,
    responsible_text: str = "",
    user=None,
    today: datetime.date | None = None,
) -> RectificationItem:
    """确认: the problem becomes an item to fix, with a deadline and the responsible person (a member or a name)."""
    item = _lock(item)
    _require(item, S.PROPOSED, action="确认")
    check_verifier(item, user)
    today = today or timezone.localdate()
    if deadline is None or deadline < today:
        raise ValidationError({"deadline": "整改时限不能早于今天。"})
    if responsible_member is not None and responsible_member.organization_id != item.organization_id:
        raise ValidationError({"responsible_member": "责任人应为整改单位的党员。"})
    responsible_text = (responsible_text or "").strip()[:100]
    if responsible_member is None and not responsible_text:
        raise ValidationError({"responsible_text": "请指定责任人。"})
    item.state, item.deadline, item.confirmed_at = S.OPEN, deadline, timezone.now()
    item.responsible_member, item.responsible_text = responsible_member, responsible_text
    item.save(update_fields=["state", "deadline", "confirmed_at", "responsible_member", "responsible_text"])
    _event(item, A.CONFIRM, user, f"整改时限 {deadline:%Y-%m-%d},责任人 {item.responsible}")
    return item


@transaction.atomic
def item_dismiss(*, item: RectificationItem, reason: str, user=None) -> RectificationItem:
    item = _lock(item)
    _require(item, S.PROPOSED, action="不予确认")
    check_verifier(item, user)
    reason = _text(reason, "reason", "请说明不予确认的理由。")
    item.state = S.DISMISSED
    item.save(update_fields=["state"])
    _event(item, A.DISMISS, user, reason)
    return item


@transaction.atomic
def item_report(*, item: RectificationItem, measures: str, files=(), user=None) -> RectificationItem:
    """The organization reports its measures, with evidence (JPG/PNG/PDF, the checks of meeting attachments)."""
    item = _lock(item)
    _require(item, S.OPEN, S.RETURNED, action="报告整改情况")
    measures = _text(measures, "measures", "请填写整改措施和成效。")
    checked = [(file, *uploads.checked_file(file)) for file in files]
    event = _event(item, A.REPORT, user, measures)
    for file, original, ext in checked:
        evidence = RectificationEvidence(event=event, original_name=original[-150:], size=file.size)
        evidence.file.save(f"upload{ext}", file, save=False)
        evidence.save()
    item.state, item.reported_at = S.REPORTED, event.at
    item.save(update_fields=["state", "reported_at"])
    return item


@transaction.atomic
def item_return(*, item: RectificationItem, reason: str, user=None) -> RectificationItem:
    """退回: the committee sends the report back with its reason; the organization reports again."""
    item = _lock(item)
    _require(item, S.REPORTED, action="退回")
    check_verifier(item, user)
    reason = _text(reason, "reason", "请填写退回理由。")
    item.state = S.RETURNED
    item.save(update_fields=["state"])
    _event(item, A.RETURN, user, reason)
    return item


@transaction.atomic
def item_close(*, item: RectificationItem, note: str = "", user=None) -> RectificationItem:
    """销号: only a reported item, by the committee."""
    item = _lock(item)
    if item.state in (S.OPEN, S.RETURNED):
        raise ValidationError("整改单位尚未报告整改情况,不能销号。")
    _require(item, S.REPORTED, action="销号")
    check_verifier(item, user)
    item.state, item.closed_at = S.CLOSED, timezone.now()
    item.save(update_fields=["state", "closed_at"])
    _event(item, A.CLOSE, user, (note or "").strip() or "核验通过,予以销号")
    return item
