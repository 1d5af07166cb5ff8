"""The fields of a meeting record and how meetings/services.py writes them: which fields a plan, a record and an
amendment may set, the member checks of 主持人/记录人/授课人, the 议题 (agenda) rows, the validated save, and a field as
the text an amendment stores. No transaction or lock of its own: the services call these under the meeting's lock.
"""

import datetime

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from branches.models import Member, Organization

from .models import AgendaItem, Meeting

PLAN_FIELDS = ("date", "start_time", "end_time", "place", "topic", "host", "host_role", "recorder", "lecturer")
RECORD_FIELDS = (
    "lecturer_name",
    "first_topic",
    "content",
    "votes",
    "resolutions",
    "open_items",
    "non_member_attendees",
)
EDITABLE_FIELDS = PLAN_FIELDS + RECORD_FIELDS
# What an amendment may correct: the record's facts, written as text (a member as their name).
AMENDABLE_FIELDS = EDITABLE_FIELDS
MEMBER_FIELDS = ("host", "recorder", "lecturer")


_ORGANIZATION = Member._meta.get_field("organization")


def check_members(meeting: Meeting, names) -> None:
    """主持人/记录人/授课人 come from the organization's own subtree (an outside lecturer is typed by name).

    Only the fields being set are checked (a member checked when chosen stays valid for the record), with the
    members' tree paths read in at most one query when the caller did not load them."""
    chosen = {name: getattr(meeting, name) for name in names if name in MEMBER_FIELDS}
    chosen = {name: member for name, member in chosen.items() if member is not None}
    missing = {m.organization_id for m in chosen.values() if not _ORGANIZATION.is_cached(m)}
    paths = dict(Organization.objects.filter(pk__in=missing).values_list("pk", "path")) if missing else {}
    errors = {}
    for name, member in chosen.items():
        path = member.organization.path if _ORGANIZATION.is_cached(member) else paths.get(member.organization_id, "")
        if not path.startswith(meeting.organization.path):
            errors[name] = f"{member.name} 不是本组织党员。"
    if errors:
        raise ValidationError(errors)


def set_fields(meeting: Meeting, fields: dict) -> None:
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改这些字段:{', '.join(sorted(unknown))}")
    for name, value in fields.items():
        if isinstance(value, str):
            value = value.strip()
        setattr(meeting, name, value)
    meeting.first_topic_flag = bool(meeting.first_topic)


def current_agenda(meeting: Meeting) -> list[AgendaItem]:
    """The stored 议题, read once under the meeting's lock (never from a prefetch made before the lock)."""
    return list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))


def other_titles(items: list[AgendaItem]) -> list[str]:
    return [item.title for item in items if not item.is_first_topic]


def set_agenda(meeting: Meeting, agenda: list[str] | None, current: list[AgendaItem]) -> None:
    """The 第一议题 is item 1 (flagged) when given; the other 议题 follow in order. `current` is what is stored:
    an unchanged agenda writes nothing (no delete, no history rows)."""
    titles = [t.strip() for t in (agenda or []) if t and t.strip()]
    items = []
    if meeting.first_topic:
        items.append(AgendaItem(meeting=meeting, order=1, title=meeting.first_topic, is_first_topic=True))
    items += [AgendaItem(meeting=meeting, order=len(items) + i + 1, title=t) for i, t in enumerate(titles)]
    if [(i.order, i.title, i.is_first_topic) for i in items] == [(i.order, i.title, i.is_first_topic) for i in current]:
        return
    for item in items:
        item.full_clean(exclude=["meeting"])
    if current:
        AgendaItem.objects.filter(meeting=meeting).delete()
    bulk_create_with_history(items, AgendaItem)
    getattr(meeting, "_prefetched_objects_cache", {}).pop("agenda_items", None)


# Foreign keys hold instances the caller already loaded (through an access helper, a form or the service
# itself): full_clean() would re-select each one. Check constraints are enforced by the database; validating them
# in Python costs a savepoint and a SELECT each (15 queries a save). Together these were half the queries of
# logging a meeting (issue 6 point 7), so the one constraint user input can break is checked here instead.
_FOREIGN_KEYS = ("organization", "group", "host", "recorder", "lecturer", "created_by", "archived_by")


def save_checked(meeting: Meeting, user, changed=MEMBER_FIELDS) -> Meeting:
    """Validate and save; `changed`: the field names set by this call (their members are checked)."""
    meeting._history_user = user
    meeting.full_clean(exclude=_FOREIGN_KEYS, validate_constraints=False)
    if meeting.start_time and meeting.end_time and meeting.end_time < meeting.start_time:
        raise ValidationError({"end_time": "结束时间不能早于开始时间。"})
    check_members(meeting, changed)
    meeting.save()
    return meeting


def field_text(meeting: Meeting, name: str) -> str:
    value = getattr(meeting, name)
    if value is None:
        return ""
    if name in MEMBER_FIELDS:
        return value.name
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)
