"""观摩 → 整改 → 销号 on a phone (375 px): an inspector scores a branch and records a problem; the committee confirms
it; the secretary reports on it with a photo; the committee closes it; the dashboard's counts change."""

import re

import pytest

from assessments.inspections import services as inspections
from assessments.rectification.models import RectificationItem
from assessments.rubrics import services as rubrics

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128
PHONE = {"width": 375, "height": 812}
ITEMS = [
    {"title": "阵地建设", "points": 60, "children": [{"title": "活动场所", "points": 60}]},
    {"title": "党建融合", "points": 40, "children": [{"title": "攻坚项目", "points": 40}]},
]


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


def dashboard_counts(page, live_server, code) -> dict:
    page.goto(f"{live_server.url}/assessments/rectification/dashboard/{code}/")
    row = page.locator(f"#rectification-dashboard tr[data-org='{code}']")
    return {k: int(row.locator(f"[data-count={k}]").inner_text()) for k in ("live", "overdue", "reported", "closed")}


def test_an_inspection_problem_is_rectified_and_closed(
    live_server, transactional_db, tree, members, cast, chromium, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    rubric = rubrics.rubric_create(committee=tree.committee_a, year=2026, name="观摩细则", items=ITEMS)
    round = inspections.round_open(
        committee=tree.committee_a,
        year=2026,
        kind="internal",
        title="党建观摩",
        rubric=rubric,
        organizations=[tree.branch_a],
        team=[cast.committee],
    )
    ids = {i.title: i.pk for i in rubric.items.all()}

    # The inspector (the committee's officer) scores branch A on a phone and records a problem.
    inspector = open_as(chromium, live_server, "committee")
    inspector.goto(f"{live_server.url}/assessments/inspections/{round.pk}/")
    inspector.get_by_role("link", name="评分").click()
    inspector.wait_for_url(re.compile(rf"/visit/{tree.branch_a.code}/$"))
    inspector.fill(f"#item_{ids['活动场所']}", "55")
    inspector.fill(f"input[name=note_{ids['活动场所']}]", "场所整洁")
    inspector.fill(f"#item_{ids['攻坚项目']}", "35")
    inspector.set_input_files("#photos", files=[{"name": "现场.png", "mimeType": "image/png", "buffer": PNG}])
    inspector.fill("#problem", "制度未上墙")
    assert fits_the_phone(inspector)
    screenshot(inspector, "insp-01-visit")
    inspector.get_by_role("button", name="保存").click()
    inspector.wait_for_url(re.compile(rf"/visit/{tree.branch_a.code}/$"))
    assert "已保存" in inspector.content()
    assert round.scores.count() == 2 and round.photos.count() == 1
    item = RectificationItem.objects.get(round=round)

    # The committee confirms the problem: it becomes an item to fix, with a deadline and the responsible person.
    inspector.goto(f"{live_server.url}/assessments/rectification/{item.pk}/")
    inspector.fill("input[name=deadline]", "2099-06-30")
    inspector.fill("input[name=responsible_text]", "支部书记")
    inspector.get_by_role("button", name="确认并交办").click()
    inspector.wait_for_url(re.compile(rf"/rectification/{item.pk}/$"))
    assert inspector.locator("#item-state").inner_text() == "整改中"
    before = dashboard_counts(inspector, live_server, tree.branch_a.code)
    assert (before["live"], before["closed"]) == (1, 0)

    # The secretary finds it on the home page and reports with a photo.
    secretary = open_as(chromium, live_server, "secretary")
    secretary.locator("#rectification-todo").get_by_role("link", name="制度未上墙").click()
    secretary.wait_for_url(re.compile(rf"/rectification/{item.pk}/$"))
    secretary.fill("textarea[name=measures]", "已将制度上墙并组织学习")
    secretary.set_input_files("#id_files", files=[{"name": "整改后.png", "mimeType": "image/png", "buffer": PNG}])
    assert fits_the_phone(secretary)
    screenshot(secretary, "insp-02-report")
    secretary.get_by_role("button", name="提交整改报告").click()
    secretary.wait_for_url(re.compile(rf"/rectification/{item.pk}/$"))
    assert secretary.locator("#item-state").inner_text() == "已报告待核验"
    assert secretary.get_by_role("button", name="核验销号").count() == 0  # not their own verification

    # The committee verifies and closes it; the dashboard counts move.
    inspector.goto(f"{live_server.url}/assessments/rectification/{item.pk}/")
    assert "整改后.png" in inspector.content()
    inspector.get_by_role("button", name="核验销号").click()
    inspector.wait_for_url(re.compile(rf"/rectification/{item.pk}/$"))
    assert inspector.locator("#item-state").inner_text() == "已销号"
    after = dashboard_counts(inspector, live_server, tree.branch_a.code)
    assert (after["live"], after["closed"]) == (0, 1)
    screenshot(inspector, "insp-03-dashboard")
