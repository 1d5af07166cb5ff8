"""Reads of meetings: each function owns its select_related/prefetch_related so page query counts stay flat.

Access: `get_meeting_for_user` is the one helper per object (views and the API): outsiders 404, read-only 403.
"""

import calendar
import datetime

from django.db.models import Prefetch, Q
from django.http import Http404

from branches import standing
from branches.access import check_organization, grants, visible_organizations_q
from branches.models import Member, Organization

from .attendance import quorum
from .completeness import gaps_of
from .models import AgendaItem, Attendance, Meeting

_RELATED = ("organization", "group", "host", "recorder", "lecturer")


def get_meeting_for_user(user, pk, *, write: bool = False) -> Meeting:
    meeting = Meeting.objects.with_counts().select_related(*_RELATED, "organization__enterprise").filter(pk=pk).first()
    if meeting is None:
        raise Http404("没有找到该会议。")
    check_organization(user, meeting.organization, write=write)
    return meeting


def meeting_list(
    user,
    *,
    organization: Organization | None = None,
    under: Organization | None = None,
    kind: str = "",
    status: str = "",
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
    search: str = "",
):
    """Meetings the user may see, newest first, with 应到/实到 counted in the same query. The caller has checked
    access to `organization` / `under` (so an outsider's code gives 404, not an empty list)."""
    qs = (
        Meeting.objects.filter(visible_organizations_q(user, "organization__"))
        .with_counts()
        .select_related(*_RELATED)
        .order_by("-date", "-id")
    )
    if organization is not None:
        qs = qs.filter(organization=organization)
    if under is not None:
        qs = qs.filter(organization__path__startswith=under.path)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if date_from:
        qs = qs.filter(date__gte=date_from)
    if date_to:
        qs = qs.filter(date__lte=date_to)
    if search:
        qs = qs.filter(
            Q(topic__icontains=search)
            | Q(place__icontains=search)
            | Q(organization__name__icontains=search)
            | Q(first_topic__icontains=search)
        )
    return qs


def attendance_rows(meeting: Meeting):
    """The roll, each member with the standing periods (has_vote on the meeting date: branches/standing.py)."""
    rows = list(
        Attendance.objects.filter(meeting=meeting)
        .select_related("member")
        .annotate(has_standing=standing.standing_flag("member__"))
        .order_by("present", "member__name", "member_id")
    )
    for row in rows:
        row.member.has_standing = row.has_standing
    standing.attach_periods(row.member for row in rows)
    return rows


def meeting_detail(meeting: Meeting) -> dict:
    """Everything the meeting page shows, in a fixed number of queries."""
    rows = attendance_rows(meeting)
    agenda = list(meeting.agenda_items.order_by("order"))
    roll = [(r.present, r.absence_reason) for r in rows]
    return {
        "attendance": rows,
        "absentees": [r for r in rows if not r.present],
        "agenda": agenda,
        # What a held record still lacks before 归档 (the archive refuses it the same way), from what is read here.
        "archive_gaps": gaps_of(meeting, has_agenda=bool(agenda), roll=roll) if meeting.is_held else {},
        "attachments": list(meeting.attachments.select_related("uploaded_by")),
        "amendments": list(meeting.amendments.select_related("created_by").order_by("created_at", "id")),
        "history": list(meeting.history.select_related("history_user").order_by("-history_date")[:20]),
        "quorum": quorum(meeting),
    }


def organization_members(organization: Organization):
    """Members of the organization's subtree: choices for 主持人/记录人/授课人."""
    return (
        Member.objects.filter(organization__path__startswith=organization.path)
        .in_good_standing()
        .select_related("organization")
        .order_by("name", "pk")
    )


def default_organization(user) -> Organization | None:
    """The organization a user works in first: the one of their first role (the root for an administrator)."""
    paths = [path for path, _a, _k in grants(user)]
    if not paths:
        return None
    if paths[0] == "":
        return Organization.objects.filter(depth=1).order_by("path").first()
    return Organization.objects.filter(path=paths[0]).first()


def month_weeks(year: int, month: int) -> list[list[datetime.date | None]]:
    """Weeks of a month, Monday first; days outside the month are None."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    return [[d if d.month == month else None for d in week] for week in weeks]


def calendar_meetings(user, *, organization: Organization | None, start: datetime.date, end: datetime.date):
    """Meetings between two dates in one query: the organization's subtree, or everything the user may see."""
    qs = (
        Meeting.objects.filter(visible_organizations_q(user, "organization__"), date__gte=start, date__lte=end)
        .select_related("organization", "group")
        .order_by("date", "start_time", "id")
    )
    if organization is not None:
        qs = qs.filter(organization__path__startswith=organization.path)
    return list(qs)


def recent_meetings(organization: Organization, *, limit: int = 5):
    return list(
        Meeting.objects.filter(organization__path__startswith=organization.path)
        .with_counts()
        .select_related("organization", "group")
        .order_by("-date", "-id")[:limit]
    )


def meeting_api_rows(queryset):
    """The API's meeting rows with their agenda in order: one more query for any number of meetings."""
    return queryset.prefetch_related(Prefetch("agenda_items", queryset=AgendaItem.objects.order_by("order")))


# ---------------------------------------------------------------- the calendar of a committee or SASAC


def calendar_is_summary(user, organization: Organization | None) -> bool:
    """A committee's or SASAC's calendar counts meetings per day and kind instead of listing every branch's meeting:
    the scope is above a branch (the organization given, or the user's first organization)."""
    scope = organization or default_organization(user)
    return scope is not None and scope.kind not in (Organization.Kind.BRANCH, Organization.Kind.GROUP)


def calendar_day_counts(meetings) -> dict:
    """{day: [(kind label, held, planned, [meetings of that kind])]}: a day's meetings by kind, for the summary
    calendar (the branches are named on demand). Held counts 已召开 and 已归档."""
    by_day: dict = {}
    for meeting in meetings:
        kinds = by_day.setdefault(meeting.date, {})
        entry = kinds.setdefault(meeting.kind, [meeting.kind_enum.short, 0, 0, []])
        entry[1 if meeting.status != Meeting.Status.PLANNED else 2] += 1
        entry[3].append(meeting)
    order = Meeting.Kind.values
    return {day: [tuple(kinds[k]) for k in sorted(kinds, key=order.index)] for day, kinds in by_day.items()}


def subtree_choices(user) -> list[tuple[str, str]]:
    """(code, name) of the organizations above branch level the user may see, in tree order: the calendar's
    subtree filter (a select, not a code to type)."""
    return list(
        Organization.objects.filter(visible_organizations_q(user))
        .exclude(kind__in=(Organization.Kind.BRANCH, Organization.Kind.GROUP))
        .active()
        .order_by("path")
        .values_list("code", "name")[:300]
    )
