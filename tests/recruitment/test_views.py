"""The secretary's and the committee's pages: what they show, one-screen recording, refusals for every route, and
query counts pinned on every list."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document
from openpyxl import load_workbook

from branches.validators import make_id_number
from recruitment import services
from recruitment.models import DevelopmentPlan, Person, Step

from .conftest import WALK

D = datetime.date
pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.fixture
def people(recruit):
    """Four people in branch A: a fresh applicant (talk overdue), an activist, a candidate and one at step 16."""
    fresh = recruit(name="新申请", applied_on=D(2026, 1, 5))
    activist = recruit.walk(recruit(name="积极分子"), 6)
    candidate = recruit.walk(recruit(name="发展对象"), 11)
    waiting = recruit.walk(recruit(name="待审批"), 16)
    return fresh, activist, candidate, waiting


def urls(person, step):
    code = person.branch.code
    return {
        "get": [
            f"/recruitment/branch/{code}/",
            f"/recruitment/branch/{code}/new/",
            f"/recruitment/branch/{code}/register.xlsx",
            f"/recruitment/branch/{code}/import/",
            f"/recruitment/branch/{code}/import/template.xlsx",
            f"/recruitment/people/{person.pk}/",
            f"/recruitment/people/{person.pk}/record/",
            f"/recruitment/people/{person.pk}/report/",
            f"/recruitment/people/{person.pk}/transfer/",
            f"/recruitment/people/{person.pk}/leave/",
            f"/recruitment/people/{person.pk}/record.docx",
            f"/recruitment/people/{person.pk}/publicity.docx",
        ],
        "post": [
            f"/recruitment/branch/{code}/new/",
            f"/recruitment/branch/{code}/import/",
            f"/recruitment/people/{person.pk}/record/",
            f"/recruitment/people/{person.pk}/report/",
            f"/recruitment/people/{person.pk}/transfer/",
            f"/recruitment/people/{person.pk}/leave/",
            f"/recruitment/steps/{step.pk}/documents/",
        ],
    }


def test_every_route_sends_anonymous_visitors_to_login(client_for, people):
    person = people[1]
    all_urls = urls(person, person.steps.first())
    for url in all_urls["get"] + [f"/recruitment/org/{person.branch.code}/", "/recruitment/"]:
        response = client_for(None).get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"], url


def test_every_route_is_404_for_an_outsider(client_for, people):
    person = people[1]
    all_urls = urls(person, person.steps.first())
    for url in all_urls["get"]:
        assert client_for("secretary2").get(url).status_code == 404, url
    for url in all_urls["post"]:
        assert client_for("secretary2").post(url, {}).status_code == 404, url


def test_every_write_is_403_for_the_sasac_reviewer(client_for, people):
    person = people[1]
    all_urls = urls(person, person.steps.first())
    for url in all_urls["post"]:
        assert client_for("sasac").post(url, {}).status_code == 403, url
    assert client_for("sasac").get(f"/recruitment/people/{person.pk}/").status_code == 200


def test_the_branch_list_shows_overdue_first_with_the_next_step(client_for, people, django_assert_max_num_queries):
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        response = client.get(f"/recruitment/branch/{people[0].branch.code}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "已超期" in html and "党组织派人谈话" in html
    assert html.index("新申请") < html.index("发展对象")


def test_the_branch_list_costs_the_same_with_more_people(client_for, people, recruit, django_assert_max_num_queries):
    for i in range(5):
        recruit.walk(recruit(name=f"多{i}"), 5)
    client = client_for("secretary")
    with django_assert_max_num_queries(12):
        assert client.get(f"/recruitment/branch/{people[0].branch.code}/").status_code == 200


def test_the_person_page_shows_every_step(client_for, people, django_assert_max_num_queries):
    person = people[3]
    client = client_for("secretary")
    with django_assert_max_num_queries(15):
        response = client.get(f"/recruitment/people/{person.pk}/")
    html = response.content.decode()
    assert html.count('class="list-group-item"') >= 17
    assert person.masked_id_number in html and person.id_number not in html


def test_the_secretary_records_the_next_step_on_one_screen(client_for, people):
    fresh = people[0]
    client = client_for("secretary")
    page = client.get(f"/recruitment/people/{fresh.pk}/record/").content.decode()
    assert "党组织派人谈话" in page and "超期原因" in page and "votes_for" not in page
    response = client.post(
        f"/recruitment/people/{fresh.pk}/record/",
        {
            "number": 2,
            "date": "2026-03-01",
            "done_by": "李书记",
            "late_reason": "春节",
            "file": SimpleUploadedFile("t.png", PNG),
        },
    )
    assert response.status_code == 302
    step = Step.objects.get(person=fresh, number=2)
    assert step.recorded_by.username == "secretary" and step.documents.count() == 1


def test_a_refused_step_shows_the_article(client_for, people):
    fresh = people[0]
    response = client_for("secretary").post(
        f"/recruitment/people/{fresh.pk}/record/", {"number": 2, "date": "2026-03-01"}
    )
    assert response.status_code == 200
    assert "第七条" in response.content.decode()
    assert not Step.objects.filter(person=fresh, number=2).exists()


def test_the_secretary_is_not_offered_the_committees_steps(client_for, people, settings):
    # The 支部大会 of the fixture (2024) is long past: without this, its re-discussion (15) would be due by now.
    settings.RECRUITMENT_REDISCUSS_AFTER_MONTHS = None
    waiting = people[3]
    response = client_for("secretary").get(f"/recruitment/people/{waiting.pk}/record/")
    assert response.status_code == 302  # 17 is the committee's: nothing for the secretary to record
    response = client_for("secretary").post(
        f"/recruitment/people/{waiting.pk}/record/", {"number": 17, "date": "2024-06-01"}
    )
    assert response.status_code == 302 and not Step.objects.filter(person=waiting, number=17).exists()


def test_the_committee_approves_and_the_member_appears_on_the_roster(client_for, people, tree):
    waiting = people[3]
    response = client_for("committee").post(
        f"/recruitment/people/{waiting.pk}/record/",
        {"number": 17, "date": "2024-06-01", "document_number": "委〔2024〕9号"},
    )
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.member.organization == tree.branch_a
    roster = client_for("secretary").get(f"/members/?org={tree.branch_a.code}").content.decode()
    assert waiting.name in roster


def test_the_committee_overview_counts_by_stage_with_the_plan(client_for, people, tree, django_assert_max_num_queries):
    DevelopmentPlan.objects.create(organization=tree.branch_a, year=2024, planned=3)
    services.step_record(person=people[3], number=17, date=D(2024, 6, 1))
    client = client_for("committee")
    with django_assert_max_num_queries(14):
        response = client.get(f"/recruitment/org/{tree.committee_a.code}/?year=2024")
    html = response.content.decode()
    assert response.status_code == 200
    assert "1/3" in html and tree.branch_a.name in html


def test_the_committee_sets_the_plan_and_the_secretary_may_not(client_for, tree, people):
    assert (
        client_for("secretary")
        .post(f"/recruitment/org/{tree.branch_a.code}/plan/", {"year": 2026, "planned": 2})
        .status_code
        == 403
    )
    response = client_for("committee").post(
        f"/recruitment/org/{tree.branch_a.code}/plan/", {"year": 2026, "planned": 2}
    )
    assert response.status_code == 302
    assert DevelopmentPlan.objects.get(organization=tree.branch_a, year=2026).planned == 2


def test_a_new_applicant_is_registered(client_for, tree, members):
    response = client_for("secretary").post(
        f"/recruitment/branch/{tree.branch_a.code}/new/",
        {
            "name": "王新",
            "gender": "female",
            "birth_date": "1999-02-03",
            "id_number": make_id_number("110101", D(1999, 2, 3), 27),
            "ethnicity": "汉族",
            "education": "bachelor",
            "applied_on": "2026-01-02",
        },
    )
    assert response.status_code == 302
    assert Person.objects.get(name="王新").steps.get().number == 1


def test_the_record_sheet_and_the_register_are_printable(client_for, people, django_assert_max_num_queries):
    person = people[3]
    client = client_for("secretary")
    response = client.get(f"/recruitment/people/{person.pk}/record.docx")
    text = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert "上级党委派人谈话" in text and WALK[16][0].isoformat() in text
    assert person.id_number not in text
    with django_assert_max_num_queries(8):
        response = client.get(f"/recruitment/branch/{person.branch.code}/register.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A1"].value.startswith("发展党员登记册")  # the title row of the one workbook writer
    assert ws.max_row == 6 and ws["A2"].value == "姓名"


def test_the_publicity_notice_names_the_introducers(client_for, people):
    candidate = people[2]
    response = client_for("secretary").get(
        f"/recruitment/people/{candidate.pk}/publicity.docx?start=2024-04-22&end=2024-04-26"
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "甲0、甲1" in text and "2024年4月22日" in text


def test_a_person_leaves_and_nothing_is_deleted(client_for, people):
    activist = people[1]
    response = client_for("secretary").post(
        f"/recruitment/people/{activist.pk}/leave/", {"on": "2024-01-01", "reason": "本人放弃"}
    )
    assert response.status_code == 302
    activist.refresh_from_db()
    assert activist.status == "left" and activist.steps.count() == 7


def test_the_person_page_lists_the_archive_materials_present(client_for, people):
    waiting = people[3]
    step = waiting.steps.get(number=1)
    services.document_add(step=step, file=SimpleUploadedFile("apply.png", PNG), title="入党申请书")
    html = client_for("secretary").get(f"/recruitment/people/{waiting.pk}/").content.decode()
    materials = html[html.index('id="materials"') :]
    assert "bi-check-circle text-success" in materials.split("入党申请书")[0]
    assert "入党志愿书" in materials


def test_the_overview_shows_time_spent_in_each_stage(client_for, people, tree):
    html = client_for("committee").get(f"/recruitment/org/{tree.committee_a.code}/").content.decode()
    assert 'id="durations"' in html and "入党积极分子" in html


def test_the_filing_reports_carry_the_decision_and_the_vote(client_for, recruit):
    person = recruit.walk(recruit(), 18)
    client = client_for("secretary")
    for number, expected in ((4, "确定入党积极分子"), (8, "确定发展对象"), (18, "赞成7人")):
        response = client.get(f"/recruitment/people/{person.pk}/filing.docx?step={number}")
        text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
        assert expected in text, number


def test_posting_a_step_the_secretary_may_not_record_records_nothing(client_for, recruit):
    person = recruit.walk(recruit(), 3)  # 4 (备案, the committee's) and 5 are available
    response = client_for("secretary").post(
        f"/recruitment/people/{person.pk}/record/", {"number": 4, "date": "2023-03-10"}
    )
    assert response.status_code == 200 and "上级党委记录" in response.content.decode()
    assert list(person.steps.values_list("number", flat=True)) == [1, 2, 3]


def test_sasac_sees_the_counts_across_enterprises(client_for, people, tree, django_assert_max_num_queries):
    client = client_for("sasac")
    assert client.get("/recruitment/").status_code == 302
    with django_assert_max_num_queries(14):
        response = client.get(f"/recruitment/org/{tree.root.code}/")
    html = response.content.decode()
    assert tree.committee_a.name in html and tree.committee_b.name in html
    assert "设定发展计划" not in html


def test_the_index_lists_the_roles_organizations_in_fixed_queries(
    client_for, tree, cast, django_assert_max_num_queries
):
    from branches.models import Role

    Role.objects.create(user=cast.secretary, organization=tree.branch_b, kind=Role.Kind.SECRETARY)
    client = client_for("secretary")
    with django_assert_max_num_queries(8):
        response = client.get("/recruitment/")
    assert response.status_code == 200 and tree.branch_b.name in response.content.decode()


def test_the_committee_moves_a_person_to_another_branch(client_for, people, tree):
    activist = people[1]
    response = client_for("committee").post(
        f"/recruitment/people/{activist.pk}/transfer/", {"to_branch": tree.branch_b.pk, "on": "2024-01-01"}
    )
    assert response.status_code == 302
    activist.refresh_from_db()
    assert activist.branch == tree.branch_b
    assert client_for("secretary").get(f"/recruitment/people/{activist.pk}/").status_code == 404
    assert client_for("secretary2").get(f"/recruitment/people/{activist.pk}/").status_code == 200


def test_a_completed_path_leaves_the_default_list(client_for, recruit, tree):
    recruit.walk(recruit(name="已归档"), 25)
    recruit.walk(recruit(name="待归档"), 24)
    client = client_for("secretary")
    html = client.get(f"/recruitment/branch/{tree.branch_a.code}/").content.decode()
    assert "待归档" in html and "已归档" not in html
    assert "已归档" in client.get(f"/recruitment/branch/{tree.branch_a.code}/?stage=full").content.decode()


def test_the_register_neutralises_cells_that_look_like_formulas(client_for, recruit, tree):
    recruit(name="=HYPERLINK(1)", position="@SUM(A1)")
    response = client_for("secretary").get(f"/recruitment/branch/{tree.branch_a.code}/register.xlsx")
    ws = load_workbook(io.BytesIO(response.content)).active
    assert ws["A3"].value == "'=HYPERLINK(1)" and ws["A3"].data_type == "s"  # row 1 title, row 2 header


def test_the_record_sheet_shows_the_outcome_of_a_discussion(client_for, recruit, tree):
    from .conftest import held_assembly

    person = recruit.walk(recruit(), 22)
    meeting = held_assembly(tree.branch_a, D(2025, 5, 10))
    services.step_record(person=person, number=23, date=D(2025, 5, 10), meeting=meeting, votes_for=7, outcome="cancel")
    response = client_for("secretary").get(f"/recruitment/people/{person.pk}/record.docx")
    text = "\n".join(c.text for t in Document(io.BytesIO(response.content)).tables for r in t.rows for c in r.cells)
    assert "取消预备党员资格" in text


def test_the_assembly_form_offers_to_record_a_vote_that_did_not_pass(client_for, recruit, tree):
    from .conftest import held_assembly

    person = recruit.walk(recruit(), 14)
    meeting = held_assembly(tree.branch_a, D(2024, 5, 10))
    client = client_for("secretary")
    page = client.get(f"/recruitment/people/{person.pk}/record/?number=15").content.decode()
    assert "支部大会表决未通过" in page and "取消预备党员资格" not in page
    data = {"number": 15, "date": "2024-05-10", "meeting": meeting.pk, "votes_for": 3, "outcome": "rejected"}
    data |= {"publicity_start": "2024-04-22", "publicity_end": "2024-04-26"}
    assert client.post(f"/recruitment/people/{person.pk}/record/", data).status_code == 302
    step = Step.objects.get(person=person, number=15)
    assert step.outcome == "rejected" and step.voting_expected == 7
