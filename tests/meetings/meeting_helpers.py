"""Helpers shared by the meeting tests (the cast and the tree come from tests/conftest.py)."""

import datetime

from meetings import services
from meetings.models import Meeting

K = Meeting.Kind
PAST = datetime.date(2025, 3, 10)


def plan(tree, kind=K.BRANCH_ASSEMBLY, *, date=PAST, organization=None, group=None, topic="会议", user=None, **fields):
    return services.meeting_plan(
        organization=organization or tree.branch_a,
        kind=kind,
        date=date,
        topic=topic,
        group=group,
        user=user,
        **fields,
    )


def absent(*members, reason="leave"):
    return {m.pk: (reason, "") for m in members}


def hold(meeting, *, absentees=(), resolutions="", content="学习讨论", user=None, **fields):
    return services.meeting_hold(
        meeting=meeting, absent=absent(*absentees), resolutions=resolutions, content=content, user=user, **fields
    )


def complete(members, **fields) -> dict:
    """What a held record needs besides its content to pass the archive's completeness check (the pages and the API
    archive with complete=True): a recorder and, on a 支委会/党员大会, the 第一议题."""
    return {"recorder": members.a[1], "first_topic": "学习贯彻上级精神", **fields}


def archived(tree, kind=K.BRANCH_ASSEMBLY, **kwargs):
    meeting = hold(plan(tree, kind, **kwargs))
    return services.meeting_archive(meeting=meeting, user=None)
