"""Problems from the data: overdue 发展党员 steps (recruitment's own deadlines) are proposed by default, once a month
per branch, listing the people and steps; nothing is proposed when no step is overdue."""

import datetime

import pytest

from assessments.rectification import proposals
from branches.models import Member
from branches.validators import make_id_number
from recruitment import services as recruitment

D = datetime.date
pytestmark = pytest.mark.django_db


def applicant(branch, name, applied_on, n):
    born = D(2000, 5, 1)
    return recruitment.person_create(
        branch=branch,
        applied_on=applied_on,
        name=name,
        gender=Member.Gender.MALE,
        birth_date=born,
        id_number=make_id_number("110101", born, 700 + n),
        education=Member.Education.BACHELOR,
    )


def test_overdue_recruitment_steps_are_proposed_by_default_once(tree, cast):
    today = D(2026, 3, 10)
    applicant(tree.branch_a, "王新", today - datetime.timedelta(days=62), 1)  # 谈话 (within a month) overdue
    applicant(tree.branch_b, "李近", today - datetime.timedelta(days=5), 2)  # still within its month
    applicant(tree.branch_c, "赵外", today - datetime.timedelta(days=90), 3)  # another committee's subtree
    found = proposals.recruitment_overdue_steps(tree.committee_a, 2025, today)
    assert [(p.organization, p.title) for p in found] == [(tree.branch_a, "发展党员工作环节超期")]
    assert "王新" in found[0].description and "超期" in found[0].description
    assert proposals.recruitment_overdue_steps in proposals.DEFAULT_PROVIDERS

    created = proposals.propose_from_data(committee=tree.committee_a, year=2025, today=today, user=cast.committee)
    mine = [p for p in created if p.title == "发展党员工作环节超期"]
    assert [(p.organization, p.origin, p.state) for p in mine] == [(tree.branch_a, "data", "proposed")]
    again = proposals.propose_from_data(committee=tree.committee_a, year=2025, today=today)
    assert not [p for p in again if p.title == "发展党员工作环节超期"]


def test_nothing_is_proposed_when_no_step_is_overdue(tree):
    today = D(2026, 3, 10)
    applicant(tree.branch_a, "王新", today - datetime.timedelta(days=3), 4)
    assert proposals.recruitment_overdue_steps(tree.committee_a, 2025, today) == []
