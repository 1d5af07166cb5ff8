"""观摩/督查: inspectors score only their round's organizations; the round ends with a ranking (ties: 并列) and classes;
problems recorded become proposed 整改 items; showcase sites are named."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.inspections import services
from assessments.inspections.models import InspectionRound
from assessments.rectification.models import RectificationItem
from assessments.rubrics import services as rubric_services

D = datetime.date
TODAY = D(2026, 5, 10)
ITEMS = [
    {"title": "阵地建设", "points": 60, "children": [{"title": "活动场所", "points": 60}]},
    {"title": "品牌创建", "points": 40, "children": [{"title": "特色做法", "points": 40}]},
    {"title": "创新加分", "points": 5, "method": "bonus"},
    {"title": "安全红线", "points": 0, "method": "veto"},
]


@pytest.fixture
def round(tree, cast):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="观摩细则", items=ITEMS)
    return services.round_open(
        committee=tree.committee_a,
        year=2026,
        kind=InspectionRound.Kind.CROSS,
        title="2026年交叉观摩",
        rubric=rubric,
        organizations=[tree.branch_a, tree.branch_b],
        team=[cast.committee],
        today=TODAY,
    )


def leaves(round):
    return {i.title: i.pk for i in round.rubric.items.all()}


def test_a_round_ranks_with_ties_and_classes(tree, cast, round):
    ids = leaves(round)
    services.scores_record(
        round=round,
        organization=tree.branch_a,
        user=cast.committee,
        values={ids["活动场所"]: 55, ids["特色做法"]: 35, ids["创新加分"]: 9},
    )
    services.scores_record(
        round=round,
        organization=tree.branch_b,
        user=cast.committee,
        values={ids["活动场所"]: 60, ids["特色做法"]: 35},
    )
    services.round_finish(round=round, today=TODAY)
    results = {r.organization: r for r in round.results.all()}
    a, b = results[tree.branch_a], results[tree.branch_b]
    assert (a.total, b.total) == (Decimal(95), Decimal(95))  # 90 + the bonus capped at 5 = 95
    assert (a.rank, a.tied, b.rank, b.tied) == (1, True, 1, True)
    assert round.state == InspectionRound.State.FINISHED
    with pytest.raises(ValidationError, match="已结束"):
        services.scores_record(round=round, organization=tree.branch_a, user=cast.committee, values={})


def test_a_veto_puts_the_organization_last_class(tree, cast, round):
    ids = leaves(round)
    services.scores_record(
        round=round,
        organization=tree.branch_a,
        user=cast.committee,
        values={ids["活动场所"]: 60, ids["特色做法"]: 40, ids["安全红线"]: 1},
    )
    services.round_finish(round=round, today=TODAY)
    result = round.results.get(organization=tree.branch_a)
    assert result.veto and result.level == "lagging"
    assert round.results.get(organization=tree.branch_b).rank == 2


def test_only_the_team_scores_and_only_the_rounds_organizations(tree, cast, round):
    ids = leaves(round)
    with pytest.raises(ValidationError, match="观摩组成员"):
        services.scores_record(
            round=round, organization=tree.branch_a, user=cast.secretary, values={ids["活动场所"]: 1}
        )
    with pytest.raises(ValidationError, match="不在本轮"):
        services.scores_record(round=round, organization=tree.branch_c, user=cast.committee, values={})
    with pytest.raises(ValidationError):
        services.scores_record(
            round=round, organization=tree.branch_a, user=cast.committee, values={ids["活动场所"]: 70}
        )


def test_a_problem_found_becomes_a_proposed_item_and_photos_are_checked(tree, cast, round):
    item = services.problem_record(round=round, organization=tree.branch_a, user=cast.committee, title="阵地标识缺失")
    assert (item.state, item.origin, item.round, item.committee) == (
        RectificationItem.State.PROPOSED,
        "inspection",
        round,
        tree.committee_a,
    )
    png = SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    assert services.photo_add(round=round, organization=tree.branch_a, user=cast.committee, file=png).size > 0
    with pytest.raises(ValidationError):
        services.photo_add(
            round=round, organization=tree.branch_a, user=cast.committee, file=SimpleUploadedFile("x.txt", b"hi")
        )


def test_showcases_come_from_the_rounds_organizations(tree, round):
    showcase = services.showcase_add(round=round, organization=tree.branch_a, kind="site", title="红色阵地示范点")
    assert showcase.get_kind_display() == "示范点"
    with pytest.raises(ValidationError):
        services.showcase_add(round=round, organization=tree.branch_c, kind="site", title="x")


def test_rank_is_competition_ranking():
    assert services.rank([("a", 90), ("b", 95), ("c", 90), ("d", 80)]) == [
        ("b", 95, 1, False),
        ("a", 90, 2, True),
        ("c", 90, 2, True),
        ("d", 80, 4, False),
    ]


def test_the_inspector_scores_records_a_problem_through_the_visit_page(tree, cast, round, client_for):
    from django.urls import reverse

    ids = leaves(round)
    client = client_for("committee")
    visit = reverse("assessments:inspection_visit", args=[round.pk, tree.branch_a.code])
    assert client_for("secretary").get(visit).status_code == 404
    response = client.post(
        visit, {f"item_{ids['活动场所']}": "50", f"note_{ids['活动场所']}": "场所偏小", "problem": "制度未上墙"}
    )
    assert response.status_code == 302
    assert round.scores.get().value == Decimal(50)
    assert RectificationItem.objects.get(round=round).title == "制度未上墙"


def test_the_round_pages_cost_fixed_queries(tree, cast, round, client_for, django_assert_max_num_queries):
    from django.urls import reverse

    client = client_for("committee")
    services.problem_record(round=round, organization=tree.branch_a, user=cast.committee, title="问题一")
    services.showcase_add(round=round, organization=tree.branch_b, kind="practice", title="经验一")
    with django_assert_max_num_queries(12):
        assert client.get(reverse("assessments:inspection_detail", args=[round.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert (
            client.get(reverse("assessments:inspection_visit", args=[round.pk, tree.branch_a.code])).status_code == 200
        )
    with django_assert_max_num_queries(8):
        assert client.get(reverse("assessments:inspection_list")).status_code == 200
    other = client_for("secretary2")
    with django_assert_max_num_queries(8):
        page = other.get(reverse("assessments:inspection_showcases")).content.decode()
    assert "经验一" in page


def test_the_rounds_scores_export_with_ties(tree, cast, round, client_for, django_assert_max_num_queries):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    ids = leaves(round)
    for org in (tree.branch_a, tree.branch_b):
        services.scores_record(
            round=round, organization=org, user=cast.committee, values={ids["活动场所"]: 50, ids["特色做法"]: 30}
        )
    services.round_finish(round=round, today=TODAY)
    client = client_for("committee")
    with django_assert_max_num_queries(10):
        response = client.get(reverse("assessments:inspection_export", args=[round.pk]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[2]][-3:] == ["总分", "名次", "分类"]
    assert sheet.cell(row=3, column=sheet.max_column - 1).value == "1(并列)"
