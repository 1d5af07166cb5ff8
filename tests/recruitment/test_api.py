"""/api/v1/recruitment/: people and steps, read and record through the service, with the UI's access rules."""

import datetime

import pytest
from rest_framework.test import APIClient

from branches.validators import make_id_number
from recruitment.models import Person, Step

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def api_for(cast):
    def make(name):
        client = APIClient()
        if name:
            client.force_authenticate(getattr(cast, name))
        return client

    return make


def test_people_are_listed_with_their_next_step_in_fixed_queries(api_for, recruit, django_assert_max_num_queries):
    for i in range(3):
        recruit.walk(recruit(name=f"人{i}"), 4 + i)
    client = api_for("secretary")
    with django_assert_max_num_queries(6):
        response = client.get("/api/v1/recruitment/people/")
    assert response.status_code == 200
    rows = response.json()["results"]
    assert len(rows) == 3 and rows[0]["next_steps"]
    assert "*" in rows[0]["id_number"]


def test_an_outsider_does_not_see_the_branchs_people(api_for, recruit):
    person = recruit()
    assert api_for("secretary2").get("/api/v1/recruitment/people/").json()["results"] == []
    assert api_for("secretary2").get(f"/api/v1/recruitment/people/{person.pk}/").status_code == 404
    assert api_for("secretary2").post(f"/api/v1/recruitment/people/{person.pk}/steps/", {}).status_code == 404


def test_the_reviewer_reads_but_cannot_record(api_for, recruit):
    person = recruit()
    assert api_for("sasac").get(f"/api/v1/recruitment/people/{person.pk}/").status_code == 200
    response = api_for("sasac").post(
        f"/api/v1/recruitment/people/{person.pk}/steps/", {"number": 2, "date": "2023-01-20"}
    )
    assert response.status_code == 403


def test_anonymous_is_refused(api_for, recruit):
    assert api_for(None).get("/api/v1/recruitment/people/").status_code in (401, 403)


def test_a_step_is_recorded_through_the_gates(api_for, recruit):
    person = recruit()
    client = api_for("secretary")
    late = client.post(
        f"/api/v1/recruitment/people/{person.pk}/steps/", {"number": 2, "date": "2023-03-01"}, format="json"
    )
    assert late.status_code == 400 and "第七条" in late.json()["detail"]
    ok = client.post(
        f"/api/v1/recruitment/people/{person.pk}/steps/", {"number": 2, "date": "2023-01-20"}, format="json"
    )
    assert ok.status_code == 201 and ok.json()["name"] == "党组织派人谈话"
    assert ok.json()["recorded_by"] == "secretary"


def test_the_secretary_cannot_approve_but_the_committee_can(api_for, recruit):
    person = recruit.walk(recruit(), 16)
    url = f"/api/v1/recruitment/people/{person.pk}/steps/"
    assert api_for("secretary").post(url, {"number": 17, "date": "2024-06-01"}, format="json").status_code == 403
    response = api_for("committee").post(url, {"number": 17, "date": "2024-06-01"}, format="json")
    assert response.status_code == 201
    person.refresh_from_db()
    assert person.member.category == "probationary"


def test_the_assembly_step_names_its_meeting(api_for, recruit, tree):
    from .conftest import held_assembly

    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    body = {
        "number": 15,
        "date": "2024-05-10",
        "meeting": meeting.pk,
        "votes_for": 4,
        "publicity_start": "2024-04-22",
        "publicity_end": "2024-04-26",
    }
    response = api_for("secretary").post(f"/api/v1/recruitment/people/{person.pk}/steps/", body, format="json")
    assert response.status_code == 201 and response.json()["voting_expected"] == 7


def test_an_applicant_is_created(api_for, tree, members):
    body = {
        "org": tree.branch_a.code,
        "applied_on": "2026-01-05",
        "name": "赵新",
        "gender": "male",
        "birth_date": "2001-01-01",
        "id_number": make_id_number("110101", D(2001, 1, 1), 77),
        "education": "bachelor",
    }
    response = api_for("secretary").post("/api/v1/recruitment/people/", body, format="json")
    assert response.status_code == 201
    assert Person.objects.get(name="赵新").stage == "applicant"
    assert api_for("secretary2").post("/api/v1/recruitment/people/", body, format="json").status_code == 404


def test_steps_are_listed_in_fixed_queries(api_for, recruit, django_assert_max_num_queries):
    recruit.walk(recruit(), 12)
    client = api_for("committee")
    with django_assert_max_num_queries(5):
        response = client.get("/api/v1/recruitment/steps/")
    assert response.json()["count"] == Step.objects.count()
