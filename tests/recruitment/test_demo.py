"""The demo pipeline: people at every stage across the given branches, some overdue, all through the gates."""

import datetime
import random

import pytest

from demo.recruitment import seed_recruitment
from recruitment.models import Person, Stage
from recruitment.selectors import overdue_steps

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_every_stage_with_some_overdue(tree, members):
    today = datetime.date(2026, 6, 30)
    result = seed_recruitment(branches=[tree.branch_a, tree.branch_b, tree.branch_c], today=today, rng=random.Random(7))
    assert result.skipped_branches == [tree.branch_c.code]  # one 正式党员 only: nobody to introduce
    assert result.people >= 24 and Person.objects.count() == result.people
    assert set(Person.objects.values_list("stage", flat=True)) == set(Stage.values)
    overdue = overdue_steps(today=today, organizations_q=None)
    assert {o.number for o in overdue} >= {2, 6, 17, 23}
    assert result.reports > 0 and any(o.number == 0 for o in overdue)  # 思想汇报: most in, a few overdue
    assert Person.objects.filter(member__isnull=False).count() == result.members
