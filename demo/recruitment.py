"""Demo 发展党员 pipeline: people at every stage across the given branches, some with overdue steps, all recorded
through recruitment.services (so every gate holds on the demo data). Call after the members and their records
exist: `seed_recruitment(branches=..., today=..., rng=random.Random(seed))`."""

import datetime
import random
from dataclasses import dataclass, field

from django.utils import timezone

from branches.models import Member, Organization
from branches.validators import make_id_number
from meetings import services as meeting_services
from meetings.models import Meeting
from meetings.services import quorum
from recruitment import rules, selectors, services
from recruitment.models import Person

# A valid path, in days after the application (step -> offsets; step 6 repeats every ~6 months).
OFFSETS = [
    (2, 15),
    (3, 60),
    (4, 70),
    (5, 70),
    (6, 200),
    (6, 380),
    (7, 430),
    (8, 435),
    (9, 435),
    (10, 445),
    (11, 460),
    (12, 470),
    (13, 480),
    (14, 500),
    (15, 510),
    (16, 520),
    (17, 540),
    (18, 550),
    (19, 550),
    (20, 560),
    (21, 700),
    (22, 860),
    (23, 876),
    (24, 890),
    (25, 900),
]
# The last step each demo person has passed, cycled over the branches: every stage, several times.
TARGETS = [1, 2, 3, 5, 6, 7, 9, 11, 13, 14, 16, 17, 20, 22, 23, 24, 25, 3, 6, 11]
# (last step, days late): people whose next deadline has passed (talk, 考察, approval, 转正 discussion).
OVERDUE = [(1, 50), (6, 200), (16, 100), (22, 60)]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂"
REGION = "650102"  # not used by the demo members, so ID numbers never collide


@dataclass
class SeedResult:
    people: int = 0
    steps: int = 0
    members: int = 0
    overdue: int = 0
    reports: int = 0
    skipped_branches: list[str] = field(default_factory=list)


def _offset(number: int) -> int:
    return max(days for n, days in OFFSETS if n == number) if number > 1 else 0


def _introducers(branch: Organization, day: datetime.date) -> list[Member]:
    return list(
        Member.objects.full()
        .filter(organization=branch, status=Member.Status.NORMAL, full_on__lte=day)
        .order_by("joined_on", "pk")[:2]
    )


def _assembly(branch: Organization, day: datetime.date, topic: str) -> Meeting:
    meeting = meeting_services.meeting_plan(
        organization=branch, kind=Meeting.Kind.BRANCH_ASSEMBLY, date=day, topic=topic
    )
    return meeting_services.meeting_hold(meeting=meeting, content=f"{topic}。", absent={})


def _step_data(branch: Organization, number: int, day: datetime.date, applied: datetime.date) -> dict:
    if number in (5, 9):
        found = _introducers(branch, day)
        return {"member_1": found[0], "member_2": found[1] if number == 9 else None}
    if number == 11:
        return {"training_days": 3, "training_hours": 24}
    if number == 7:
        return {"notes": "听取党小组、培养联系人、党员和群众意见,一致同意确定为发展对象"}
    if number == 10:
        return {"notes": "政治审查结论:政治立场坚定,历史清白,审查合格"}
    if number in (4, 8, 13, 17, 18, 24):
        return {"document_number": f"党委备〔{day.year}〕{number}号"}
    if number == rules.publicity_step():
        start = applied + datetime.timedelta(days=_offset(13) + 1)
        publicity = {"publicity_start": start, "publicity_end": start + datetime.timedelta(days=8)}
    else:
        publicity = {}
    if number == 14:
        return publicity
    if number == 15:
        meeting = _assembly(branch, day, "讨论接收预备党员")
        return {"meeting": meeting, "votes_for": quorum(meeting).expected, **publicity}
    if number == 23:
        meeting = _assembly(branch, day, "讨论预备党员转正")
        return {"meeting": meeting, "votes_for": quorum(meeting).expected, "outcome": rules.Outcome.CONVERT}
    return {}


def _seed_person(branch, *, last: int, late: int, today, rng, sequence, result: SeedResult) -> None:
    applied = today - datetime.timedelta(days=_offset(last) + late + rng.randint(0, 10))
    birth = datetime.date(rng.randint(1988, 2003), rng.randint(1, 12), rng.randint(1, 28))
    name = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    person = services.person_create(
        branch=branch,
        applied_on=applied,
        name=name,
        gender=rng.choice(Member.Gender.values),
        birth_date=birth,
        id_number=make_id_number(REGION, birth, sequence),
        education=rng.choice([Member.Education.BACHELOR, Member.Education.COLLEGE, Member.Education.POSTGRADUATE]),
        position=rng.choice(["技术员", "工程师", "班组长", "会计", "业务员"]),
        done_by="支部书记",
    )
    result.people += 1
    result.steps += 1
    for number, days in OFFSETS:
        if number > last:
            break
        day = applied + datetime.timedelta(days=days)
        data = _step_data(branch, number, day, applied)
        services.step_record(person=person, number=number, date=day, today=today, done_by="支部书记", **data)
        result.steps += 1
    result.members += last >= 17
    result.overdue += late > 0
    result.reports += _seed_reports(person, applied, today=today, rng=rng, skip_last=late > 0)


def _seed_reports(person: Person, applied: datetime.date, *, today, rng, skip_last: bool) -> int:
    """思想汇报 for every quarter that has ended (the person entered on the day they applied); an overdue person
    missed the last one."""
    entered = timezone.make_aware(datetime.datetime.combine(applied, datetime.time(9)))
    Person.objects.filter(pk=person.pk).update(created_at=entered)
    person.created_at = entered
    count = 0
    while True:
        due = rules.report_due(selectors.path_of(person))
        if due is None or due.due_on >= today or (skip_last and due.due_on + datetime.timedelta(days=92) >= today):
            return count
        quarter = rules.quarter_start_of(due.due_on)
        submitted = min(quarter + datetime.timedelta(days=rng.randint(5, 80)), due.due_on)
        services.thought_report_record(person=person, quarter=quarter, submitted_on=submitted, today=today)
        count += 1


def seed_recruitment(*, branches, today: datetime.date, rng: random.Random) -> SeedResult:
    """Dozens of people at every stage across `branches` (each with two 正式党员 to introduce, else skipped), a few
    with an overdue step. Deterministic for a given rng seed."""
    result = SeedResult()
    usable = []
    for branch in branches:
        if len(_introducers(branch, today - datetime.timedelta(days=1200))) < 2:
            result.skipped_branches.append(branch.code)
        else:
            usable.append(branch)
    sequence = 0
    total = min(max(len(TARGETS), 2 * len(usable)), 80) if usable else 0
    for index in range(total):
        branch = usable[index % len(usable)]
        sequence += 1
        last = TARGETS[index % len(TARGETS)]
        _seed_person(branch, last=last, late=0, today=today, rng=rng, sequence=sequence, result=result)
    for index, (last, late) in enumerate(OVERDUE):
        if not usable:
            break
        sequence += 1
        branch = usable[(index * 3) % len(usable)]
        _seed_person(branch, last=last, late=late, today=today, rng=rng, sequence=sequence, result=result)
    return result
