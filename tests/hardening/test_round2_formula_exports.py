"""Issue 12 point 3 (the output half): no formula reaches any workbook we write. A name that slipped in before the
input check (an old row, the admin of an earlier version) is written as text by the one workbook writer
(common/xlsx.py) in every export: the dashboards' tables, the roster template's codes, the 三本一表."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from branches.models import Organization

pytestmark = pytest.mark.django_db

EVIL = '=HYPERLINK("http://evil.example/","点此")'


def _cells(response):
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value is not None]


def _assert_no_formula(cells):
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any(c.value == "'" + EVIL for c in cells), "the name is there, as text"


def test_the_committee_heat_map_export_writes_a_formula_name_as_text(client_for, tree):
    Organization.objects.filter(pk=tree.branch_a.pk).update(name=EVIL)  # as if typed before the input check
    url = reverse("assessments:committee_dashboard", args=[tree.root.code]) + "?export=heatmap"
    _assert_no_formula(_cells(client_for("sasac").get(url)))


def test_the_roster_template_writes_a_formula_name_as_text(client_for, tree):
    Organization.objects.filter(pk=tree.branch_a.pk).update(name=EVIL)
    _assert_no_formula(_cells(client_for("secretary").get(reverse("branches:branches_roster_template"))))
