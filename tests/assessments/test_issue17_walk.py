"""What walking issue 17 on the demo found wrong, one test per fix: the year read twice in a rubric's name, names in
Western order in an item's history, the SASAC 整改 dashboard listing branches of every enterprise flat (no drill-down),
empty lists that do not say what to do, a top-level rubric item read as part of the group above it on the phone
form, a round page that does not say who inspects or what is scored yet, and blank computed columns in the export."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from assessments.inspections import services as inspections
from assessments.inspections.models import InspectionRound
from assessments.rectification import selectors
from assessments.rectification import services as rectification
from assessments.rubrics import services as rubrics
from assessments.rubrics.models import Rubric, Source

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = D(2026, 5, 10)
ITEMS = [
    {"title": "阵地建设", "points": 65, "children": [{"title": "活动场所", "points": 65}]},
    {
        "title": "组织生活",
        "points": 35,
        "children": [
            {
                "title": "三会一课",
                "points": 35,
                "method": "deduction",
                "unit_points": 1,
                "source": Source.MISSING_MEETINGS,
            }
        ],
    },
    {"title": "创新加分", "points": 5, "method": "bonus"},
]


def url(name, *args):
    return reverse(f"assessments:{name}", args=args)


@pytest.fixture
def round(tree, cast):
    rubric = rubrics.rubric_create(committee=tree.committee_a, year=2026, name="2026年观摩细则", items=ITEMS)
    return inspections.round_open(
        committee=tree.committee_a,
        year=2026,
        kind=InspectionRound.Kind.CROSS,
        title="2026年交叉观摩",
        rubric=rubric,
        organizations=[tree.branch_a, tree.branch_b],
        team=[cast.committee],
        today=TODAY,
    )


def item_for(tree, organization, committee, *, deadline, title="问题"):
    item = rectification.item_propose(organization=organization, committee=committee, title=title)
    rectification.item_confirm(item=item, deadline=deadline, responsible_text="书记", today=D(2026, 1, 1))
    return item


def test_a_rubric_named_with_its_year_does_not_read_the_year_twice(tree, client_for):
    named = Rubric(committee=tree.committee_a, year=2026, name="2026年党支部考核细则")
    assert str(named) == "2026年党支部考核细则"
    assert str(Rubric(committee=tree.committee_a, year=2026, name="党支部考核细则")) == "2026年 党支部考核细则"
    rubric = rubrics.rubric_create(committee=tree.committee_a, year=2026, name="2026年党支部考核细则", items=ITEMS)
    page = client_for("committee").get(url("rubric_detail", rubric.pk)).content.decode()
    assert "2026年 2026年" not in page and "2026年党支部考核细则" in page


def test_the_item_history_names_people_surname_first(tree, cast, client_for):
    cast.committee.last_name, cast.committee.first_name = "周", "兴文"
    cast.committee.save()
    item = rectification.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="问题")
    rectification.item_confirm(
        item=item, deadline=D(2099, 1, 1), responsible_text="书记", user=cast.committee, today=D(2026, 1, 1)
    )
    page = client_for("secretary").get(url("rectification_detail", item.pk)).content.decode()
    assert "周兴文" in page and "兴文 周" not in page


def test_the_dashboard_drills_down_from_sasac_to_the_enterprise_to_its_branches(tree, client_for):
    today = D(2026, 5, 10)
    item_for(tree, tree.branch_a, tree.committee_a, deadline=D(2026, 5, 1))  # overdue
    item_for(tree, tree.branch_b, tree.committee_a, deadline=D(2026, 6, 1))
    item_for(tree, tree.committee_b, tree.root, deadline=D(2026, 6, 1))
    rows = selectors.dashboard_rollup(tree.root, today)
    assert [(r.organization, r.live, r.overdue, r.drill) for r in rows] == [
        (tree.committee_a, 2, 1, True),
        (tree.committee_b, 1, 0, False),
    ]
    assert [(r.organization, r.live) for r in selectors.dashboard_rollup(tree.committee_a, today)] == [
        (tree.branch_a, 1),
        (tree.branch_b, 1),
    ]
    page = client_for("sasac").get(url("rectification_dashboard", tree.root.code)).content.decode()
    assert url("rectification_dashboard", tree.committee_a.code) in page  # one click into the enterprise
    assert tree.branch_a.name not in page  # no longer flat across every enterprise
    own = selectors.dashboard_rollup(tree.branch_a, today)
    assert [(r.organization, r.live, r.drill) for r in own] == [(tree.branch_a, 1, False)]


def test_the_dashboard_query_count_does_not_grow_with_organizations(tree, client_for, django_assert_max_num_queries):
    for organization in (tree.branch_a, tree.branch_b, tree.committee_b):
        committee = tree.root if organization == tree.committee_b else tree.committee_a
        item_for(tree, organization, committee, deadline=D(2099, 1, 1))
    client = client_for("sasac")
    with django_assert_max_num_queries(9):
        assert client.get(url("rectification_dashboard", tree.root.code)).status_code == 200


def test_empty_lists_say_what_to_do(client_for):
    secretary = client_for("secretary").get(url("inspection_list")).content.decode()
    assert "观摩督查由上级党组织开展" in secretary and url("rectification_list") in secretary
    committee = client_for("committee").get(url("inspection_list")).content.decode()
    assert "点击“开展观摩督查”" in committee
    assert "点击“新建细则”" in client_for("committee").get(url("rubric_list")).content.decode()
    assert "考核细则由上级党委制定" in client_for("secretary").get(url("rubric_list")).content.decode()
    assert "开展单位从被观摩单位中选树" in client_for("secretary").get(url("inspection_showcases")).content.decode()


def test_a_top_level_item_without_children_has_its_own_heading_on_the_phone_form(tree, round, client_for):
    bonus = round.rubric.items.get(title="创新加分")
    page = client_for("committee").get(url("inspection_visit", round.pk, tree.branch_a.code)).content.decode()
    assert f'data-heading="{bonus.pk}"' in page


def test_the_round_page_names_the_team_and_what_is_scored(tree, cast, round, client_for):
    cast.committee.last_name, cast.committee.first_name = "周", "兴文"
    cast.committee.save()
    ids = {i.title: i.pk for i in round.rubric.items.all()}
    inspections.scores_record(
        round=round, organization=tree.branch_a, user=cast.committee, values={ids["活动场所"]: 50}
    )
    response = client_for("committee").get(url("inspection_detail", round.pk))
    page = response.content.decode()
    assert "观摩组:周兴文" in page
    assert response.context["scored"] == {tree.branch_a.pk}
    assert page.count("已评分") == 1 and "修改评分" in page


def test_the_score_export_says_which_columns_are_computed_from_the_records(tree, cast, round, client_for):
    ids = {i.title: i.pk for i in round.rubric.items.all()}
    for organization in (tree.branch_a, tree.branch_b):
        inspections.scores_record(
            round=round, organization=organization, user=cast.committee, values={ids["活动场所"]: 50}
        )
    inspections.round_finish(round=round, today=TODAY)
    response = client_for("committee").get(url("inspection_export", round.pk))
    sheet = load_workbook(io.BytesIO(response.content)).active
    headers = [c.value for c in sheet[2]]
    assert "三会一课(按记录计算,计入总分)" in headers and "活动场所" in headers
    setup = sheet.page_setup
    assert (setup.paperSize, sheet.freeze_panes, sheet.print_title_rows) == (9, "A3", "$1:$2")
    assert str(sheet["A1"].value).startswith("2026年交叉观摩 评分汇总")


def test_the_year_button_of_the_score_page_does_not_wrap_into_a_column(tree, client_for):
    rubrics.rubric_create(committee=tree.committee_a, year=2026, name="2026年观摩细则", items=ITEMS)
    page = client_for("committee").get(url("rubric_score", tree.branch_a.code) + "?year=2026").content.decode()
    assert 'class="btn btn-sm btn-party text-nowrap" type="submit" id="year-go"' in page


def test_a_deduction_with_no_occurrences_is_not_a_link_to_an_empty_list(tree, client_for):
    items = [
        {"title": "阵地建设", "points": 90, "children": [{"title": "活动场所", "points": 90}]},
        {
            "title": "组织生活",
            "points": 10,
            "children": [
                {
                    "title": "记录及时",
                    "points": 10,
                    "method": "deduction",
                    "unit_points": 1,
                    "source": Source.LATE_RECORDS,
                }
            ],
        },
    ]
    rubric = rubrics.rubric_create(committee=tree.committee_a, year=2026, name="2026年细则", items=items)
    late = rubric.items.get(title="记录及时")
    page = client_for("committee").get(url("rubric_score", tree.branch_a.code) + "?year=2026").content.decode()
    assert "0 次 × 1 分" in page and f"item={late.pk}" not in page
