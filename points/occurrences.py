"""The facts of the records that earn or cost points (points/selectors.py turns them into points): one query a
record kind, whatever the number of members and months.

- attendance: present at a held (or archived) meeting of the kind; 无故缺席: absent with the reason 无故 (请假, 因公,
  病假 cost nothing);
- lecture: the 授课人 of a held 党课; group_leader: the 主持人 of a held 党小组会 (the 党小组长 leads it);
- talk: the 谈话人 or a 谈话对象 of a 谈心谈话 record;
- dues: a month settled (branches/dues/rules.settled_q: paid in full) and paid by the month's last day (按时);
- committee: a month whose last day falls in a term where the member holds a position (支部委员);
- contact / introducer: named 培养联系人 (step 5) or 入党介绍人 (step 9) on a recruitment step;
- manual: approved manual items only.

All kinds come in ONE query (UNION ALL of one SELECT a kind, with the same columns), so every page that shows
points costs the same few queries whatever it shows.
"""

import datetime
from collections import defaultdict

from django.db.models import CharField, DateField, F, IntegerField, Q, Value
from django.db.models.functions import Cast
from django.urls import reverse

from branches.dues.rules import settled_q
from branches.models import CommitteePosition, DuesPayment, Membership
from common.periods import month_end
from meetings.models import Attendance, Meeting, Talk
from recruitment.models import Step

from .derivation import Occurrence
from .models import ManualItem, Rule

K = Meeting.Kind
S = Rule.Source
CONTACT_STEP, INTRODUCER_STEP = 5, 9  # recruitment: 确定培养联系人, 确定入党介绍人


COLUMNS = ("p_src", "p_member", "p_day", "p_day2", "p_kind", "p_text", "p_ref", "p_code", "p_extra")


def _columns(qs, *, src, member, day, day2=None, kind=None, text=None, ref, code=None, extra=None):
    """One SELECT of the union: the same nine columns for every record kind (NULL or "" where a kind has none)."""

    def text_or(value):
        return F(value) if value else Value("", output_field=CharField())

    return (
        qs.order_by()
        .annotate(
            p_src=Value(src, output_field=CharField()),
            p_member=F(member),
            p_day=F(day),
            p_day2=F(day2) if day2 else Cast(Value(None), DateField()),
            p_kind=text_or(kind),
            p_text=text_or(text),
            p_ref=F(ref),
            p_code=text_or(code),
            p_extra=F(extra) if extra else Cast(Value(None), IntegerField()),
        )
        .values_list(*COLUMNS)
    )


def _facts(member_ids, start: datetime.date, end: datetime.date):
    held = (Meeting.Status.HELD, Meeting.Status.ARCHIVED)
    attendance = Attendance.objects.filter(
        Q(present=True) | Q(absence_reason=Attendance.AbsenceReason.UNEXCUSED),  # 请假, 因公, 病假 cost nothing
        member_id__in=member_ids,
        meeting__date__range=(start, end),
        meeting__status__in=held,
    )
    present = _columns(
        attendance.filter(present=True),
        src=S.ATTENDANCE,
        member="member_id",
        day="meeting__date",
        kind="meeting__kind",
        text="meeting__topic",
        ref="meeting_id",
    )
    unexcused = _columns(
        attendance.filter(present=False),
        src=S.UNEXCUSED,
        member="member_id",
        day="meeting__date",
        kind="meeting__kind",
        text="meeting__topic",
        ref="meeting_id",
    )
    meetings = Meeting.objects.filter(date__range=(start, end), status__in=held)
    lectures = _columns(
        meetings.filter(kind=K.PARTY_LECTURE, lecturer_id__in=member_ids),
        src=S.LECTURE,
        member="lecturer_id",
        day="date",
        text="topic",
        ref="id",
    )
    hosts = _columns(
        meetings.filter(kind=K.GROUP_MEETING, host_id__in=member_ids),
        src=S.GROUP_LEADER,
        member="host_id",
        day="date",
        text="topic",
        ref="id",
    )
    talks = Talk.objects.filter(held_on__range=(start, end))
    initiated = _columns(
        talks.filter(initiator_id__in=member_ids),
        src="talk_initiator",
        member="initiator_id",
        day="held_on",
        ref="id",
        code="organization__code",
    )
    through = Talk.participants.through.objects.filter(member_id__in=member_ids, talk__held_on__range=(start, end))
    received = _columns(
        through, src=S.TALK, member="member_id", day="talk__held_on", ref="talk_id", code="talk__organization__code"
    )
    dues = _columns(
        DuesPayment.objects.filter(settled_q(), member_id__in=member_ids, month__range=(start, end)),
        src=S.DUES,
        member="member_id",
        day="month",
        day2="paid_on",
        ref="id",
        code="organization__code",
    )
    positions = _columns(
        CommitteePosition.objects.filter(member_id__in=member_ids, term__started_on__lte=end).filter(
            Q(term__ended_on__isnull=True) | Q(term__ended_on__gt=start)
        ),
        src=S.COMMITTEE,
        member="member_id",
        day="term__started_on",
        day2="term__ended_on",
        kind="role",
        ref="term_id",
    )
    steps = Step.objects.filter(date__range=(start, end))
    named = [
        _columns(
            steps.filter(number=number, **{f"{column}__in": member_ids}),
            src=src,
            member=column,
            day="date",
            text="person__name",
            ref="id",
            extra="person_id",
        )
        for number, src in ((CONTACT_STEP, S.CONTACT), (INTRODUCER_STEP, S.INTRODUCER))
        for column in ("member_1_id", "member_2_id")
    ]
    items = _columns(
        ManualItem.objects.filter(
            member_id__in=member_ids, state=ManualItem.State.APPROVED, occurred_on__range=(start, end)
        ),
        src=S.MANUAL,
        member="member_id",
        day="occurred_on",
        text="reason",
        ref="id",
        extra="rule_id",
    )
    # The member's 组织关系 periods come in the same query: which branch (and so which rule set) each day belongs to.
    periods = _columns(
        Membership.objects.filter(member_id__in=member_ids),
        src="membership",
        member="member_id",
        day="started_on",
        day2="ended_on",
        ref="organization_id",
        code="organization__path",
    )
    rest = (unexcused, lectures, hosts, initiated, received, dues, positions, *named, items, periods)
    return present.union(*rest, all=True)


class _Urls:
    """The record pages' URLs, reversed once per call (a committee's year has tens of thousands of points)."""

    def __init__(self):
        def pattern(name, *args):
            return reverse(name, args=[*args[:-1], 987654321]).replace("987654321", "{}")

        self.meeting = pattern("meetings:meeting_detail", 0)
        self.talk = (
            reverse("meetings:talk_detail", args=["CODE", 987654321]).replace("CODE", "{}").replace("987654321", "{}")
        )
        self.dues = reverse("branches:dues_year", args=["CODE"]).replace("CODE", "{}") + "?year={}"
        self.term = pattern("branches:term_detail", 0)
        self.person = pattern("recruitment:person_detail", 0)
        self.item = pattern("points:item_detail", 0)


def facts(member_ids: list[int], start: datetime.date, end: datetime.date):
    """In one query: every fact of the records that may earn or cost points, the members' membership periods
    {member_id: [(organization_id, started_on, ended_on)]} and the paths of those organizations {id: path}."""
    urls = _Urls()
    short = {kind.value: str(kind.short) for kind in K}
    roles = {role.value: str(role.label) for role in CommitteePosition.Role}
    occ: list[Occurrence] = []
    memberships: dict[int, list] = defaultdict(list)
    paths: dict[int, str] = {}
    for src, member, day, day2, kind, text, ref, code, extra in _facts(member_ids, start, end):
        if src == "membership":
            memberships[member].append((ref, day, day2))
            paths[ref] = code
        elif src in (S.ATTENDANCE, S.UNEXCUSED):
            what = "出席" if src == S.ATTENDANCE else "无故缺席"
            label = f"{what}{short[kind]}:{text}"
            occ.append(Occurrence(member, day, src, label, urls.meeting.format(ref), kind, None, ref))
        elif src == S.LECTURE:
            occ.append(Occurrence(member, day, src, f"讲授党课:{text}", urls.meeting.format(ref), order=ref))
        elif src == S.GROUP_LEADER:
            occ.append(Occurrence(member, day, src, f"主持党小组会:{text}", urls.meeting.format(ref), order=ref))
        elif src in ("talk_initiator", S.TALK):
            who = "谈话人" if src == "talk_initiator" else "谈话对象"
            occ.append(Occurrence(member, day, S.TALK, f"谈心谈话({who})", urls.talk.format(code, ref), order=ref))
        elif src == S.DUES:
            last = month_end(day)
            if day2 is not None and day2 <= last:  # paid in full by the month's last day: 按时
                label = f"{day:%Y年%-m月}党费按时足额交纳"
                occ.append(Occurrence(member, last, src, label, urls.dues.format(code, day.year), order=ref))
        elif src == S.COMMITTEE:
            role = roles[kind]
            for month in range(1, end.month + 1):  # no point for a month not yet begun
                last = month_end(datetime.date(start.year, month, 1))
                if day <= last and (day2 is None or day2 > last):
                    occ.append(Occurrence(member, last, src, f"担任{role}", urls.term.format(ref), order=ref))
        elif src in (S.CONTACT, S.INTRODUCER):
            what = "培养联系人" if src == S.CONTACT else "入党介绍人"
            occ.append(Occurrence(member, day, src, f"担任{text}的{what}", urls.person.format(extra), order=ref))
        elif src == S.MANUAL:
            occ.append(Occurrence(member, day, src, text, urls.item.format(ref), "", extra, ref))
    return occ, memberships, paths
