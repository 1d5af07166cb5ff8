"""The reads of a 党员大会's votes: its voters (from the attendance) and its resolutions with their outcome."""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404

from branches import standing
from branches.access import check_organization, visible_organizations_q

from ..models import Attendance, Election, ElectionCandidate, Meeting, Resolution
from .rules import has_vote, resolution_passed


def _with_standing(rows) -> list[Attendance]:
    """The rows with their members and the standing periods of those who have any (one more query, none when nobody
    has one): has_vote judges the meeting date by them (branches/standing.py)."""
    rows = list(rows.select_related("member").annotate(has_standing=standing.standing_flag("member__")))
    for row in rows:
        row.member.has_standing = row.has_standing
    standing.attach_periods(row.member for row in rows)
    return rows


@dataclass(frozen=True)
class Voters:
    expected: int  # 应到会有表决权的党员
    present: int  # 实到


def voters(meeting: Meeting) -> Voters:
    """应到 and 实到 voters, counted from the meeting's attendance (never typed), each judged on the meeting date by
    the standing periods (branches/standing.py: 停止党籍 or 留党察看 that day has no vote)."""
    rows = _with_standing(Attendance.objects.filter(meeting=meeting))
    voting = [row for row in rows if has_vote(row.member, meeting.date)]
    return Voters(len(voting), sum(1 for row in voting if row.present))


@dataclass(frozen=True)
class ResolutionRow:
    resolution: Resolution
    passed: bool


def resolutions(meeting: Meeting) -> list[ResolutionRow]:
    """The meeting's resolutions, each with 通过/未通过 (one query, plus one for the voters when there are any, and one when some of them have standing periods)."""
    found = list(meeting.voted_resolutions.all())
    if not found:
        return []
    expected = voters(meeting).expected
    return [ResolutionRow(r, resolution_passed(votes_for=r.votes_for, voting_expected=expected)) for r in found]


def voting_expected_by_meeting(meetings) -> dict[int, Voters]:
    """Voters (应到, 实到) of several meetings, from their attendance in one query (two when some have standing periods) (the API's lists)."""
    by_pk = {meeting.pk: meeting for meeting in meetings}
    counts = {pk: [0, 0] for pk in by_pk}
    for row in _with_standing(Attendance.objects.filter(meeting_id__in=by_pk)):
        if has_vote(row.member, by_pk[row.meeting_id].date):
            counts[row.meeting_id][0] += 1
            counts[row.meeting_id][1] += row.present
    return {pk: Voters(expected, present) for pk, (expected, present) in counts.items()}


def resolution_queryset():
    return Resolution.objects.select_related("meeting__organization")


def resolution_list(user):
    return (
        resolution_queryset()
        .filter(visible_organizations_q(user, "meeting__organization__"))
        .order_by("-meeting__date", "-id")
    )


def get_resolution_for_user(user, pk, *, write: bool = False) -> Resolution:
    resolution = resolution_queryset().filter(pk=pk).first()
    if resolution is None:
        raise Http404("没有找到该表决事项。")
    check_organization(user, resolution.meeting.organization, write=write)
    return resolution


def election_queryset():
    return Election.objects.select_related("meeting__organization", "step").prefetch_related(
        Prefetch("candidates", queryset=ElectionCandidate.objects.select_related("member").order_by("-votes", "id"))
    )


def election_list(user):
    return (
        election_queryset()
        .filter(visible_organizations_q(user, "meeting__organization__"))
        .order_by("-meeting__date", "-id")
    )


def get_election_for_user(user, pk, *, write: bool = False) -> Election:
    election = election_queryset().filter(pk=pk).first()
    if election is None:
        raise Http404("没有找到该选举记录。")
    check_organization(user, election.meeting.organization, write=write)
    return election
