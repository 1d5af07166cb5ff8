"""The secretary, on a phone: plans a 支委会 from the to-do list, records it with one absentee, holds it, archives
it, fails to edit it, adds an amendment and finds it in the calendar. Screenshots go to test-artifacts/screenshots/."""

import re

import pytest
from django.utils import timezone

from meetings.models import Attendance, Meeting

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 128


def test_secretary_plans_records_archives_and_amends_a_committee_meeting(
    live_server, transactional_db, tree, members, cast, phone, screenshot, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    page = phone
    page.on("dialog", lambda dialog: dialog.accept())  # none expected: the archive asks in the page's own dialog

    # Log in through the real login form.
    page.goto(f"{live_server.url}/accounts/login/?next=/")
    page.fill("input[name=username]", "secretary")
    page.fill("input[name=password]", "demo12345")
    screenshot(page, "01-login")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    # The home page lists this month's 支委会 as open, with a one-click 安排.
    todo = page.locator("#todo")
    todo.wait_for()
    this_month = timezone.localdate().strftime("%Y-%m")
    committee_item = todo.locator(f"li.todo-item[data-kind=branch_committee][data-period='{this_month}']")
    assert "支部委员会" in committee_item.inner_text()
    todo.scroll_into_view_if_needed()
    screenshot(page, "02-home-todo")
    committee_item.get_by_role("button", name=re.compile("安排")).click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.status) == (Meeting.Kind.BRANCH_COMMITTEE, Meeting.Status.PLANNED)
    assert page.locator("#expected-count").inner_text() == "3"
    screenshot(page, "03-planned")

    # One screen: the roll is filled; one absentee picks a reason; the record is typed.
    page.get_by_role("link", name=re.compile("登记召开")).click()
    page.wait_for_url(re.compile(r"/record/$"))
    absentee = members.a[2]
    page.locator(f"label[for=id_present_{absentee.pk}]").click()
    page.select_option(f"select[name=reason_{absentee.pk}]", "sick")
    page.fill(f"input[name=note_{absentee.pk}]", "住院")
    assert page.locator("#live-present").inner_text() == "2"
    # The live quorum hint uses the service's rule (json_script): 1 of 3 委员 is not more than half, 2 of 3 is.
    warning = page.locator("#quorum-live-warning")
    assert warning.is_hidden()
    page.locator(f"label[for=id_present_{members.a[1].pk}]").click()
    assert warning.is_visible() and "到会支部委员未超过半数" in warning.inner_text()
    page.locator(f"label[for=id_present_{members.a[1].pk}]").click()
    assert warning.is_hidden() and page.locator("#live-present").inner_text() == "2"
    page.fill("input[name=place]", "三楼会议室")
    page.fill("input[name=first_topic]", "学习习近平总书记重要讲话精神")
    page.fill("textarea[name=content]", "传达学习上级精神,研究本月发展党员工作。")
    page.fill("textarea[name=resolutions]", "同意确定张三为发展对象。")
    screenshot(page, "04-record-screen")
    page.click("#save-record")
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert page.locator("#meeting-status").inner_text() == "已召开"
    assert page.locator("#present-count").inner_text() == "2"
    row = Attendance.objects.get(meeting=meeting, member=absentee)
    assert (row.present, row.absence_reason, row.note) == (False, "sick", "住院")

    # A sign-in sheet, then archive (confirmed in the dialog).
    page.set_input_files("input[name=file]", files=[{"name": "签到表.png", "mimeType": "image/png", "buffer": PNG}])
    page.locator("#attachments").get_by_role("button", name=re.compile("上传")).click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert "签到表.png" in page.locator("#attachments").inner_text()
    screenshot(page, "05-held")
    page.get_by_role("button", name=re.compile("归档")).click()
    page.locator("#confirm-dialog-ok").click()  # the in-page dialog (static/js/app.js), not the browser's
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    assert page.locator("#meeting-status").inner_text() == "已归档"
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ARCHIVED

    # Editing is refused: no edit button, and the edit URLs answer 409 to GET and POST alike.
    assert page.get_by_role("link", name=re.compile("编辑")).count() == 0
    screenshot(page, "06-archived")
    for path in ("record", "edit"):
        response = page.goto(f"{live_server.url}/meetings/{meeting.pk}/{path}/")
        assert response.status == 409
        assert "不能编辑" in page.content()
    screenshot(page, "07-edit-refused")
    csrf = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        f"{live_server.url}/meetings/{meeting.pk}/record/",
        form={"topic": "改过的主题", "date": meeting.date.isoformat()},
        headers={"X-CSRFToken": csrf, "Referer": live_server.url + "/"},
    )
    assert response.status == 409
    assert Meeting.objects.get(pk=meeting.pk).topic == meeting.topic

    # The correction is an amendment, shown under the record.
    page.goto(f"{live_server.url}/meetings/{meeting.pk}/")
    page.get_by_role("link", name=re.compile("添加更正")).first.click()
    page.select_option("select[name=field]", "place")
    page.fill("textarea[name=new_value]", "党员活动室")
    page.fill("textarea[name=reason]", "会议地点记录有误")
    screenshot(page, "08-amend")
    page.get_by_role("button", name="保存更正").click()
    page.wait_for_url(re.compile(r"/meetings/\d+/$"))
    amendments = page.locator("#amendments")
    assert "会议地点记录有误" in amendments.inner_text() and "党员活动室" in amendments.inner_text()
    amendments.scroll_into_view_if_needed()
    screenshot(page, "09-amended")
    assert Meeting.objects.get(pk=meeting.pk).place == "三楼会议室"  # the record itself is unchanged

    # The calendar (phone: the list of days) shows the meeting; reached through the collapsed menu.
    page.click("button.navbar-toggler")
    page.get_by_role("link", name="日历").click()
    page.wait_for_url(re.compile(r"/meetings/calendar/"))
    listing = page.locator(".calendar-list")
    assert listing.is_visible()
    assert meeting.topic in listing.inner_text()
    screenshot(page, "10-calendar")
