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
"""

import datetime

from django.db.models import Q
from django.urls import reverse

from branches.dues.rules import settled_q
from branches.models import CommitteePosition, DuesPayment
from common.periods import month_end
from meetings.models import Attendance, Meeting, Talk
from recruitment.models import Step

from .derivation import Occurrence
from .models import ManualItem, Rule

K = Meeting.Kind
S = Rule.Source
CONTACT_STEP, INTRODUCER_STEP = 5, 9  # recruitment: 确定培养联系人, 确定入党介绍人


def _meeting_url(pk: int) -> str:
    return reverse("meetings:meeting_detail", args=[pk])


def occurrences(member_ids: list[int], start: datetime.date, end: datetime.date) -> list[Occurrence]:
    """Every fact of the records that may earn or cost points: one query a record kind."""
    occ: list[Occurrence] = []
    held = (Meeting.Status.HELD, Meeting.Status.ARCHIVED)
    in_year = {"meeting__date__range": (start, end), "meeting__status__in": held}
    for row in Attendance.objects.filter(member_id__in=member_ids, **in_year).values(
        "member_id", "present", "absence_reason", "meeting_id", "meeting__date", "meeting__kind", "meeting__topic"
    ):
        kind = row["meeting__kind"]
        if row["present"]:
            source, what = S.ATTENDANCE, "出席"
        elif row["absence_reason"] == Attendance.AbsenceReason.UNEXCUSED:
            source, what = S.UNEXCUSED, "无故缺席"
        else:
            continue  # 请假, 因公, 病假: an excused absence costs nothing
        label = f"{what}{K(kind).short}:{row['meeting__topic']}"
        occ.append(
            Occurrence(
                row["member_id"],
                row["meeting__date"],
                source,
                label,
                _meeting_url(row["meeting_id"]),
                kind,
                None,
                row["meeting_id"],
            )
        )
    meetings = Meeting.objects.filter(date__range=(start, end), status__in=held)
    for row in meetings.filter(kind=K.PARTY_LECTURE, lecturer_id__in=member_ids).values(
        "id", "lecturer_id", "date", "topic"
    ):
        occ.append(
            Occurrence(
                row["lecturer_id"],
                row["date"],
                S.LECTURE,
                f"讲授党课:{row['topic']}",
                _meeting_url(row["id"]),
                order=row["id"],
            )
        )
    for row in meetings.filter(kind=K.GROUP_MEETING, host_id__in=member_ids).values("id", "host_id", "date", "topic"):
        occ.append(
            Occurrence(
                row["host_id"],
                row["date"],
                S.GROUP_LEADER,
                f"主持党小组会:{row['topic']}",
                _meeting_url(row["id"]),
                order=row["id"],
            )
        )
    talks = Talk.objects.filter(held_on__range=(start, end))
    for row in talks.filter(initiator_id__in=member_ids).values("id", "initiator_id", "held_on", "organization__code"):
        url = reverse("meetings:talk_detail", args=[row["organization__code"], row["id"]])
        occ.append(Occurrence(row["initiator_id"], row["held_on"], S.TALK, "谈心谈话(谈话人)", url, order=row["id"]))
    through = Talk.participants.through.objects.filter(member_id__in=member_ids, talk__held_on__range=(start, end))
    for row in through.values("talk_id", "member_id", "talk__held_on", "talk__organization__code"):
        url = reverse("meetings:talk_detail", args=[row["talk__organization__code"], row["talk_id"]])
        occ.append(
            Occurrence(row["member_id"], row["talk__held_on"], S.TALK, "谈心谈话(谈话对象)", url, order=row["talk_id"])
        )
    dues = DuesPayment.objects.filter(settled_q(), member_id__in=member_ids, month__range=(start, end))
    for row in dues.values("id", "member_id", "month", "paid_on", "organization__code"):
        last = month_end(row["month"])
        if row["paid_on"] is None or row["paid_on"] > last:
            continue  # paid in full but late: not 按时
        url = reverse("branches:dues_year", args=[row["organization__code"]]) + f"?year={row['month'].year}"
        occ.append(
            Occurrence(
                row["member_id"], last, S.DUES, f"{row['month']:%Y年%-m月}党费按时足额交纳", url, order=row["id"]
            )
        )
    positions = CommitteePosition.objects.filter(member_id__in=member_ids, term__started_on__lte=end).filter(
        Q(term__ended_on__isnull=True) | Q(term__ended_on__gt=start)
    )
    for row in positions.values("member_id", "term_id", "role", "term__started_on", "term__ended_on"):
        role = CommitteePosition.Role(row["role"]).label
        url = reverse("branches:term_detail", args=[row["term_id"]])
        for month in range(1, end.month + 1):  # no point for a month not yet begun
            last = month_end(datetime.date(start.year, month, 1))
            ended = row["term__ended_on"]
            if row["term__started_on"] <= last and (ended is None or ended > last):
                occ.append(Occurrence(row["member_id"], last, S.COMMITTEE, f"担任{role}", url, order=row["term_id"]))
    steps = Step.objects.filter(number__in=(CONTACT_STEP, INTRODUCER_STEP), date__range=(start, end)).filter(
        Q(member_1_id__in=member_ids) | Q(member_2_id__in=member_ids)
    )
    for row in steps.values("id", "number", "date", "person_id", "person__name", "member_1_id", "member_2_id"):
        source, what = (S.CONTACT, "培养联系人") if row["number"] == CONTACT_STEP else (S.INTRODUCER, "入党介绍人")
        url = reverse("recruitment:person_detail", args=[row["person_id"]])
        for member_id in {row["member_1_id"], row["member_2_id"]} & set(member_ids):
            occ.append(
                Occurrence(member_id, row["date"], source, f"担任{row['person__name']}的{what}", url, order=row["id"])
            )
    items = ManualItem.objects.filter(
        member_id__in=member_ids, state=ManualItem.State.APPROVED, occurred_on__range=(start, end)
    )
    for row in items.values("id", "member_id", "rule_id", "occurred_on", "reason"):
        url = reverse("points:item_detail", args=[row["id"]])
        occ.append(
            Occurrence(
                row["member_id"], row["occurred_on"], S.MANUAL, row["reason"], url, "", row["rule_id"], row["id"]
            )
        )
    return occ
