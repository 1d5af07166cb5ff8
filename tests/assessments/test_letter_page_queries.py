"""Pinned query counts of the letter pages that had none: they do not grow with recipients, items or events."""

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_organization

from . import test_letter_helpers as helpers
from .test_letter_helpers import STANDARD_ITEMS, letter_to, make_template

# Fixtures shared with the other letter tests (pytest finds them by their module-level names).
indicator_set = helpers.indicator_set
issued = helpers.issued

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def more_branches(tree, n=6):
    for i in range(n):
        make_organization(tree.committee_a, "branch", code=f"EA-Q{i}")


def test_the_template_pages_cost_a_fixed_number_of_queries(tree, client_for, django_assert_max_num_queries):
    template = make_template(tree.committee_a)
    client = client_for("committee")
    pages = [url("letter_template_create"), url("letter_template_edit", template.pk)]
    pages.append(url("letter_template_issue", template.pk))
    for page in pages:
        with django_assert_max_num_queries(10):
            assert client.get(page).status_code == 200, page
    more_branches(tree)
    bigger = make_template(tree.committee_a, name="更多条目", items=STANDARD_ITEMS * 3)
    for page in [url("letter_template_edit", bigger.pk), url("letter_template_issue", bigger.pk)]:
        with django_assert_max_num_queries(10):
            assert client.get(page).status_code == 200, page


def test_the_self_assessment_and_print_pages_cost_a_fixed_number_of_queries(
    tree, issued, client_for, django_assert_max_num_queries
):
    letter = letter_to(issued, tree.branch_a)
    client = client_for("secretary")
    with django_assert_max_num_queries(10):
        assert client.get(url("letter_print", letter.pk)).status_code == 200
    client.post(url("letter_sign", letter.pk))
    with django_assert_max_num_queries(8):
        assert client.get(url("letter_self_assess", letter.pk)).status_code == 200
    for n in range(6):  # more items and events on the same letter
        letter.items.create(area="补充", content=f"补充事项{n}", weight=0)
        letter.events.create(status=letter.status, at=timezone.now(), note=f"备注{n}")
    with django_assert_max_num_queries(10):
        assert client.get(url("letter_print", letter.pk)).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(url("letter_self_assess", letter.pk)).status_code == 200


def test_the_ranking_form_saves_two_branches_in_a_pinned_number_of_queries(
    tree, client_for, django_assert_max_num_queries
):
    for branch, score in [(tree.branch_a, 95), (tree.branch_b, 72)]:
        helpers.final_with_score(tree.committee_a, branch, score)
    data = {f"level_{tree.branch_a.pk}": "advanced", f"level_{tree.branch_b.pk}": "lagging"}
    client = client_for("committee")
    with django_assert_max_num_queries(22):
        response = client.post(url("letter_ranking", "EA") + "?year=2025", data)
    assert response.status_code == 302
