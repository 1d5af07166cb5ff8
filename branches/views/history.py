"""The audit trail shown on organization, member and term pages (django-simple-history records)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models

from ..models import Member
from ..people import display_name

HISTORY_LIMIT = 20
_HISTORY_HIDDEN = {"path", "depth", "numchild", "created_at", "updated_at"}
_ACTIONS = {"+": "新建", "~": "修改", "-": "删除"}


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class AuditEntry:
    when: datetime.datetime
    who: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)


def audit_history(sources, *, show_id_number: bool, limit: int = HISTORY_LIMIT) -> list[AuditEntry]:
    """The newest `limit` changes over several history querysets, each with the fields it changed.

    sources: (subject label, history queryset, fields summarised on creation). One query per source, plus one
    per related model to name the foreign keys; diff_against compares two records in memory.
    """
    pending = []  # (subject, record, previous, summary fields)
    for subject, queryset, summary in sources:
        records = list(queryset.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
        previous_of = {}
        last_seen = {}
        for record in reversed(records):  # oldest first: link each record to the state before it
            previous_of[record.history_id] = last_seen.get(record.id)
            last_seen[record.id] = record
        pending += [(subject, r, previous_of[r.history_id], summary) for r in records[:limit]]
    pending.sort(key=lambda p: p[1].history_date, reverse=True)
    pending = pending[:limit]

    raw = []  # (entry, [(model field, old, new)])
    for subject, record, previous, summary in pending:
        model = record.instance_type
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, excluded_fields=_HISTORY_HIDDEN)
            pairs = [(model._meta.get_field(c.field), c.old, c.new) for c in delta.changes]
        elif record.history_type == "+":
            pairs = [
                (model._meta.get_field(n), None, getattr(record, model._meta.get_field(n).attname)) for n in summary
            ]
        else:
            pairs = []
        user = record.history_user
        who = display_name(user)
        raw.append((AuditEntry(record.history_date, who, _ACTIONS.get(record.history_type, ""), subject), pairs))

    names = _foreign_key_names(pair for _e, pairs in raw for pair in pairs)
    for entry, pairs in raw:
        entry.changes = [
            Change(str(f.verbose_name), _shown(f, old, names, show_id_number), _shown(f, new, names, show_id_number))
            for f, old, new in pairs
        ]
    return [entry for entry, _pairs in raw]


def _foreign_key_names(pairs) -> dict:
    wanted = defaultdict(set)
    for f, old, new in pairs:
        if f.is_relation:
            wanted[f.related_model] |= {v for v in (old, new) if v is not None}
    return {
        (related, pk): str(obj)
        for related, pks in wanted.items()
        for pk, obj in related._base_manager.in_bulk(list(pks)).items()
    }


def _shown(f, value, names: dict, show_id_number: bool) -> str:
    if value is None or value == "":
        return "(空)"
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value}(已删除)")
    if f.name == "id_number" and not show_id_number:
        return Member(id_number=value).masked_id_number
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)
