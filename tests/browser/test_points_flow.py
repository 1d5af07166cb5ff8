"""党员积分 on a phone (375 px): the secretary records an award with its evidence, another committee member of the
branch approves it, and on the 民主评议 screen the member's year points and rank change beside the grade."""

import re

import pytest
from django.utils import timezone

from meetings import services as meeting_services
from meetings.models import Meeting
from points.models import ManualItem, RuleSet
from tests.factories import make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128
PHONE = {"width": 375, "height": 812}
STANDING = re.compile(r"年积分 (-?[\d.]+) 分,本支部第 (\d+) 名")


def open_as(chromium, live_server, username):
    context = chromium.new_context(viewport=PHONE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def standing(page, live_server, code, year, member) -> tuple[float, int]:
    page.goto(f"{live_server.url}/meetings/reviews/{code}/{year}/")
    text = page.locator(f".review-annotation[data-member='{member.pk}']").inner_text()
    points, rank = STANDING.search(text).groups()
    return float(points), int(rank)


def test_an_approved_award_changes_the_total_and_rank_on_the_review_screen(
    live_server, transactional_db, tree, members, cast, chromium, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    today = timezone.localdate()
    year = today.year
    # Some points first: a held 党课 given by the 书记, everybody present but the member, absent without a reason.
    member = members.a[6]
    meeting = meeting_services.meeting_plan(
        organization=tree.branch_a, kind=Meeting.Kind.PARTY_LECTURE, date=today, topic="学习党章", lecturer=members.a[0]
    )
    meeting_services.meeting_hold(meeting=meeting, absent={member.pk: ("unexcused", "")})
    make_user("weiyuan", tree.branch_a, "secretary")  # the 组织委员's account: another committee member
    award = RuleSet.objects.get(organization__isnull=True).rules.get(name="获得表彰奖励")
    code = tree.branch_a.code

    secretary = open_as(chromium, live_server, "secretary")
    before = standing(secretary, live_server, code, year, member)
    assert fits_the_phone(secretary)

    # The secretary records the award with its certificate.
    secretary.goto(f"{live_server.url}/points/branch/{code}/items/new/")
    secretary.select_option("#id_member", str(member.pk))
    secretary.select_option("#id_rule", str(award.pk))
    secretary.fill("#id_occurred_on", today.isoformat())
    secretary.fill("#id_reason", "获公司优秀共产党员表彰")
    secretary.set_input_files("#id_files", files=[{"name": "证书.png", "mimeType": "image/png", "buffer": PNG}])
    assert fits_the_phone(secretary)
    secretary.click("#submit-item")
    secretary.wait_for_url(re.compile(r"/points/items/\d+/$"))
    assert secretary.locator("#item-state").inner_text() == "待审批"
    assert secretary.locator("#approve").count() == 0  # the recorder cannot approve
    item = ManualItem.objects.get()
    assert standing(secretary, live_server, code, year, member) == before  # not counted until approved

    # Another committee member approves it.
    approver = open_as(chromium, live_server, "weiyuan")
    approver.goto(f"{live_server.url}/points/items/{item.pk}/")
    assert fits_the_phone(approver)
    approver.click("#approve")
    approver.wait_for_load_state()
    assert approver.locator("#item-state").inner_text() == "已通过"
    screenshot(approver, "points-item-approved-375")

    # The 民主评议 screen: the member's total and rank changed beside the grade.
    total, rank = standing(secretary, live_server, code, year, member)
    assert total == before[0] + 5
    assert rank < before[1]
    screenshot(secretary, "points-review-375")
