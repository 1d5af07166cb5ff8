"""People are named as people (周兴文), never by their login, in the recruitment API and the 纪实表 (issue 14 point 10)."""

import datetime
import io

import pytest
from docx import Document
from rest_framework.test import APIClient

from recruitment import documents
from recruitment.models import Step

pytestmark = pytest.mark.django_db


def test_the_step_recorder_reads_as_a_chinese_name(cast, recruit):
    cast.secretary.last_name, cast.secretary.first_name = "周", "兴文"
    cast.secretary.save(update_fields=["last_name", "first_name"])
    person = recruit()
    client = APIClient()
    client.force_authenticate(cast.secretary)
    response = client.post(
        f"/api/v1/recruitment/people/{person.pk}/steps/", {"number": 2, "date": "2023-01-20"}, format="json"
    )
    assert response.status_code == 201
    assert (response.json()["recorded_by"], response.json()["recorded_by_id"]) == ("周兴文", cast.secretary.pk)
    steps = Step.objects.filter(person=person).select_related("recorded_by").order_by("number")
    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(documents.record_docx(person, steps, today=datetime.date(2023, 2, 1)))).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "周兴文" in text and "兴文 周" not in text and "secretary" not in text
