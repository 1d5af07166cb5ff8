"""The 大屏 mode (issue 14 point 9) in real headless Chromium, on the seeded demo: the SASAC overview's screen loads,
is dark, paints its charts and shows the same figures as the dashboard; and the reviewer's drill-down ends on the
gap page that names the gap. Screenshots at 1366 px and 375 px go to test-artifacts/screenshots/."""

import re

import pytest
from django.core.management import call_command
from django.db import connection

from assessments.dashboards import selectors as ds
from tests.browser.test_sasac_dashboard import assert_charts_painted, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDE = {"width": 1366, "height": 768}
# The dashboard's summary cards, in order, and the screen's figure of the same number.
SASAC_FIGURES = ("enterprises", "branches", "red", "overdue")
OTHER_PAGES = (
    ("08-talks-overview", "/assessments/overview/talks/"),
    ("09-dues-overview", "/assessments/overview/dues/"),
    ("10-calendar", "/meetings/calendar/"),
)


@pytest.fixture
def ratings_table(monkeypatch):
    # As in test_sasac_dashboard: without the letters' table the star card shows 尚未评定.
    if "assessments_letter" not in connection.introspection.table_names():
        monkeypatch.setattr(ds, "star_counts", lambda root, year: None)


@pytest.fixture
def wide(chromium):
    context = chromium.new_context(viewport=WIDE, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(20_000)
    page = context.new_page()
    yield page
    context.close()


def _luminance(page, selector):
    rgb = page.evaluate(f"getComputedStyle(document.querySelector('{selector}')).backgroundColor")
    r, g, b = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255


def test_the_screen_is_dark_refreshes_and_shows_the_dashboards_figures(
    live_server, transactional_db, ratings_table, wide, phone, screenshot
):
    call_command("seed_demo")
    page, base = wide, live_server.url
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    login(page, base)
    dashboard = [t.strip() for t in page.locator("#summary .stat").all_inner_texts()]

    page.click("#screen-link")
    page.wait_for_url(re.compile(r"/assessments/screen/sasac/"))
    assert_charts_painted(page, ("#chart-enterprises", "#chart-statuses", "#chart-trend"))
    assert _luminance(page, "body") < 0.2  # dark
    assert page.locator("body").get_attribute("data-refresh").isdigit()
    toggle = page.locator("#refresh-toggle")  # the auto-refresh (static/js/screen.js) can be paused
    assert toggle.is_visible()
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    screen = [page.locator(f"[data-figure={name}]").inner_text().strip() for name in SASAC_FIGURES]
    assert screen == dashboard
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
    screenshot(page, "screen-01-sasac-1366")

    # The committee's screen, from its dashboard; then back to the drill-down: a red heat-map cell, the gap page.
    page.goto(f"{base}/assessments/sasac/")
    page.locator("#enterprises a.enterprise-link", has_text="市容环卫集团").first.click()
    page.wait_for_url(re.compile(r"/assessments/committee/[^/]+/"))
    committee_url = page.url
    screenshot(page, "screen-02-committee-dashboard-1366")
    page.click("#screen-link")
    assert_charts_painted(page, ("#chart-statuses", "#chart-trend"))
    assert _luminance(page, "body") < 0.2
    screenshot(page, "screen-03-committee-1366")

    page.goto(committee_url)
    page.locator("#heatmap td.bg-danger-subtle a.heat-cell").first.click()
    page.wait_for_url(re.compile(r"/assessments/scorecard/[^/]+/"))
    page.locator(".indicator-card[data-status=not_met] a.gap-link").first.click()
    page.wait_for_url(re.compile(r"/assessments/gap/"))
    heading = page.locator("h1").inner_text()
    assert re.search(r"\d{4}年", heading) and "-Q" not in heading
    gap_url = page.url
    screenshot(page, "screen-04-gap-1366")
    # The overviews (point 7) and the committee's calendar (point 8) the reviewer walks through.
    for name, path in OTHER_PAGES:
        page.goto(base + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= WIDE["width"]
        screenshot(page, f"screen-{name}-1366")
    assert errors == []

    login(phone, base)
    phone.goto(f"{base}/assessments/screen/sasac/")
    assert_charts_painted(phone, ("#chart-statuses",))
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "screen-05-sasac-375")
    phone.goto(gap_url)
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(phone, "screen-06-gap-375")
    phone.goto(committee_url)
    screenshot(phone, "screen-07-committee-375")
    for name, path in OTHER_PAGES:
        phone.goto(base + path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 375, name
        screenshot(phone, f"screen-{name}-375")
