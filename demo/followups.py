"""谈心谈话 and 民主评议党员 for this year (支部工作条例 第十四、十六条), from the branches' Units (records.py).

Talks: the 书记 talks with the other committee members in one record, and committee members talk with every other
member, one to three at a time, on a day when both belonged to the branch; coverage is 100% in compliant branches,
88-100% in partial ones and 55-80% in weak ones. Reviews: every member of a branch that held its 组织生活会 gets a grade
for the year at that meeting (one grade per member and year: a member reviewed before a transfer is not reviewed again).
"""

import datetime

from branches import standing
from meetings.models import MemberReview, Talk

from . import texts
from .context import DemoContext
from .writer import insert_objects, insert_rows, reserve_ids

DAY = datetime.timedelta(days=1)
TALK_COVERAGE = {"compliant": (1.0, 1.0), "partial": (0.88, 1.0), "weak": (0.55, 0.8)}
# 民主评议党员 grades: most 合格, some 优秀 (usually capped by local practice), a few 基本合格, rarely 不合格.
GRADES = (
    (MemberReview.Grade.EXCELLENT, 20),
    (MemberReview.Grade.QUALIFIED, 77),
    (MemberReview.Grade.BASICALLY_QUALIFIED, 2.7),
    (MemberReview.Grade.UNQUALIFIED, 0.3),
)


def _window(unit, members, first: datetime.date, last: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The days in [first, last] on which all `members` belonged to the branch (half-open membership periods)."""
    for member in members:
        start, end = unit.spans[member.pk]
        first = max(first, start)
        if end is not None:
            last = min(last, end - DAY)
    return first, last


def _belongs(unit, member, day: datetime.date) -> bool:
    start, end = unit.spans[member.pk]
    return start <= day and (end is None or end > day)


def seed_talks(ctx: DemoContext, units) -> None:
    rng, today = ctx.rng, ctx.today
    year_start, last = datetime.date(today.year, 1, 1), today - DAY
    talks, links = [], []  # links: (index into talks, member pk)

    def add(unit, initiator, participants, day):
        talks.append(
            Talk(
                organization_id=unit.org.pk,
                held_on=day,
                initiator_id=initiator.pk,
                summary=rng.choice(texts.TALK_SUMMARIES),
            )
        )
        links.extend((len(talks) - 1, m.pk) for m in participants)

    def pick_day(low, high):
        return low + datetime.timedelta(days=rng.randint(0, (high - low).days))

    for unit in units:
        if not unit.members or last < year_start:
            continue
        low, high = TALK_COVERAGE[unit.tier]
        covered = rng.sample(unit.members, round(len(unit.members) * rng.uniform(low, high)))
        covered_pks = {m.pk for m in covered}
        committee = [m for m, _r in unit.positions if m.pk in unit.spans]
        done = set()
        if len(committee) >= 2 and committee[0].pk in covered_pks:
            first, end = _window(unit, committee, year_start, last)
            if first <= end:  # committee members with each other
                add(unit, committee[0], committee[1:], pick_day(first, end))
                done |= {m.pk for m in committee}
        queue = [m for m in covered if m.pk not in done]
        while queue:
            size = rng.choice((1, 1, 2, 3))
            batch, queue = queue[:size], queue[size:]
            first, end = _window(unit, batch, year_start, last)
            if first > end:  # periods that do not overlap: one talk each
                batch, queue = batch[:1], batch[1:] + queue
                first, end = _window(unit, batch, year_start, last)
            day = pick_day(first, end)
            ids = {m.pk for m in batch}
            initiators = [m for m in committee if m.pk not in ids and _belongs(unit, m, day)]
            if not initiators:
                initiators = [m for m in unit.members_on(day) if m.pk not in ids]
            if initiators:
                add(unit, rng.choice(initiators[:3]), batch, day)
    for talk, pk in zip(talks, reserve_ids(Talk, len(talks)), strict=True):
        talk.pk = pk
    insert_objects(Talk, talks)
    insert_rows(Talk.participants.through, ["talk_id", "member_id"], [(talks[i].pk, pk) for i, pk in links])
    ctx.record_counts["talks"] = len(talks)
    ctx.record_counts["talk_participants"] = len(links)


def seed_reviews(ctx: DemoContext, org_lives) -> None:
    rng = ctx.rng
    grades, weights = zip(*GRADES, strict=True)
    reviewed, rows = set(), []
    for unit, meeting in org_lives:
        for member in unit.members_on(meeting.date):
            if member.pk in reviewed:
                continue
            reviewed.add(member.pk)
            grade = rng.choices(grades, weights=weights)[0]
            if not standing.review_graded(member, meeting.date):
                grade = MemberReview.Grade.NOT_GRADED  # 预备党员: 参加评议,不评定等次 (local practice, a setting)
            elif grade == MemberReview.Grade.EXCELLENT and not (member.full_on and member.full_on <= meeting.date):
                grade = MemberReview.Grade.QUALIFIED  # 优秀 is never given to a 预备党员
            rows.append(
                MemberReview(
                    member_id=member.pk,
                    organization_id=unit.org.pk,
                    year=meeting.date.year,
                    grade=grade,
                    decided_on=meeting.date,
                    meeting_id=meeting.pk,
                    notes=texts.REVIEW_NOTES.get(grade, ""),
                    follow_up_done=grade == MemberReview.Grade.UNQUALIFIED and rng.random() < 0.5,
                )
            )
    insert_objects(MemberReview, rows)
    ctx.record_counts["reviews"] = len(rows)
