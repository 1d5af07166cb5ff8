"""The reads of a 党员大会's votes: its voters (from the attendance) and its resolutions with their outcome."""

from dataclasses import dataclass

from ..models import Attendance, Meeting, Resolution
from .rules import has_vote, resolution_passed


@dataclass(frozen=True)
class Voters:
    expected: int  # 应到会有表决权的党员
    present: int  # 实到


def voters(meeting: Meeting) -> Voters:
    """应到 and 实到 voters, counted from the meeting's attendance (never typed)."""
    rows = Attendance.objects.filter(meeting=meeting).select_related("member")
    voting = [row for row in rows if has_vote(row.member, meeting.date)]
    return Voters(len(voting), sum(1 for row in voting if row.present))


@dataclass(frozen=True)
class ResolutionRow:
    resolution: Resolution
    passed: bool


def resolutions(meeting: Meeting) -> list[ResolutionRow]:
    """The meeting's resolutions, each with 通过/未通过 (one query, plus one for the voters when there are any)."""
    found = list(meeting.voted_resolutions.all())
    if not found:
        return []
    expected = voters(meeting).expected
    return [ResolutionRow(r, resolution_passed(votes_for=r.votes_for, voting_expected=expected)) for r in found]
