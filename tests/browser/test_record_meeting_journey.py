"""The secretary's core task, counted: from the home page at 375 px, record a 支委会 that was held and archive it.

Every tap (a click, a switch, each of the two taps of a select) and every typed field is counted; the targets are
issue 14's: everyone came, one line of content: at most 8 taps and 1 typed field; one absentee with a reason: at most
11. The measured counts are in the README. Screenshots go to test-artifacts/screenshots/ (375 px and 1366 px)."""

import re

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1366, "height": 900}


class Counted:
    """The user's actions on a page: taps and typed fields."""

    def __init__(self, page):
        self.page, self.taps, self.typed = page, 0, 0

    def tap(self, locator):
        locator.click()
        self.taps += 1

    def choose(self, locator, value):
        locator.select_option(value)  # a select on a phone: open it, pick the option
        self.taps += 2

    def type(self, locator, text):
        locator.fill(text)
        self.typed += 1


def _log_in(page, live_server):
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", "demo12345")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def _committee_item(page):
    this_month = timezone.localdate().strftime("%Y-%m")
    return page.locator(f"#todo li.todo-item[data-kind=branch_committee][data-period='{this_month}']")


def _archive(user, page):
    user.tap(page.locator("#save-archive"))
    dialog = page.locator("#archive-confirm")
    dialog.wait_for(state="visible")
    return dialog


def test_everyone_came_recorded_and_archived_in_few_taps(live_server, tree, members, cast, phone, screenshot):
    page = phone
    page.on("dialog", lambda d: pytest.fail(f"a browser dialog appeared: {d.message}"))
    _log_in(page, live_server)
    screenshot(page, "journey-01-home-375")
    user = Counted(page)

    user.tap(_committee_item(page).get_by_role("link", name=re.compile("记录")))
    page.wait_for_url(re.compile(r"/meetings/record/"))
    assert page.locator("#live-present").inner_text() == "3"
    assert page.locator("select[name=host] option:checked").inner_text() == members.a[0].name
    assert page.locator("select[name=recorder] option:checked").inner_text() == members.a[1].name
    assert page.locator("input[name=lecturer_name]").count() == 0  # no 授课人 on a 支委会
    screenshot(page, "journey-02-record-375")
    user.type(page.locator("textarea[name=content]"), "传达学习上级会议精神,研究本月支部工作。")
    dialog = _archive(user, page)
    screenshot(page, "journey-03-confirm-375")
    user.tap(dialog.get_by_role("button", name="确定归档"))
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert page.locator("#meeting-status").inner_text() == "已归档"
    screenshot(page, "journey-04-archived-375")

    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.status) == (Meeting.Kind.BRANCH_COMMITTEE, Meeting.Status.ARCHIVED)
    print(f"\nall present: {user.taps} taps, {user.typed} typed field(s)")
    assert user.taps <= 8 and user.typed <= 1


def test_one_absentee_with_a_reason(live_server, tree, members, cast, phone, screenshot):
    page = phone
    _log_in(page, live_server)
    user = Counted(page)
    absentee = members.a[2]

    user.tap(_committee_item(page).get_by_role("link", name=re.compile("记录")))
    page.wait_for_url(re.compile(r"/meetings/record/"))
    user.tap(page.locator(f"label[for=id_present_{absentee.pk}]"))
    user.choose(page.locator(f"select[name=reason_{absentee.pk}]"), "leave")
    assert page.locator("#live-present").inner_text() == "2"
    user.type(page.locator("textarea[name=content]"), "研究本月发展党员工作。")
    screenshot(page, "journey-05-absentee-375")
    user.tap(_archive(user, page).get_by_role("button", name="确定归档"))
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert page.locator("#meeting-status").inner_text() == "已归档"
    row = Attendance.objects.get(meeting=Meeting.objects.get(), member=absentee)
    assert (row.present, row.absence_reason) == (False, "leave")
    print(f"\none absentee: {user.taps} taps, {user.typed} typed field(s)")
    assert user.taps <= 11 and user.typed <= 1


def test_missing_items_are_named_at_once_and_desktop_layout(live_server, tree, members, cast, chromium, screenshot):
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    try:
        _log_in(page, live_server)
        screenshot(page, "journey-06-home-1366")
        _committee_item(page).get_by_role("link", name=re.compile("记录")).click()
        page.wait_for_url(re.compile(r"/meetings/record/"))
        screenshot(page, "journey-07-record-1366")
        page.select_option("select[name=recorder]", "")
        page.locator("#save-archive").click()
        page.locator("#archive-confirm").get_by_role("button", name="确定归档").click()
        page.wait_for_load_state()
        errors = page.locator("#record-errors")
        assert "请选择记录人" in errors.inner_text() and "请填写会议内容" in errors.inner_text()
        screenshot(page, "journey-08-missing-1366")
        assert not Meeting.objects.exists()
    finally:
        context.close()


def test_pages_around_the_journey(live_server, tree, members, cast, chromium, screenshot):
    """The secretary's ledger page (own branch), the notifications' empty state and the API docs with a way back."""
    for width, height in ((375, 812), (1366, 900)):
        context = chromium.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
        page = context.new_page()
        try:
            _log_in(page, live_server)
            page.goto(f"{live_server.url}/ledgers/")
            assert page.locator("#own-ledgers").is_visible()
            screenshot(page, f"journey-09-ledgers-{width}")
            page.goto(f"{live_server.url}/meetings/plan/?org=EA-B1")
            screenshot(page, f"journey-12-year-plan-{width}")
            page.goto(f"{live_server.url}/notifications/")
            assert "换届提醒" in page.locator(".empty-state").inner_text()
            screenshot(page, f"journey-10-notifications-{width}")
            page.goto(f"{live_server.url}/api/docs/")
            page.locator("#swagger-ui .info").wait_for()
            page.screenshot(path=str(SCREENSHOTS / f"journey-11-api-docs-{width}.png"))  # the top: it is long
            page.get_by_role("link", name="返回首页").click()
            page.wait_for_url(f"{live_server.url}/")
        finally:
            context.close()
