"""The points pages: the branch table in a fixed number of queries, the export, the flow of a manual item, the 公示,
the committee's rule set and chart, the 民主评议 screen with points and the rule about 优秀."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from meetings.records import services as review_services
from points import services
from points.models import ManualItem, Publication, RuleSet
from tests.factories import make_member, make_user

from .conftest import YEAR, held

pytestmark = pytest.mark.django_db
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


@pytest.mark.parametrize("extra", [0, 27])
def test_the_branch_table_costs_the_same_for_3_or_30_members(
    client_for, tree, members, kinds, extra, django_assert_max_num_queries
):
    """Branch B has 3 members; 27 more make 30. A year of records: attendance every month, a 党课, talks, dues."""
    for i in range(extra):
        make_member(tree.branch_b, name=f"新{i}")
    for month in range(1, 13):
        held(tree.branch_b, kinds.THEME_DAY, datetime.date(YEAR, month, 5))
    held(tree.branch_b, kinds.PARTY_LECTURE, datetime.date(YEAR, 3, 9), lecturer=members.b[0])
    client = client_for("secretary2")
    url = f"/points/branch/{tree.branch_b.code}/{YEAR}/"
    client.get(url)  # warm the session
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.content.decode().count('data-member="') == 3 + extra


def test_each_cell_opens_the_records_behind_it(client_for, tree, members, kinds):
    meeting = held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, 5))
    client = client_for("secretary")
    body = client.get(f"/points/branch/{tree.branch_a.code}/{YEAR}/").content.decode()
    cell = f"/points/branch/{tree.branch_a.code}/{YEAR}/members/{members.a[3].pk}/?month=3"
    assert cell in body
    detail = client.get(cell).content.decode()
    assert f"/meetings/{meeting.pk}/" in detail


def test_the_table_exports_to_excel(client_for, tree, members, kinds):
    held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, 5))
    response = client_for("sasac").get(f"/points/branch/{tree.branch_a.code}/{YEAR}/export.xlsx?q=1")
    assert response.status_code == 200
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "3月" in values and "合计" in values and members.a[0].name in values


def test_secretary_records_and_another_committee_member_approves(client_for, tree, members, cast):
    rule = RuleSet.objects.get(organization__isnull=True).rules.get(name="获得表彰奖励")
    client = client_for("secretary")
    response = client.post(
        f"/points/branch/{tree.branch_a.code}/items/new/",
        {
            "member": members.a[3].pk,
            "rule": rule.pk,
            "occurred_on": "2025-06-01",
            "reason": "获评优秀党员",
            "files": [SimpleUploadedFile("award.png", PNG, "image/png")],
        },
    )
    item = ManualItem.objects.get()
    assert response.status_code == 302 and item.evidence.count() == 1
    client.post(f"/points/items/{item.pk}/approve/")
    item.refresh_from_db()
    assert item.state == "pending"  # the recorder cannot approve
    assert client_for("committee").post(f"/points/items/{item.pk}/approve/").status_code == 403
    other = make_user("zuzhi", tree.branch_a, "secretary")
    from django.test import Client

    second = Client()
    second.force_login(other)
    second.post(f"/points/items/{item.pk}/approve/")
    item.refresh_from_db()
    assert item.state == "approved" and item.decided_by == other


def test_an_item_that_needs_evidence_is_refused_without_it(tree, members, cast):
    rule = RuleSet.objects.get(organization__isnull=True).rules.get(name="获得表彰奖励")
    with pytest.raises(services.ValidationError, match="佐证"):
        services.item_record(
            organization=tree.branch_a,
            member=members.a[3],
            rule=rule,
            occurred_on=datetime.date(YEAR, 6, 1),
            reason="获奖",
            user=cast.secretary,
        )


def test_a_quarter_is_published_and_an_objection_answered(client_for, tree, members, cast):
    publication = services.quarter_publish(
        organization=tree.branch_a,
        year=YEAR,
        quarter=1,
        starts_on=datetime.date(YEAR, 3, 28),
        ends_on=datetime.date(YEAR, 4, 5),
        user=cast.secretary,
    )
    client = client_for("secretary")
    response = client.post(
        f"/points/publications/{publication.pk}/",
        {"member": members.a[2].pk, "raised_on": "2025-04-01", "text": "三月党课漏记"},
    )
    assert response.status_code == 302
    objection = publication.objections.get()
    client.post(f"/points/objections/{objection.pk}/answer/", {"answer": "已核实,出席记录已更正"})
    objection.refresh_from_db()
    assert objection.answered_by == cast.secretary
    with pytest.raises(services.ValidationError, match="公示期"):
        services.objection_record(
            publication=publication,
            member=members.a[2],
            text="晚了",
            raised_on=datetime.date(YEAR, 5, 1),
            user=cast.secretary,
        )
    with pytest.raises(services.ValidationError, match="已经公示"):
        services.quarter_publish(
            organization=tree.branch_a,
            year=YEAR,
            quarter=1,
            starts_on=datetime.date(YEAR, 4, 1),
            ends_on=datetime.date(YEAR, 4, 5),
            user=cast.secretary,
        )
    assert Publication.objects.count() == 1


def test_the_committee_copies_the_default_and_owns_its_rules(client_for, tree, cast):
    client = client_for("committee")
    client.post(f"/points/committee/{tree.committee_a.code}/{YEAR}/rules/", {"year": YEAR})
    rule_set = RuleSet.objects.get(organization=tree.committee_a, year=YEAR)
    assert rule_set.rules.count() == RuleSet.objects.get(organization__isnull=True).rules.count()
    assert client_for("sasac").post(f"/points/rule-sets/{rule_set.pk}/edit/", {}).status_code == 403
    assert client_for("secretary").get(f"/points/committee/{tree.committee_a.code}/{YEAR}/rules/").status_code == 404
    with pytest.raises(services.ValidationError, match="已存在"):
        services.rule_set_copy(committee=tree.committee_a, year=YEAR, user=cast.committee)
    following = services.rule_set_copy(committee=tree.committee_a, year=YEAR + 1, user=cast.committee)
    assert following.copied_from == rule_set


def test_the_committee_chart_drills_down_to_the_branch(client_for, tree, members, kinds, django_assert_max_num_queries):
    held(tree.branch_a, kinds.THEME_DAY, datetime.date(YEAR, 3, 5))
    client = client_for("committee")
    with django_assert_max_num_queries(22):
        body = client.get(f"/points/committee/{tree.committee_a.code}/{YEAR}/").content.decode()
    assert f"/points/branch/{tree.branch_a.code}/{YEAR}/" in body and 'id="points-data"' in body


def test_the_review_screen_shows_points_and_rank_and_limits_excellent(client_for, tree, members, rule_set, kinds, cast):
    rule_set.add("lecture", 5, category="duty")
    rule_set.excellent_top_percent = 10  # 7 members: the first rank only
    rule_set.save()
    held(tree.branch_a, kinds.PARTY_LECTURE, datetime.date(YEAR, 3, 9), lecturer=members.a[0])
    body = client_for("secretary").get(f"/meetings/reviews/{tree.branch_a.code}/{YEAR}/").content.decode()
    assert f"{YEAR}年积分 5 分,本支部第 1 名(共 7 人)" in body
    decided = datetime.date(YEAR, 12, 20)
    review_services.review_year_record(
        organization=tree.branch_a,
        year=YEAR,
        decided_on=decided,
        grades={members.a[0].pk: ("excellent", "")},
        today=decided,
    )
    with pytest.raises(services.ValidationError, match="排名前10%"):
        review_services.review_year_record(
            organization=tree.branch_a,
            year=YEAR,
            decided_on=decided,
            grades={members.a[5].pk: ("excellent", "")},
            today=decided,
        )


def test_member_stars_show_on_the_member_page_and_the_roster(client_for, tree, members):
    client = client_for("secretary")
    assert "member-stars" in client.get(f"/members/{members.a[0].pk}/").content.decode()
    assert "member-stars" in client.get("/members/").content.decode()


def test_the_home_page_shows_the_items_waiting_for_approval(client_for, tree, members, cast):
    rule = RuleSet.objects.get(organization__isnull=True).rules.get(name="群众、社区反映的好人好事")
    client = client_for("secretary")
    assert "points-home" not in client.get("/").content.decode()
    services.item_record(
        organization=tree.branch_a,
        member=members.a[3],
        rule=rule,
        occurred_on=datetime.date(YEAR, 6, 1),
        reason="社区来信表扬",
        files=[SimpleUploadedFile("letter.pdf", b"%PDF-1.4 " + b"\0" * 64, "application/pdf")],
        user=cast.secretary,
    )
    body = client.get("/").content.decode()
    assert "points-home" in body and "待审批的积分登记 1 项" in body


def test_the_committee_edits_its_settings_and_rules_on_its_page(client_for, tree, cast):
    rule_set = services.rule_set_copy(committee=tree.committee_a, year=YEAR, user=cast.committee)
    client = client_for("committee")
    page = client.get(f"/points/committee/{tree.committee_a.code}/{YEAR}/rules/").content.decode()
    assert page.count('id="id_name"') == 0 and 'id="id_set-name"' in page and 'id="id_new-name"' in page
    settings = {"name": "甲集团积分方案", "star2_min": 30, "star3_min": 40, "star4_min": 50, "star5_min": 60}
    client.post(
        f"/points/rule-sets/{rule_set.pk}/edit/",
        {f"set-{k}": v for k, v in {**settings, "excellent_top_percent": 30}.items()},
    )
    rule_set.refresh_from_db()
    assert rule_set.excellent_top_percent == 30 and rule_set.name == "甲集团积分方案"
    new = {
        "category": "incentive",
        "name": "见义勇为",
        "source": "manual",
        "points": "8",
        "cap_year": "16",
        "evidence": "表彰文件",
    }
    client.post(f"/points/rule-sets/{rule_set.pk}/rules/new/", {f"new-{k}": v for k, v in new.items()})
    rule = rule_set.rules.get(name="见义勇为")
    edit = {**new, "points": "6"}
    client.post(f"/points/rules/{rule.pk}/edit/", {f"r{rule.pk}-{k}": v for k, v in edit.items()})
    rule.refresh_from_db()
    assert rule.points == 6
    clash = {**new, "name": "再来一个党费", "source": "dues", "evidence": ""}
    client.post(f"/points/rule-sets/{rule_set.pk}/rules/new/", {f"new-{k}": v for k, v in clash.items()})
    assert rule_set.rules.filter(source="dues").count() == 1  # one rule a record source
