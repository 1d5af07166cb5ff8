"""整改 and 考核细则 pages: the loop through the pages, the refusals, and query counts that do not grow with the rows."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assessments.rectification import services
from assessments.rectification.models import RectificationItem
from assessments.rubrics import services as rubric_services
from assessments.rubrics.models import Source

D = datetime.date
S = RectificationItem.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


def make_items(tree, n, *, title="问题"):
    items = []
    for i in range(n):
        item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title=f"{title}{i}")
        services.item_confirm(item=item, deadline=D(2099, 1, i + 1), responsible_text="书记", today=D(2025, 1, 1))
        items.append(item)
    return items


def test_the_secretary_reports_and_the_committee_closes_through_the_pages(tree, client_for):
    item = make_items(tree, 1)[0]
    secretary, committee = client_for("secretary"), client_for("committee")
    page = secretary.get(url("rectification_detail", item.pk)).content.decode()
    assert "报告整改情况" in page and "核验销号" not in page
    response = secretary.post(
        url("rectification_report", item.pk),
        {"measures": "已补齐会议记录", "files": [SimpleUploadedFile("a.png", PNG, "image/png")]},
    )
    assert response.status_code == 302
    assert secretary.post(url("rectification_close", item.pk)).status_code == 403  # not their own verification
    assert "核验销号" in committee.get(url("rectification_detail", item.pk)).content.decode()
    assert committee.post(url("rectification_close", item.pk), {"note": "核验通过"}).status_code == 302
    item.refresh_from_db()
    assert item.state == S.CLOSED
    evidence = item.events.get(action="report").evidence.get()
    assert secretary.get(url("rectification_evidence", evidence.pk)).status_code == 200
    assert client_for("secretary2").get(url("rectification_evidence", evidence.pk)).status_code == 404


def test_closing_before_a_report_shows_the_reason_and_changes_nothing(tree, client_for):
    item = make_items(tree, 1)[0]
    response = client_for("committee").post(url("rectification_close", item.pk), follow=True)
    assert "尚未报告整改情况" in response.content.decode()
    assert RectificationItem.objects.get(pk=item.pk).state == S.OPEN


def test_sasac_reads_but_may_not_write(tree, client_for):
    item = make_items(tree, 1)[0]
    sasac = client_for("sasac")
    assert sasac.get(url("rectification_detail", item.pk)).status_code == 200
    assert sasac.post(url("rectification_report", item.pk), {"measures": "x"}).status_code == 403
    assert sasac.post(url("rectification_close", item.pk)).status_code == 403


@pytest.mark.parametrize("rows", [2, 12])
def test_list_dashboard_and_export_cost_fixed_queries(tree, client_for, django_assert_max_num_queries, rows):
    make_items(tree, rows)
    client = client_for("committee")
    with django_assert_max_num_queries(8):
        assert client.get(url("rectification_list")).status_code == 200
    with django_assert_max_num_queries(9):
        assert client.get(url("rectification_list") + f"?org={tree.committee_a.code}&state=live").status_code == 200
    with django_assert_max_num_queries(8):
        page = client.get(url("rectification_dashboard", tree.committee_a.code))
    assert page.context["rows"][0].live == rows
    with django_assert_max_num_queries(8):
        response = client.get(url("rectification_export", tree.committee_a.code))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert sheet.max_row == rows + 2
    with django_assert_max_num_queries(9):
        assert client.get(url("rectification_proposals", tree.committee_a.code)).status_code == 200
    one = make_items(tree, 1)[0]
    with django_assert_max_num_queries(9):
        assert client.get(url("rectification_detail", one.pk)).status_code == 200


def test_the_ledger_export_neutralises_formulas(tree, client_for):
    item = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="=HYPERLINK(1)")
    services.item_confirm(item=item, deadline=D(2099, 1, 1), responsible_text="@书记", today=D(2025, 1, 1))
    response = client_for("committee").get(url("rectification_export", tree.committee_a.code))
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    assert sheet.cell(row=3, column=3).value == "'=HYPERLINK(1)"
    assert sheet.cell(row=3, column=6).value == "'@书记"


def test_the_proposals_page_finds_problems_and_the_committee_confirms_them(tree, client_for, members):
    client = client_for("committee")
    response = client.post(url("rectification_proposals", tree.committee_a.code), follow=True)
    assert "新发现" in response.content.decode()
    assert RectificationItem.objects.filter(state=S.PROPOSED, origin="data").exists()


def test_the_score_page_lists_the_occurrences_one_click_away(tree, client_for, members, django_assert_max_num_queries):
    items = [
        {
            "title": "组织生活",
            "points": 100,
            "children": [
                {
                    "title": "三会一课",
                    "points": 100,
                    "method": "deduction",
                    "unit_points": "0.5",
                    "source": Source.MISSING_MEETINGS,
                },
            ],
        },
    ]
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2025, name="细则", items=items)
    leaf = rubric.items.get(title="三会一课")
    client = client_for("secretary")
    with django_assert_max_num_queries(20):
        page = client.get(url("rubric_score", tree.branch_a.code) + "?year=2025").content.decode()
    assert f"item={leaf.pk}" in page
    detail = client.get(url("rubric_score", tree.branch_a.code) + f"?year=2025&item={leaf.pk}").content.decode()
    assert "扣完为止" in detail and "期间结束未完成" in detail
    assert client_for("secretary2").get(url("rubric_score", tree.branch_a.code)).status_code == 404
