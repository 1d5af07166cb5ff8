"""The pages of issue 17 that had only services: defining and editing a rubric (rows kept as typed, every problem at
once), reusing last year's, opening a round, naming showcases at its end; and SASAC's one exception (it runs its own
rounds over the enterprises, and writes nothing else)."""

import datetime
from decimal import Decimal

import pytest

from assessments.inspections import services as inspections
from assessments.inspections.models import InspectionRound, Showcase
from assessments.letters import services as letter_services
from assessments.rectification import services as rectification
from assessments.rubrics import services as rubric_services
from assessments.rubrics.models import Rubric
from tests.assessments.test_letter_helpers import STANDARD_ITEMS

D = datetime.date
pytestmark = pytest.mark.django_db
ITEMS = [
    {"title": "阵地建设", "points": 60, "children": [{"title": "活动场所", "points": 60}]},
    {"title": "组织生活", "points": 40, "children": [{"title": "三会一课", "points": 40, "method": "deduction",
                                                     "unit_points": "0.5", "source": "missing_meetings"}]},
    {"title": "创新加分", "points": 5, "method": "bonus"},
]  # fmt: skip


def rows(*items):
    """POST data of the rubric form: (level, title, points, method, unit, source[, indicator]) per row."""
    data = {"rows": str(len(items))}
    for n, item in enumerate(items):
        keys = ("level", "title", "points", "method", "unit_points", "source", "indicator_code")
        for key, value in zip(keys, item, strict=False):
            data[f"row-{n}-{key}"] = value
    return data


GOOD = [
    ("major", "组织生活", "60", "manual", "", ""),
    ("minor", "三会一课按期开展", "50", "deduction", "0.5", "missing_meetings"),
    ("minor", "主题党日", "10", "rate", "", "", "theme_day"),
    ("major", "阵地建设", "40", "manual", "", ""),
    ("major", "党建品牌", "5", "bonus", "", ""),
]


def test_a_committee_defines_a_rubric_of_big_and_small_items(tree, client_for):
    client = client_for("committee")
    assert client.get("/assessments/rubrics/new/EA/").status_code == 200
    response = client.post("/assessments/rubrics/new/EA/", {"name": "年度考核细则", "year": 2026, "full_points": 100,
                                                           **rows(*GOOD)})  # fmt: skip
    rubric = Rubric.objects.get(name="年度考核细则")
    assert response.url == f"/assessments/rubrics/{rubric.pk}/"
    tree_ = rubric_services.rubric_items_tree(rubric)
    assert [(i["title"], [k["title"] for k in i["children"]]) for i in tree_] == [
        ("组织生活", ["三会一课按期开展", "主题党日"]),
        ("阵地建设", []),
        ("党建品牌", []),
    ]
    kid = tree_[0]["children"][0]
    assert (kid["method"], kid["unit_points"], kid["source"]) == ("deduction", Decimal("0.5"), "missing_meetings")
    assert tree_[0]["children"][1]["indicator_code"] == "theme_day"
    page = client.get(f"/assessments/rubrics/{rubric.pk}/").content.decode()
    assert "三会一课按期开展" in page and "按次扣分" in page and "指标:主题党日" in page


def test_every_problem_is_shown_at_once_and_what_was_typed_is_kept(tree, client_for):
    bad = [
        ("minor", "孤立小项", "5", "manual", "", ""),
        ("major", "组织生活", "abc", "manual", "", ""),
        ("major", "三会一课", "30", "deduction", "", ""),
        ("major", "主题党日", "10", "rate", "", ""),
    ]
    response = client_for("committee").post("/assessments/rubrics/new/EA/", {"name": "细则", "year": 2026,
                                                                             "full_points": 100, **rows(*bad)})  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 200 and not Rubric.objects.exists()
    for message in (
        "第1行:小项之前须有所属的大项",
        "第1项:分值应为数字",
        "第2项:按次扣分的条目须填写每次扣分",
        "第3项:按完成率计分的条目须选择关联指标",
    ):
        assert message in page
    assert 'value="孤立小项"' in page and 'value="abc"' in page and 'value="细则"' in page


def test_more_rows_keep_the_typed_ones_and_save_nothing(tree, client_for):
    data = {"name": "细则", "year": 2026, "full_points": 100, "more": "1", **rows(GOOD[0])}
    page = client_for("committee").post("/assessments/rubrics/new/EA/", data).content.decode()
    assert 'value="组织生活"' in page and 'name="rows" value="4"' in page and not Rubric.objects.exists()


def test_edit_copy_and_the_refusal_once_a_round_used_it(tree, cast, client_for):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2025, name="2025年细则", items=ITEMS)
    client = client_for("committee")
    page = client.get(f"/assessments/rubrics/{rubric.pk}/edit/").content.decode()
    assert 'value="三会一课"' in page
    changed = [("major", "阵地建设", "100", "manual", "", ""), ("minor", "活动场所", "100", "manual", "", "")]
    response = client.post(f"/assessments/rubrics/{rubric.pk}/edit/", {"name": "2025年细则(修订)", "full_points": 100,
                                                                       **rows(*changed)})  # fmt: skip
    assert response.status_code == 302
    rubric.refresh_from_db()
    assert rubric.name == "2025年细则(修订)" and rubric.year == 2025 and rubric.items.count() == 2
    response = client.post(f"/assessments/rubrics/{rubric.pk}/copy/", {"year": 2026})
    copy = Rubric.objects.get(year=2026)
    assert response.url == f"/assessments/rubrics/{copy.pk}/edit/" and copy.copied_from == rubric
    inspections.round_open(committee=tree.committee_a, year=2025, kind="internal", title="观摩", rubric=rubric,
                           organizations=[tree.branch_a], team=[cast.committee])  # fmt: skip
    response = client.post(
        f"/assessments/rubrics/{rubric.pk}/edit/", {"name": "再改", "full_points": 100, **rows(*changed)}
    )
    assert "已用于观摩督查,不能再修改" in response.content.decode()
    assert Rubric.objects.get(pk=rubric.pk).name == "2025年细则(修订)"


def test_a_committee_opens_a_round_and_names_showcases_at_its_end(tree, cast, client_for):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="观摩细则", items=ITEMS)
    client = client_for("committee")
    page = client.get("/assessments/inspections/new/EA/").content.decode()
    assert "甲集团第一党支部" in page and "第一党小组" not in page
    response = client.post("/assessments/inspections/new/EA/", {"title": "", "year": 2026, "kind": "cross"})
    page = response.content.decode()
    assert "名称:请填写这一项" in page and "被观摩单位:" in page and "观摩组成员:" in page
    data = {"title": "2026年交叉观摩", "year": 2026, "kind": "cross", "rubric": rubric.pk,
            "organizations": [tree.branch_a.pk, tree.branch_b.pk], "team": [cast.committee.pk, cast.secretary2.pk]}  # fmt: skip
    response = client.post("/assessments/inspections/new/EA/", data)
    round = InspectionRound.objects.get(title="2026年交叉观摩")
    assert response.url == f"/assessments/inspections/{round.pk}/"
    assert set(round.organizations.all()) == {tree.branch_a, tree.branch_b} and round.kind == "cross"
    assert client.get(f"/assessments/inspections/{round.pk}/showcases/new/").status_code == 200
    inspections.round_finish(round=round)
    detail = client.get(f"/assessments/inspections/{round.pk}/").content.decode()
    score = f"/assessments/rubrics/score/EA-B1/?rubric={rubric.pk}&amp;year=2026"
    assert score in detail  # each organization's score, with the occurrences behind its deductions
    assert client.get(score.replace("&amp;", "&")).status_code == 200
    showcase = {"organization": tree.branch_a.pk, "kind": "site", "title": "红色阵地示范点", "description": "做法"}
    response = client.post(f"/assessments/inspections/{round.pk}/showcases/new/", showcase)
    assert response.status_code == 302 and Showcase.objects.get().title == "红色阵地示范点"
    bad = client.post(
        f"/assessments/inspections/{round.pk}/showcases/new/", {**showcase, "organization": tree.branch_c.pk}
    )
    assert "单位:" in bad.content.decode() and Showcase.objects.count() == 1
    assert "红色阵地示范点" in client_for("secretary").get("/assessments/inspections/showcases/").content.decode()


def test_the_secretary_of_a_branch_may_not_open_rounds_or_define_rubrics(tree, client_for):
    client = client_for("secretary")
    assert client.get("/assessments/inspections/new/EA/").status_code == 404
    assert client.get("/assessments/rubrics/new/EA/").status_code == 404
    assert client.post("/assessments/rubrics/new/EA-B1/", {"name": "x"}).status_code == 404


# ---------------------------------------------------------------------------- SASAC: the one exception


def test_sasac_runs_its_own_round_over_the_enterprises(tree, cast, client_for):
    client = client_for("sasac")
    response = client.post("/assessments/rubrics/new/ROOT/", {"name": "国资委观摩细则", "year": 2026, "full_points": 100,
                                                             **rows(*GOOD)})  # fmt: skip
    rubric = Rubric.objects.get(committee=tree.root)
    assert response.status_code == 302
    page = client.get("/assessments/inspections/new/ROOT/").content.decode()
    assert "甲集团党委" in page and "甲集团第一党支部" not in page  # enterprises only
    data = {"title": "国资委示范观摩", "year": 2026, "kind": "showcase", "rubric": rubric.pk,
            "organizations": [tree.committee_a.pk, tree.committee_b.pk], "team": [cast.sasac.pk]}  # fmt: skip
    assert client.post("/assessments/inspections/new/ROOT/", data).status_code == 302
    round = InspectionRound.objects.get(title="国资委示范观摩")
    assert round.committee == tree.root
    assert client.post(f"/assessments/inspections/{round.pk}/visit/EA/", {}).status_code == 302  # on the team
    assert client.post(f"/assessments/inspections/{round.pk}/finish/").status_code == 302
    round.refresh_from_db()
    assert round.state == "finished" and round.results.count() == 2
    showcase = {"organization": tree.committee_a.pk, "kind": "practice", "title": "经验", "description": ""}
    assert client.post(f"/assessments/inspections/{round.pk}/showcases/new/", showcase).status_code == 302
    assert client.post(f"/assessments/rubrics/{rubric.pk}/copy/", {"year": 2027}).status_code == 302


def test_the_service_refuses_sasac_a_round_over_branches(tree, cast):
    rubric = rubric_services.rubric_create(committee=tree.root, year=2026, name="细则", items=ITEMS)
    with pytest.raises(Exception, match="只能面向所属企业党委"):
        inspections.round_open(committee=tree.root, year=2026, kind="internal", title="观摩", rubric=rubric,
                               organizations=[tree.branch_a], team=[cast.sasac], user=cast.sasac)  # fmt: skip


def test_sasac_still_writes_nothing_else(tree, cast, client_for):
    client = client_for("sasac")
    committee_rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="细则", items=ITEMS)
    round = inspections.round_open(committee=tree.committee_a, year=2026, kind="internal", title="企业观摩",
                                   rubric=committee_rubric, organizations=[tree.branch_a], team=[cast.committee])  # fmt: skip
    # A committee's rubrics and rounds below it: 403, as for any write of a read-only user.
    assert client.get("/assessments/rubrics/new/EA/").status_code == 403
    assert client.get("/assessments/inspections/new/EA/").status_code == 403
    assert client.get(f"/assessments/rubrics/{committee_rubric.pk}/edit/").status_code == 403
    assert client.post(f"/assessments/rubrics/{committee_rubric.pk}/copy/", {"year": 2027}).status_code == 403
    assert client.post(f"/assessments/inspections/{round.pk}/finish/").status_code == 403
    assert client.get(f"/assessments/inspections/{round.pk}/showcases/new/").status_code == 403
    # Not on the team: no scoring.
    assert client.post(f"/assessments/inspections/{round.pk}/visit/EA-B1/", {}).status_code == 403
    # A committee's 整改: SASAC may not confirm or close it.
    item = rectification.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="记录不全")
    assert client.post(f"/assessments/rectification/{item.pk}/confirm/", {"deadline": "2099-01-01"}).status_code == 403
    assert client.post(f"/assessments/rectification/{item.pk}/close/", {}).status_code == 403
    item.refresh_from_db()
    assert item.state == "proposed"
    # Letters: no template, no edit.
    template = letter_services.template_create(issuer=tree.committee_a, year=2026, name="责任书", items=STANDARD_ITEMS)
    assert client.post(f"/assessments/letters/templates/{template.pk}/", {"name": "改"}).status_code == 403
    assert client.get("/assessments/letters/templates/new/").status_code == 403
    # Nor does the exception reach a reviewer of a committee below the root.
    from branches.models import Role
    from tests.factories import make_user

    reviewer = make_user("reviewer_a", tree.committee_a, Role.Kind.REVIEWER)
    other = client_for(None)
    other.force_login(reviewer)
    assert other.get("/assessments/rubrics/new/ROOT/").status_code == 404
    assert other.get("/assessments/inspections/new/EA/").status_code == 403  # an enterprise's: read-only
    assert "/assessments/inspections/new/" not in other.get("/assessments/inspections/").content.decode()
    assert "/assessments/inspections/new/ROOT/" in client.get("/assessments/inspections/").content.decode()


def test_new_pages_cost_fixed_queries(tree, cast, client_for, django_assert_max_num_queries):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="细则", items=ITEMS)
    for n in range(5):
        rubric_services.rubric_copy(rubric=rubric, year=2026, name=f"细则{n}")
    round = inspections.round_open(committee=tree.committee_a, year=2026, kind="internal", title="观摩",
                                   rubric=rubric, organizations=[tree.branch_a, tree.branch_b], team=[cast.committee])  # fmt: skip
    client = client_for("committee")
    for url, most in [
        ("/assessments/rubrics/", 8),
        (f"/assessments/rubrics/{rubric.pk}/", 8),
        (f"/assessments/rubrics/{rubric.pk}/edit/", 9),
        ("/assessments/rubrics/new/EA/", 7),
        ("/assessments/inspections/new/EA/", 10),
        (f"/assessments/inspections/{round.pk}/showcases/new/", 9),
    ]:
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url


def test_a_refused_visit_keeps_what_the_inspector_typed(tree, cast, client_for):
    rubric = rubric_services.rubric_create(committee=tree.committee_a, year=2026, name="细则", items=ITEMS)
    round = inspections.round_open(
        committee=tree.committee_a, year=2026, kind="internal", title="观摩", rubric=rubric,
        organizations=[tree.branch_a], team=[cast.committee],
    )  # fmt: skip
    ids = {i.title: i.pk for i in rubric.items.all()}
    data = {f"item_{ids['活动场所']}": "-3", f"note_{ids['活动场所']}": "场所狭小", f"item_{ids['创新加分']}": "2",
            "problem": "制度未上墙"}  # fmt: skip
    response = client_for("committee").post(f"/assessments/inspections/{round.pk}/visit/EA-B1/", data)
    page = response.content.decode()
    assert response.status_code == 200 and "不能为负数" in page
    assert 'value="-3"' in page and 'value="场所狭小"' in page and 'value="制度未上墙"' in page
    assert not round.scores.exists() and not round.rectification_items.exists()


def test_sasac_verifies_the_problems_its_own_round_found_and_no_others(tree, cast, client_for, members):
    rubric = rubric_services.rubric_create(committee=tree.root, year=2026, name="国资委细则", items=ITEMS)
    round = inspections.round_open(
        committee=tree.root, year=2026, kind="showcase", title="国资委观摩", rubric=rubric,
        organizations=[tree.committee_a], team=[cast.sasac], user=cast.sasac,
    )  # fmt: skip
    client = client_for("sasac")
    visit = {"problem": "企业党委责任清单不细"}
    assert client.post(f"/assessments/inspections/{round.pk}/visit/EA/", visit).status_code == 302
    item = round.rectification_items.get()
    assert item.committee == tree.root and item.organization == tree.committee_a
    assert "确认" in client.get(f"/assessments/rectification/{item.pk}/").content.decode()
    confirm = {"deadline": "2099-01-01", "responsible_text": "党委书记"}
    assert client.post(f"/assessments/rectification/{item.pk}/confirm/", confirm).status_code == 302
    item.refresh_from_db()
    assert item.state == "open"
    # The enterprise reports (its committee officer writes on it); SASAC closes.
    rectification.item_report(item=item, measures="已细化责任清单", user=cast.committee)
    assert client.post(f"/assessments/rectification/{item.pk}/close/", {"note": "核验通过"}).status_code == 302
    item.refresh_from_db()
    assert item.state == "closed"
    # A problem SASAC proposes outside a round (typed, not found by its round) stays the committees' business.
    other = rectification.item_propose(organization=tree.committee_a, committee=tree.root, title="其他问题")
    assert client.post(f"/assessments/rectification/{other.pk}/confirm/", confirm).status_code == 403
