"""发展党员 in a real browser: the secretary records the next step of an applicant on a phone (375 px, one screen);
a committee officer approves (step 17) and the new 预备党员 is on the branch roster and in its dues grid.
Screenshots go to test-artifacts/screenshots/."""

import datetime
import re

import pytest

from recruitment.models import Step
from tests.recruitment.conftest import recruit  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/?next=/recruitment/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")


def fits_the_phone(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_secretary_records_a_step_and_the_committee_admits_a_member(
    live_server,
    transactional_db,
    tree,
    members,
    cast,
    recruit,  # noqa: F811
    chromium,
    phone,
    screenshot,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    today = datetime.date.today()
    applicant = recruit(name="林申请", applied_on=today - datetime.timedelta(days=10))
    waiting = recruit.walk(recruit(name="陈待批"), 16)

    # The secretary, on a phone: the branch's pipeline, the applicant, 记录下一步 (the talk), one screen.
    page = phone
    login(page, live_server, "secretary")
    page.wait_for_url(re.compile(rf"/recruitment/branch/{tree.branch_a.code}/$"))
    assert "林申请" in page.locator("#pipeline").inner_text()
    screenshot(page, "recruitment-01-pipeline")
    page.get_by_role("link", name=re.compile("林申请")).click()
    page.wait_for_url(re.compile(rf"/recruitment/people/{applicant.pk}/$"))
    page.click("#record-next")
    page.wait_for_url(re.compile(r"/record/$"))
    assert "党组织派人谈话" in page.locator(".card-header").inner_text()
    page.fill("input[name=date]", today.isoformat())
    page.fill("input[name=done_by]", "王书记")
    page.fill("textarea[name=notes]", "了解入党动机,进行党的基本知识教育。")
    assert fits_the_phone(page)
    save = page.get_by_role("button", name=re.compile("记录"))
    assert save.bounding_box()["y"] + save.bounding_box()["height"] <= 812 * 1.5  # within a scroll of one screen
    screenshot(page, "recruitment-02-record-step")
    save.click()
    page.wait_for_url(re.compile(rf"/recruitment/people/{applicant.pk}/$"))
    assert "党组织派人谈话" in page.locator("#steps").inner_text()
    assert fits_the_phone(page)
    screenshot(page, "recruitment-03-recorded")
    assert Step.objects.get(person=applicant, number=2).done_by == "王书记"

    # The committee officer approves step 17 (desktop).
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    desk = context.new_page()
    login(desk, live_server, "committee")
    desk.goto(f"{live_server.url}/recruitment/people/{waiting.pk}/record/")
    assert "上级党委审批" in desk.locator(".card-header").inner_text()
    desk.fill("input[name=date]", "2024-06-01")
    desk.fill("input[name=document_number]", "党委〔2024〕12号")
    desk.get_by_role("button", name=re.compile("记录")).click()
    desk.wait_for_url(re.compile(rf"/recruitment/people/{waiting.pk}/$"))
    screenshot(desk, "recruitment-04-approved")
    waiting.refresh_from_db()
    assert waiting.member is not None

    # The new 预备党员 is on the branch roster and in its dues grid, with no retyping.
    desk.goto(f"{live_server.url}/members/?org={tree.branch_a.code}")
    assert "陈待批" in desk.content()
    desk.goto(f"{live_server.url}/dues/{tree.branch_a.code}/?year=2024")
    assert "陈待批" in desk.content()
    screenshot(desk, "recruitment-05-dues-grid")
    context.close()
