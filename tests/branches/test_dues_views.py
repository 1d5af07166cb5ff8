"""党费 pages: the month entry screen, the year grid, the branch chooser and the arrears snippet, for the whole cast."""

from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from branches.dues import add_months, dues_arrears, dues_month_record, month_start
from branches.models import DuesPayment
from tests.factories import make_member


def last_month():
    return add_months(month_start(timezone.localdate()), -1)


def month_url(code="EA-B1", month=None):
    return reverse("branches:dues_month", args=[code, f"{month or last_month():%Y-%m}"])


def year_url(code="EA-B1"):
    return reverse("branches:dues_year", args=[code])


def full_month_post(members, month):
    data = {}
    for member in members:
        data[f"paid_{member.pk}"] = "90.00"
        data[f"date_{member.pk}"] = f"{month:%Y-%m}-05"
    return data


# ---------------------------------------------------------------- access


@pytest.mark.parametrize(
    ("who", "status"),
    [("secretary", 200), ("committee", 200), ("sasac", 200), ("admin", 200), ("secretary2", 404)],
)
def test_month_screen_and_year_grid_are_readable_by_the_branch_and_its_superiors_only(client_for, members, who, status):
    client = client_for(who)
    assert client.get(month_url()).status_code == status
    assert client.get(year_url()).status_code == status


def test_anonymous_visitor_is_sent_to_login(client_for, members):
    for url in (month_url(), year_url(), reverse("branches:dues_index")):
        response = client_for(None).get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


def test_secretary2_can_neither_read_nor_write_branch_a_dues(client_for, members):
    client = client_for("secretary2")
    assert client.post(month_url(), full_month_post(members.a, last_month())).status_code == 404
    assert not DuesPayment.objects.exists()


def test_reviewer_cannot_record_dues(client_for, members):
    response = client_for("sasac").post(month_url(), full_month_post(members.a, last_month()))
    assert response.status_code == 403
    assert not DuesPayment.objects.exists()


def test_a_committee_or_group_has_no_dues_screen(client_for, members):
    assert client_for("committee").get(year_url("EA")).status_code == 404
    assert client_for("secretary").get(month_url("EA-B1-G1")).status_code == 404


def test_a_malformed_month_is_not_found(client_for, members):
    assert client_for("secretary").get(reverse("branches:dues_month", args=["EA-B1", "2025-13"])).status_code == 404


def test_secretary_with_one_branch_goes_straight_to_its_grid(client_for, members):
    response = client_for("secretary").get(reverse("branches:dues_index"))
    assert response.status_code == 302
    assert response.url == year_url()


def test_committee_picks_among_its_branches(client_for, members):
    response = client_for("committee").get(reverse("branches:dues_index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "甲集团第一党支部" in body and "甲集团第二党支部" in body and "乙集团" not in body
    response = client_for("committee").get(reverse("branches:dues_index"), {"q": "不存在"})
    assert "empty-state" in response.content.decode()


# ---------------------------------------------------------------- month entry


def test_month_screen_prefills_the_amount_due_for_every_member(client_for, members):
    response = client_for("secretary").get(month_url())
    body = response.content.decode()
    assert body.count('data-due="90.00"') == 7  # base 6000 -> 1.5%
    assert "全部按应交足额" in body


def test_secretary_records_a_whole_month_in_one_post(client_for, members):
    month = last_month()
    response = client_for("secretary").post(month_url(), full_month_post(members.a, month))
    assert response.status_code == 302
    assert DuesPayment.objects.filter(month=month, amount_paid=Decimal("90.00")).count() == 7


def test_month_entry_with_one_bad_row_saves_nothing_and_keeps_what_was_typed(client_for, members):
    month = last_month()
    data = full_month_post(members.a, month)
    data[f"date_{members.a[3].pk}"] = f"{add_months(month, -1):%Y-%m}-28"
    response = client_for("secretary").post(month_url(), data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "未保存" in body and "甲3:交纳日期" in body and "早于所属月份" in body
    assert f'value="{month:%Y-%m}-05"' in body  # the other rows are kept as typed
    assert not DuesPayment.objects.exists()


def test_negative_amount_is_refused_in_chinese(client_for, members):
    month = last_month()
    data = full_month_post(members.a[:1], month)
    data[f"paid_{members.a[0].pk}"] = "-5"
    body = client_for("secretary").post(month_url(), data).content.decode()
    assert "未保存" in body
    assert not DuesPayment.objects.exists()


def test_a_future_month_cannot_be_recorded(client_for, members):
    future = add_months(month_start(timezone.localdate()), 2)
    response = client_for("secretary").get(month_url(month=future))
    assert "尚未到来" in response.content.decode()


# ---------------------------------------------------------------- year grid and arrears


def test_year_grid_marks_paid_and_unpaid_months(client_for, members):
    month = last_month()
    dues_month_record(
        organization=members.a[0].organization,
        month=month,
        rows={members.a[0].pk: (Decimal("90"), month.replace(day=5))},
    )
    response = client_for("secretary").get(year_url(), {"year": month.year})
    body = response.content.decode()
    assert body.count('aria-label="已交"') == 1
    assert 'aria-label="未交"' in body


def test_arrears_snippet_lists_members_three_months_behind(members):
    branch = members.a[0].organization
    three_ago = add_months(last_month(), -3)
    dues_month_record(
        organization=branch, month=three_ago, rows={members.a[0].pk: (Decimal("90"), three_ago.replace(day=2))}
    )
    arrears = dues_arrears(branch, timezone.localdate())  # the view reads them; the snippet only shows them
    html = render_to_string("branches/snippets/dues_arrears.html", {"organization": branch, "arrears": arrears})
    assert "党费欠交提醒" in html and "甲0" in html and "连续 <strong>3</strong> 个月未交" in html


def test_arrears_snippet_is_silent_when_nobody_is_behind(members):
    html = render_to_string("branches/snippets/dues_arrears.html", {"organization": members.a[0].organization})
    assert html.strip() == "" or "党费欠交提醒" not in html


# ---------------------------------------------------------------- query counts


def _grow_branch(branch, n=20):
    for i in range(n):
        make_member(branch, name=f"加{i:02d}")


def _pay_everyone(branch, months):
    from branches.selectors import members_during

    for month in months:
        ids = [m.pk for m in members_during(branch, month, month)]
        dues_month_record(
            organization=branch, month=month, rows={pk: (Decimal("90"), month.replace(day=3)) for pk in ids}
        )


@pytest.mark.parametrize("page", ["month", "year"])
def test_dues_pages_cost_the_same_for_7_or_27_members(client_for, members, django_assert_max_num_queries, page):
    branch = members.a[0].organization
    client = client_for("secretary")
    url = month_url() if page == "month" else year_url()
    _pay_everyone(branch, [last_month()])
    with django_assert_max_num_queries(12) as small:
        assert client.get(url).status_code == 200
    baseline = len(small.captured_queries)  # read now: each request resets the query log
    _grow_branch(branch)
    _pay_everyone(branch, [last_month(), add_months(last_month(), -1)])
    with django_assert_max_num_queries(baseline):
        assert client.get(url).status_code == 200


def test_month_post_costs_a_bounded_number_of_queries(client_for, members, django_assert_max_num_queries):
    branch = members.a[0].organization
    _grow_branch(branch)
    everyone = list(branch.members.all())
    client = client_for("secretary")
    with django_assert_max_num_queries(15):
        response = client.post(month_url(), full_month_post(everyone, last_month()))
    assert response.status_code == 302
    assert DuesPayment.objects.count() == 27
