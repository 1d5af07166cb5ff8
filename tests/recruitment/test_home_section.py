"""发展党员 on the secretary's home page: overdue steps stand beside the meetings the branch owes (DOMAIN.md 发展党员:
"an overdue step is a warning on the secretary's to-do list")."""

import datetime

import pytest

from recruitment import panels

pytestmark = pytest.mark.django_db


def test_an_overdue_step_is_on_the_secretarys_home_page(client_for, recruit, tree):
    # Applied two months ago and nobody talked to them: step 2 (谈话, within one month) is overdue.
    person = recruit(name="王新", applied_on=datetime.date.today() - datetime.timedelta(days=62))
    page = client_for("secretary").get("/").content.decode()
    assert "发展党员待办" in page and person.name in page and "已超期" in page


def test_nothing_is_shown_when_no_step_is_overdue(rf, tree, cast):
    request = rf.get("/")
    request.user = cast.secretary
    assert panels.secretary_overdue_steps(request, tree.branch_a) is None
