"""思想汇报 in the API (read, and recorded through the same service as the page), in the 纪实表 and in the
材料归档 list (step 25's material check)."""

import datetime
import io
import zipfile

import pytest
from rest_framework.test import APIClient

from recruitment import documents, selectors, services
from recruitment.models import ThoughtReport

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


@pytest.fixture
def activist(recruit):
    """An 入党积极分子 from 2023-03-01 (step 3)."""
    return recruit.walk(recruit(), 3)


def test_a_report_is_recorded_through_the_service(api_for, activist):
    url = f"/api/v1/recruitment/people/{activist.pk}/thought-reports/"
    response = api_for("secretary").post(url, {"quarter": "2023-05-15", "submitted_on": "2023-05-20", "notes": "学习"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["quarter"] == "2023-04-01" and body["quarter_name"] == "2023年第二季度"
    again = api_for("secretary").post(url, {"quarter": "2023-06-01", "submitted_on": "2023-06-02"})
    assert again.status_code == 400 and "已记录" in str(again.json())


def test_a_report_before_the_person_became_an_activist_is_refused(api_for, recruit):
    person = recruit.walk(recruit(), 2)
    url = f"/api/v1/recruitment/people/{person.pk}/thought-reports/"
    response = api_for("secretary").post(url, {"quarter": "2023-04-01", "submitted_on": "2023-04-02"})
    assert response.status_code == 400 and "入党积极分子" in str(response.json())


def test_reports_are_listed_in_fixed_queries(api_for, recruit, django_assert_max_num_queries):
    for i in range(3):
        person = recruit.walk(recruit(name=f"人{i}"), 3)
        services.thought_report_record(person=person, quarter=D(2023, 4, 1), submitted_on=D(2023, 4, 5))
    with django_assert_max_num_queries(5):
        response = api_for("secretary").get("/api/v1/recruitment/thought-reports/")
    assert response.status_code == 200 and len(response.json()["results"]) == 3


def test_reports_follow_the_access_rules(api_for, activist):
    report = services.thought_report_record(person=activist, quarter=D(2023, 4, 1), submitted_on=D(2023, 4, 5))
    url = f"/api/v1/recruitment/thought-reports/{report.pk}/"
    assert api_for("secretary").get(url).status_code == 200
    assert api_for("sasac").get(url).status_code == 200
    assert api_for("secretary2").get(url).status_code == 404
    assert api_for("secretary2").get("/api/v1/recruitment/thought-reports/").json()["results"] == []
    create = f"/api/v1/recruitment/people/{activist.pk}/thought-reports/"
    body = {"quarter": "2023-07-01", "submitted_on": "2023-07-05"}
    assert api_for("sasac").post(create, body).status_code == 403
    assert api_for("secretary2").post(create, body).status_code == 404
    assert api_for(None).get(url).status_code in (401, 403)
    assert ThoughtReport.objects.count() == 1


def test_reports_are_in_the_record_and_the_material_list(activist):
    services.thought_report_record(person=activist, quarter=D(2023, 4, 1), submitted_on=D(2023, 4, 5), notes="学党章")
    reports = list(selectors.person_reports(activist))
    steps = list(selectors.person_steps(activist))
    content = documents.record_docx(activist, steps, reports, today=D(2023, 5, 1))
    xml = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml").decode()
    assert "思想汇报" in xml and "2023年第二季度" in xml and "学党章" in xml
    materials = {m.number: m for m in selectors.material_checklist(steps, reports)}
    assert materials[0].title == "思想汇报(1份)" and materials[0].present
    assert not selectors.material_checklist(steps, [])[4].recorded
