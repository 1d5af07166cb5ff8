"""/api/v1/dues-payments/: visibility, filters, writes through branches.dues, refusals for the whole cast."""

from decimal import Decimal

import pytest
from django.utils import timezone

from branches.dues import add_months, dues_month_record, month_start
from branches.models import DuesPayment
from tests.factories import make_member

URL = "/api/v1/dues-payments/"


def last_month():
    return add_months(month_start(timezone.localdate()), -1)


def pay(branch, members, month=None, amount="90"):
    month = month or last_month()
    dues_month_record(
        organization=branch, month=month, rows={m.pk: (Decimal(amount), month.replace(day=3)) for m in members}
    )


@pytest.fixture
def payments(tree, members):
    pay(tree.branch_a, members.a)
    pay(tree.branch_a, members.a[:2], month=add_months(last_month(), -12))
    pay(tree.branch_b, members.b)
    pay(tree.branch_c, members.c)
    return DuesPayment.objects.get(member=members.a[0], month=last_month())


def count(response):
    assert response.status_code == 200, response.content
    return response.json()["count"]


@pytest.mark.parametrize(
    ("who", "n"), [("secretary", 9), ("secretary2", 3), ("committee", 12), ("sasac", 13), ("admin", 13)]
)
def test_each_role_lists_exactly_its_subtree(client_for, payments, who, n):
    assert count(client_for(who).get(URL)) == n


def test_anonymous_is_refused(client_for, payments):
    assert client_for(None).get(URL).status_code == 403


def test_filters_by_org_under_year_month_range_and_member(client_for, payments, members):
    client = client_for("sasac")
    m = last_month()
    assert count(client.get(URL, {"org": "EA-B1"})) == 9
    assert count(client.get(URL, {"under": "EA"})) == 12
    assert count(client.get(URL, {"under": "EA", "month": f"{m:%Y-%m}"})) == 10
    assert count(client.get(URL, {"year": m.year - 1, "org": "EA-B1"})) == 2
    assert count(client.get(URL, {"month_from": f"{m:%Y-%m}", "month_to": f"{m:%Y-%m}", "org": "EA-B1"})) == 7
    assert count(client.get(URL, {"member": members.a[0].pk})) == 2
    bad = client.get(URL, {"month": "2025-13"})
    assert bad.status_code == 400 and "yyyy-mm" in bad.json()["detail"]


def test_amount_due_comes_from_the_brackets(client_for, payments):
    data = client_for("secretary").get(f"{URL}{payments.pk}/").json()
    assert data["month"] == f"{last_month():%Y-%m}"
    assert (data["base"], data["rate"], data["amount_due"], data["amount_paid"]) == (
        "6000.00",
        "0.0150",
        "90.00",
        "90.00",
    )


def test_outsider_gets_404_and_reviewer_403(client_for, payments):
    assert client_for("secretary2").get(f"{URL}{payments.pk}/").status_code == 404
    assert client_for("secretary2").get(URL, {"org": "EA-B1"}).status_code == 404
    patch = {"amount_paid": "0"}
    assert (
        client_for("secretary2").patch(f"{URL}{payments.pk}/", patch, content_type="application/json").status_code
        == 404
    )
    assert client_for("sasac").patch(f"{URL}{payments.pk}/", patch, content_type="application/json").status_code == 403


def test_secretary_records_a_month_for_one_member(client_for, members):
    m = last_month()
    body = {
        "org": "EA-B1",
        "member": members.a[0].pk,
        "month": f"{m:%Y-%m}",
        "amount_paid": "90.00",
        "paid_on": f"{m:%Y-%m}-05",
    }
    response = client_for("secretary").post(URL, body, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["amount_due"] == "90.00"
    again = client_for("secretary").post(URL, body, content_type="application/json")
    assert again.status_code == 400 and "已有党费记录" in again.json()["detail"]


def test_reviewer_cannot_create(client_for, members):
    m = last_month()
    body = {
        "org": "EA-B1",
        "member": members.a[0].pk,
        "month": f"{m:%Y-%m}",
        "amount_paid": "90.00",
        "paid_on": f"{m:%Y-%m}-05",
    }
    assert client_for("sasac").post(URL, body, content_type="application/json").status_code == 403
    assert not DuesPayment.objects.exists()


def test_broken_rules_answer_400_in_chinese(client_for, members):
    m = last_month()
    client = client_for("secretary")
    base = {"org": "EA-B1", "member": members.a[0].pk, "month": f"{m:%Y-%m}"}
    negative = client.post(
        URL, {**base, "amount_paid": "-1", "paid_on": f"{m:%Y-%m}-05"}, content_type="application/json"
    )
    assert negative.status_code == 400 and "实交金额不能为负数" in negative.json()["detail"]
    early = client.post(
        URL, {**base, "amount_paid": "9", "paid_on": f"{add_months(m, -1):%Y-%m}-05"}, content_type="application/json"
    )
    assert early.status_code == 400 and "早于所属月份" in early.json()["detail"]
    other = client.post(
        URL,
        {**base, "member": members.b[0].pk, "amount_paid": "9", "paid_on": f"{m:%Y-%m}-05"},
        content_type="application/json",
    )
    assert other.status_code == 400 and "乙0" not in other.content.decode()
    assert not DuesPayment.objects.exists()


def test_setting_a_payment_back_to_zero_clears_its_date(client_for, payments):
    response = client_for("secretary").patch(
        f"{URL}{payments.pk}/", {"amount_paid": "0"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["paid_on"] is None


def test_list_costs_the_same_for_13_or_33_payments(client_for, tree, payments, django_assert_max_num_queries):
    client = client_for("admin")
    with django_assert_max_num_queries(8) as small:
        assert client.get(URL).status_code == 200
    baseline = len(small.captured_queries)
    pay(tree.branch_a, [make_member(tree.branch_a, name=f"新{i}") for i in range(20)])
    with django_assert_max_num_queries(baseline):
        assert client.get(URL).json()["count"] == 33
