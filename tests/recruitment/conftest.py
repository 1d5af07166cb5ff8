"""A person walked along the path with valid dates (WALK), one step at a time, in branch A of the fixed tree."""

import datetime
import itertools

import pytest

from branches.models import Member
from branches.validators import make_id_number
from meetings import services as meeting_services
from meetings.models import Meeting
from recruitment import services

D = datetime.date
APPLIED = D(2023, 1, 10)
_seq = itertools.count(500)

# step -> (date, extra data). Step 6 repeats (every 6 months between 3 and 7).
WALK = {
    2: (D(2023, 1, 20), {}),
    3: (D(2023, 3, 1), {}),
    4: (D(2023, 3, 10), {"document_number": "委备〔2023〕1号"}),
    5: (D(2023, 3, 10), {"member_1": "a0"}),
    6: (D(2023, 8, 1), {}),
    "6b": (D(2024, 1, 15), {}),
    7: (D(2024, 3, 5), {"notes": "党小组、培养联系人和党员群众意见一致同意"}),
    8: (D(2024, 3, 10), {}),
    9: (D(2024, 3, 10), {"member_1": "a0", "member_2": "a1"}),
    10: (D(2024, 3, 20), {"notes": "政治审查合格"}),
    11: (D(2024, 4, 1), {"training_days": 3}),
    12: (D(2024, 4, 10), {}),
    13: (D(2024, 4, 20), {}),
    14: (D(2024, 5, 6), {}),
    15: (
        D(2024, 5, 10),
        {"meeting": "assembly", "votes_for": 7, "publicity_start": D(2024, 4, 22), "publicity_end": D(2024, 4, 26)},
    ),
    16: (D(2024, 5, 20), {}),
    17: (D(2024, 6, 1), {}),
    18: (D(2024, 6, 10), {}),
    19: (D(2024, 6, 10), {}),
    20: (D(2024, 7, 1), {}),
    21: (D(2024, 12, 1), {}),
    22: (D(2025, 4, 20), {}),
    23: (D(2025, 5, 10), {"meeting": "assembly", "votes_for": 7, "outcome": "convert"}),
    24: (D(2025, 6, 1), {}),
    25: (D(2025, 6, 10), {}),
}
ORDER = [2, 3, 4, 5, 6, "6b", 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]


def held_assembly(branch, day, *, absent=()):
    meeting = meeting_services.meeting_plan(
        organization=branch, kind=Meeting.Kind.BRANCH_ASSEMBLY, date=day, topic="讨论接收预备党员"
    )
    return meeting_services.meeting_hold(meeting=meeting, absent={m.pk: ("leave", "") for m in absent})


@pytest.fixture
def recruit(members, tree):
    """make(name=...) -> a new applicant in branch A (applied APPLIED); walk(person, until) records the path."""

    def make(**fields):
        defaults = {
            "name": "张申请",
            "gender": Member.Gender.MALE,
            "birth_date": D(2000, 5, 1),
            "id_number": make_id_number("110101", D(2000, 5, 1), next(_seq)),
            "education": Member.Education.BACHELOR,
        }
        defaults.update(fields)
        applied = defaults.pop("applied_on", APPLIED)
        return services.person_create(branch=tree.branch_a, applied_on=applied, **defaults)

    def data_for(key, day):
        data = dict(WALK[key][1])
        for name in ("member_1", "member_2"):
            if name in data:
                data[name] = members.a[int(data[name][1:])]
        if data.get("meeting") == "assembly":
            data["meeting"] = held_assembly(tree.branch_a, day)
        return data

    def walk(person, until, *, skip=()):
        for key in ORDER:
            number = 6 if key == "6b" else key
            if number > until:
                break
            if number in skip:
                continue
            day = WALK[key][0]
            services.step_record(person=person, number=number, date=day, **data_for(key, day))
        person.refresh_from_db()
        return person

    make.walk = walk
    make.data_for = data_for
    return make
