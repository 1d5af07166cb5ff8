"""One meeting's record, with every field the ledger prints (DOMAIN.md "A meeting record holds"): times, place, topic,
host and recorder, 第一议题 and 议题, content, resolutions and votes, absentees with reasons, held/archived stamps."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings

from branches.models import CommitteePosition, Member
from meetings.models import Meeting

from . import texts
from .names import SURNAMES

K = Meeting.Kind
S = Meeting.Status
R = CommitteePosition.Role

ARCHIVED_SHARE = {"compliant": 0.9, "partial": 0.8, "weak": 0.5}
ABSENCE_RATE = {"compliant": 0.05, "partial": 0.07, "weak": 0.12}
TIMES = {
    K.BRANCH_COMMITTEE: [(14, 30, 16, 0), (9, 0, 10, 30)],
    K.GROUP_MEETING: [(16, 0, 17, 0), (12, 30, 13, 30)],
    K.BRANCH_ASSEMBLY: [(14, 0, 16, 30), (9, 0, 11, 0)],
    K.PARTY_LECTURE: [(14, 30, 16, 0), (16, 40, 17, 40)],
    K.THEME_DAY: [(9, 0, 11, 30), (14, 0, 16, 30)],
    K.ORG_LIFE: [(9, 0, 12, 0), (14, 0, 17, 30)],
    K.DEMOCRATIC_LIFE: [(9, 0, 17, 0), (8, 30, 12, 0)],
}


@dataclass
class Draft:
    meeting: Meeting
    roll: list[Member]
    absent: dict  # member pk -> (reason, note)
    agenda: list[str]


def compose(ctx, unit, kind, day, status, roll, group, host, host_role, lecturer) -> Draft:
    """A meeting record with every field the ledger prints (DOMAIN.md "A meeting record holds")."""
    rng, tz = ctx.rng, ZoneInfo(settings.TIME_ZONE)
    month = day.month
    recorder = unit.holder(R.ORGANIZATION, R.PROPAGANDA, R.MEMBER)
    if recorder is None or recorder is host or recorder not in roll:
        recorder = next((m for m in roll if m is not host), host)
    h1, m1, h2, m2 = rng.choice(TIMES[kind])
    first_topic = rng.choice(texts.SEASONAL_FIRST_TOPICS.get(month, texts.FIRST_TOPICS) + texts.FIRST_TOPICS[:4])
    place = rng.choice(texts.PLACES)
    lecturer_name, non_members = "", ""
    if kind == K.BRANCH_COMMITTEE:
        topic = texts.COMMITTEE_TOPICS_BY_MONTH.get(month) or rng.choice(texts.COMMITTEE_TOPICS)
        agenda = rng.sample(texts.COMMITTEE_AGENDA, rng.randint(1, 3))
    elif kind == K.GROUP_MEETING:
        topic, agenda = rng.choice(texts.GROUP_TOPICS), rng.sample(texts.GROUP_AGENDA, rng.randint(1, 2))
    elif kind == K.BRANCH_ASSEMBLY:
        topic = rng.choice(texts.ASSEMBLY_TOPICS[(month - 1) // 3 + 1])
        agenda = [topic] + rng.sample(texts.ASSEMBLY_AGENDA, rng.randint(1, 2))
    elif kind == K.PARTY_LECTURE:
        topic = rng.choice(texts.LECTURE_TOPICS)
        agenda = [f"专题党课:{topic}", "交流学习体会"]
        if lecturer is None:
            # Only the planned quarter is the 书记's (a partial branch may have none): others lecture otherwise.
            others = [m for m, r in unit.positions if r != R.SECRETARY and m in roll]
            if others and rng.random() < 0.7:
                lecturer = rng.choice(others)
            else:
                lecturer_name = rng.choice(texts.OUTSIDE_LECTURERS).format(surname=rng.choice(SURNAMES[:30]))
    elif kind == K.THEME_DAY:
        topic, place = rng.choice(texts.THEME_DAY_TOPICS[month]), rng.choice(texts.THEME_DAY_PLACES)
        agenda = ["重温入党誓词", topic]
        non_members = "社区群众代表" if rng.random() < 0.2 else ""
    elif kind == K.ORG_LIFE:
        topic = f"{day.year - 1 if month <= 3 else day.year}年度组织生活会暨民主评议党员"
        agenda, non_members = list(texts.ORG_LIFE_AGENDA), "上级党组织指导人员"
    else:
        topic = f"{day.year - 1 if month <= 3 else day.year}年度领导班子民主生活会"
        agenda, non_members = list(texts.DEMOCRATIC_LIFE_AGENDA), "上级党委督导组"
    topic = topic.format(month=month)
    meeting = Meeting(
        organization_id=unit.org.pk,
        group_id=group.pk if group else None,
        kind=kind,
        status=status or S.HELD,
        date=day,
        start_time=datetime.time(h1, m1),
        end_time=datetime.time(h2, m2),
        place=place,
        topic=topic,
        host_id=host.pk,
        host_role=host_role,
        recorder_id=recorder.pk,
        lecturer_id=lecturer.pk if lecturer else None,
        lecturer_name=lecturer_name,
        first_topic_flag=True,
        first_topic=first_topic,
        non_member_attendees=non_members,
    )
    absent = {}
    if status is None:
        absent = _absentees(rng, roll, ABSENCE_RATE[unit.tier])
        present = len(roll) - len(absent)
        body = texts.BODIES[kind].format(topic=topic, n=rng.randint(2, 6))
        meeting.content = f"会议由{host.name}主持,应到{len(roll)}人,实到{present}人。第一议题:{first_topic}。{body}"
        meeting.resolutions, meeting.votes = _resolutions(rng, kind, day, roll, absent)
        meeting.held_at = datetime.datetime.combine(day, meeting.end_time, tz)
        if rng.random() < (ARCHIVED_SHARE[unit.tier] if day <= ctx.today - datetime.timedelta(days=30) else 0.1):
            archived_at = meeting.held_at + datetime.timedelta(days=rng.randint(1, 14), hours=1)
            if archived_at.date() < ctx.today:
                meeting.status, meeting.archived_at = S.ARCHIVED, archived_at
    return Draft(meeting, roll, absent, agenda)


def _absentees(rng, roll, rate) -> dict:
    # At most a third absent: the quorum rules (more than half; 2/3 for 民主生活会) hold for every seeded record.
    cap = (len(roll) - 1) // 3
    absent = {}
    for member in roll:
        if len(absent) < cap and rng.random() < rate:
            reason = rng.choices(("leave", "official", "sick"), weights=(50, 35, 15))[0]
            absent[member.pk] = (reason, rng.choice(texts.ABSENCE_NOTES[reason]))
    return absent


def _resolutions(rng, kind, day, roll, absent) -> tuple[str, str]:
    if kind == K.BRANCH_COMMITTEE:
        return "".join(rng.sample(texts.COMMITTEE_RESOLUTIONS, rng.randint(1, 2))), ""
    if kind != K.BRANCH_ASSEMBLY:
        return "", ""
    # 支部工作条例 第十二条: more than half of the voting members (正式党员 on that day) present.
    voting = [m for m in roll if m.full_on is not None and m.full_on <= day]
    present = [m for m in voting if m.pk not in absent]
    if len(present) * 2 <= len(voting):
        return "", ""
    votes = f"应到有表决权党员{len(voting)}人,实到{len(present)}人;赞成{len(present)}票,反对0票,弃权0票。"
    return rng.choice(texts.ASSEMBLY_RESOLUTIONS), votes
