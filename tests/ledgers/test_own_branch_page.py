"""The ledger page of a secretary offers their own branch's workbook; the bulk export is for those with branches below."""

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_secretary_downloads_own_branch(tree, client_for, django_assert_max_num_queries):
    client = client_for("secretary")
    with django_assert_max_num_queries(8):
        html = client.get(reverse("ledgers:job_list")).content.decode()
    year = timezone.localdate().year
    assert 'id="own-ledgers"' in html and reverse("ledgers:branch_ledger", args=["EA-B1", year]) in html
    assert "导出下级全部支部台账" not in html and "您还没有导出过台账" not in html
    assert client.get(reverse("ledgers:branch_ledger", args=["EA-B1", year])).status_code == 200


def test_committee_keeps_the_bulk_export(tree, client_for):
    html = client_for("committee").get(reverse("ledgers:job_list")).content.decode()
    assert 'id="own-ledgers"' not in html and "导出下级全部支部台账" in html
