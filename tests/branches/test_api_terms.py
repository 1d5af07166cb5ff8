"""/api/v1/terms/: committee terms, computed expiry, 换届 and approved extensions (关于党的基层组织任期的意见)."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from branches.models import CommitteePosition, CommitteeTerm
from tests.factories import record_election_step, start_term

URL = "/api/v1/terms/"


def orgs(response):
    assert response.status_code == 200, response.content
    return sorted(row["organization"]["code"] for row in response.json()["results"])


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("sasac", ["EA-B1", "EA-B2"]),
        ("committee", ["EA-B1", "EA-B2"]),
        ("secretary", ["EA-B1"]),
        ("secretary2", ["EA-B2"]),
    ],
)
def test_each_role_lists_exactly_the_terms_it_may_see(client_for, members, role, expected):
    assert orgs(client_for(role).get(URL)) == expected


def test_anonymous_visitor_is_refused(client_for, members):
    assert client_for(None).get(URL).status_code in (401, 403)


def test_a_term_shows_its_expiry_counted_from_today_in_beijing(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    row = client_for("secretary").get(f"{URL}{term.pk}/").json()
    assert row["expires_on"] == "2027-03-01"
    assert row["days_to_expiry"] == (datetime.date(2027, 3, 1) - timezone.localdate()).days
    assert row["is_current"] is True
    assert row["state"] in {"ok", "expiring", "overdue"}
    assert row["positions"] == [
        {"member": members.a[1].pk, "member_name": "甲1", "role": "organization", "role_display": "组织委员"},
        {"member": members.a[2].pk, "member_name": "甲2", "role": "propaganda", "role_display": "宣传委员"},
        {"member": members.a[0].pk, "member_name": "甲0", "role": "secretary", "role_display": "书记"},
    ]


def test_filters_org_under_and_current(client_for, members, tree):
    start_term(organization=tree.branch_a, started_on=datetime.date(2027, 3, 1), positions=[])
    client = client_for("committee")
    assert orgs(client.get(URL, {"org": "EA-B1"})) == ["EA-B1", "EA-B1"]
    assert orgs(client.get(URL, {"org": "EA-B1", "current": "true"})) == ["EA-B1"]
    past = client.get(URL, {"org": "EA-B1", "current": "false"}).json()["results"]
    assert [(row["state"], row["days_to_expiry"]) for row in past] == [("ended", None)]
    assert orgs(client.get(URL, {"under": "EA"})) == ["EA-B1", "EA-B1", "EA-B2"]
    assert client.get(URL, {"under": "EB"}).status_code == 404
    assert client.get(URL, {"org": "EB-B1"}).status_code == 404


def test_outsider_gets_404_on_retrieve_and_extend(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    client = client_for("secretary2")
    assert client.get(f"{URL}{term.pk}/").status_code == 404
    payload = {"months": 6, "approved_on": "2026-12-01"}
    assert client.post(f"{URL}{term.pk}/extend/", payload, content_type="application/json").status_code == 404


def test_reviewer_gets_403_on_every_term_write(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    client = client_for("sasac")
    payload = {"organization": "EA-B1", "started_on": "2027-03-01", "positions": []}
    assert client.post(URL, payload, content_type="application/json").status_code == 403
    extend = {"months": 6, "approved_on": "2026-12-01"}
    assert client.post(f"{URL}{term.pk}/extend/", extend, content_type="application/json").status_code == 403
    assert CommitteeTerm.objects.count() == 2


def test_secretary_records_a_new_term_and_the_old_one_ends(client_for, members):
    old = CommitteeTerm.objects.get(organization__code="EA-B1")
    record_election_step(old.organization, datetime.date(2027, 2, 20))
    payload = {
        "organization": "EA-B1",
        "started_on": "2027-02-20",
        "positions": [
            {"member": members.a[3].pk, "role": "secretary"},
            {"member": members.a[4].pk, "role": "deputy_secretary"},
            {"member": members.a[5].pk, "role": "discipline"},
        ],
    }
    response = client_for("secretary").post(URL, payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["term_years"], body["expires_on"], body["has_committee"]) == (3, "2030-02-20", True)
    assert {p["member_name"] for p in body["positions"]} == {"甲3", "甲4", "甲5"}
    old.refresh_from_db()
    assert old.ended_on == datetime.date(2027, 2, 20)


def test_secretary_cannot_record_a_term_for_another_branch(client_for, members):
    payload = {"organization": "EA-B2", "started_on": "2027-01-01", "positions": []}
    assert client_for("secretary").post(URL, payload, content_type="application/json").status_code == 404


def test_a_position_held_by_an_invisible_member_is_404(client_for, members):
    payload = {
        "organization": "EA-B1",
        "started_on": "2027-01-01",
        "positions": [{"member": members.b[0].pk, "role": "secretary"}],
    }
    assert client_for("secretary").post(URL, payload, content_type="application/json").status_code == 404


def test_a_branch_committee_is_elected_from_its_own_members(client_for, members):
    payload = {
        "organization": "EA-B1",
        "started_on": "2027-01-01",
        "positions": [{"member": members.b[0].pk, "role": "secretary"}],
    }
    response = client_for("committee").post(URL, payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "乙0 不是本支部党员,不能担任支部委员。"


def test_an_extension_is_approved_for_up_to_twelve_months(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    payload = {"months": 12, "approved_on": "2027-01-10", "document": "甲党委〔2027〕1号"}
    response = client_for("committee").post(f"{URL}{term.pk}/extend/", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["expires_on"] == "2028-03-01"
    assert response.json()["extension_document"] == "甲党委〔2027〕1号"


def test_an_extension_over_twelve_months_is_400_in_chinese(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    payload = {"months": 13, "approved_on": "2027-01-10"}
    response = client_for("secretary").post(f"{URL}{term.pk}/extend/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {
        "detail": "延期须经上级批准,最长不超过12个月。",
        "errors": {"non_field_errors": ["延期须经上级批准,最长不超过12个月。"]},
    }
    term.refresh_from_db()
    assert term.extension_months == 0


def test_a_past_term_cannot_be_extended(client_for, members, tree):
    old = CommitteeTerm.objects.get(organization__code="EA-B1")
    start_term(organization=tree.branch_a, started_on=datetime.date(2027, 3, 1), positions=[])
    payload = {"months": 3, "approved_on": "2027-01-10"}
    response = client_for("secretary").post(f"{URL}{old.pk}/extend/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["detail"] == "只能延长本届(当前)委员会的任期。"


def test_terms_are_not_edited_or_deleted_in_place(client_for, members):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    client = client_for("admin")
    assert client.put(f"{URL}{term.pk}/", {}, content_type="application/json").status_code == 405
    assert client.patch(f"{URL}{term.pk}/", {}, content_type="application/json").status_code == 405
    assert client.delete(f"{URL}{term.pk}/").status_code == 405


@pytest.mark.parametrize("extra", [5, 50])
def test_term_list_query_count_does_not_grow_with_rows(client_for, members, tree, django_assert_max_num_queries, extra):
    start = datetime.date(2030, 1, 1)
    for i in range(extra):
        start_term(
            organization=tree.branch_c,
            started_on=start + relativedelta(years=3 * i),  # each elected when the one before expires
            positions=[(members.c[0], CommitteePosition.Role.SECRETARY)],
            has_committee=False,
        )
    client = client_for("sasac")
    with django_assert_max_num_queries(6):
        response = client.get(URL)
    assert len(response.json()["results"]) == min(50, 2 + extra)


def test_superior_approves_an_early_election_through_the_api(client_for, members, tree, django_assert_max_num_queries):
    term = CommitteeTerm.objects.get(organization__code="EA-B1")
    url = f"{URL}{term.pk}/early-election/"
    payload = {"approved_on": "2026-05-10", "document": "甲党委〔2026〕7号"}
    refused = client_for("secretary").post(url, payload, content_type="application/json")
    assert refused.status_code == 400
    assert refused.json()["detail"] == "提前换届批复是考核依据,只能由上级党委修改,请联系上级党委办理。"
    client = client_for("committee")
    # The term read through the access helper, full_clean's constraint checks, the update and its history row, the
    # answer's reload: a fixed count, whatever the number of terms.
    with django_assert_max_num_queries(28):
        response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 200, response.content
    row = response.json()
    assert (row["early_election_approved_on"], row["early_election_document"]) == ("2026-05-10", "甲党委〔2026〕7号")
    assert client_for("sasac").post(url, payload, content_type="application/json").status_code == 403
    assert client_for("secretary2").post(url, payload, content_type="application/json").status_code == 404
