"""Zero axe-core violations (WCAG 2.1 AA and best practice) on every page each role of the fixed cast can open.

The pages come from the access matrix (tests/hardening/test_access_matrix.py): every page route of the URLconf,
filled with a real object of the role's own scope, that the role may GET; of those, the ones answering 200 with
HTML (downloads and exports are left out). One Chromium, one context per role (signed in with the matrix's
session cookie), pages in sequence, each audited at 375 px and 1366 px. axe-core is vendored, pinned, under
tests/browser/vendor/ (never served to users) and evaluated into each page after it loads.
"""

import json
import time
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import resolve

from ledgers.models import ExportJob
from ledgers.views import PAGE_SIZE
from tests.hardening import test_access_matrix as matrix

from .conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).with_name("vendor") / "axe.min.js"
REPORT = SCREENSHOTS.parent / "axe-violations.json"  # every failing element with axe's explanation, on failure
TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "best-practice"]
ROLES = ("secretary", "committee", "sasac")
WIDTHS = ((375, 812), (1366, 900))
# The pages of the three roles, each at two widths, come to well over this; fewer means pages went missing.
MIN_AUDITS = 150
# Screenshots (test-artifacts/screenshots/a11y-*.png) of the pages to look at after a change of the theme.
SHOTS = {"home": "home", "meeting_record": "record", "committee_dashboard": "committee-dashboard"}

RUN_AXE = """(tags) => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
  .then((result) => result.violations.map((v) => ({
    id: v.id, impact: v.impact, targets: v.nodes.map((n) => n.target.join(" ")),
    nodes: v.nodes.map((n) => ({html: n.html, summary: n.failureSummary})),
  })))"""


def html_pages(world) -> dict[str, list[str]]:
    """Per role, the URLs of the matrix's reachable pages that answer 200 with HTML."""
    pages = {role: [] for role in ROLES}
    for url, role in matrix.reachable_pages(world, ROLES):
        client = Client()
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
        response = client.get(url)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            pages[role].append(url)
    return pages


def test_every_page_has_no_axe_violations_at_phone_and_desktop_width(
    live_server, transactional_db, chromium, settings, tmp_path, capsys
):
    settings.MEDIA_ROOT = tmp_path
    world = matrix._build_world()
    # Enough export jobs for the secretary's job list to page (20 a page), so the pager is audited too.
    job = world.scopes["in"]["job"].obj
    ExportJob.objects.bulk_create(
        [ExportJob(user=job.user, organization=job.organization, year=2025) for _ in range(PAGE_SIZE)]
    )
    pages = html_pages(world)
    axe_source = AXE.read_text(encoding="utf-8")
    found, details, by_rule, audits, started = [], [], Counter(), 0, time.monotonic()
    shots = set()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for role in ROLES:
        context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
        context.set_default_timeout(20_000)
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": world.sessions[role], "url": live_server.url}]
        )
        page = context.new_page()
        for width, height in WIDTHS:
            page.set_viewport_size({"width": width, "height": height})
            for url in pages[role]:
                page.goto(live_server.url + url, wait_until="load")
                page.evaluate(axe_source)
                shot = SHOTS.get(resolve(url.split("?")[0]).url_name)
                if shot and (shot, width) not in shots:
                    shots.add((shot, width))
                    page.screenshot(path=str(SCREENSHOTS / f"a11y-{shot}-{width}.png"), full_page=True)
                for violation in page.evaluate(RUN_AXE, TAGS):
                    details.append({"url": url, "width": width, "role": role, **violation})
                    by_rule[violation["id"]] += len(violation["targets"])
                    targets = ", ".join(violation["targets"][:8])
                    more = len(violation["targets"]) - 8
                    found.append(
                        f"{url} @{width}px as {role}: {violation['id']} ({violation['impact']}) "
                        f"{len(violation['targets'])}× {targets}{f' … +{more}' if more > 0 else ''}"
                    )
                audits += 1
        context.close()
    with capsys.disabled():
        print(
            f"\naxe-core: {audits} (page × width × role) audits of {sum(map(len, pages.values()))} pages "
            f"in {time.monotonic() - started:.0f} s; elements violating, by rule: {dict(by_rule.most_common())}"
        )
    if details:
        REPORT.parent.mkdir(parents=True, exist_ok=True)
        REPORT.write_text(json.dumps(details, ensure_ascii=False, indent=1), encoding="utf-8")
    assert not found, f"{len(found)} axe-core violations ({dict(by_rule)}):\n" + "\n".join(found)
    assert audits >= MIN_AUDITS, f"only {audits} audits: pages went missing from the matrix"


# Walks Tab through the page from the top and, for each stop, reports what a sighted keyboard user would miss: no
# visible ring (outline under 2px, or under 3:1 against what surrounds it), or a field hidden under the sticky bar.
TAB_STOP = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  // Tab also stops on the calendar button inside a date/time input (the browser's own shadow DOM, drawn with the
  // browser's own two-tone ring): the input then has no :focus; only the input itself is the page's to style.
  if (!el.matches(":focus")) return {name: el.id, ring: 2, contrast: 21, covered: false, skip: false, inMain: true, save: false};
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
  const style = getComputedStyle(el);
  const offset = parseFloat(style.outlineOffset);
  let around = offset >= 0 ? el.parentElement : el;  // a ring outside sits on the parent's background
  while (around && (rgb(getComputedStyle(around).backgroundColor)[3] ?? 1) === 0) around = around.parentElement;
  const backdrop = around ? rgb(getComputedStyle(around).backgroundColor) : [255, 255, 255];
  const ring = style.outlineStyle === "none" ? 0 : parseFloat(style.outlineWidth);
  const bar = document.querySelector(".record-actions");
  let covered = false;
  if (bar && !bar.contains(el)) {
    const [r, b] = [el.getBoundingClientRect(), bar.getBoundingClientRect()];
    covered = r.bottom > b.top && r.top < b.bottom;
  }
  return {
    name: el.id || el.name || el.textContent.trim().slice(0, 12) || el.tagName,
    ring, contrast: ring ? ratio(rgb(style.outlineColor), backdrop) : 0, covered,
    skip: el.classList.contains("skip-link"), inMain: !!el.closest("main"), save: el.id === "save-record",
  };
}"""


def test_the_record_form_works_with_a_keyboard_and_a_screen_reader(live_server, transactional_db, chromium):
    world = matrix._build_world()
    meeting = world.scopes["in"]["meeting"].obj
    context = chromium.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", reduced_motion="reduce")
    context.set_default_timeout(20_000)
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": world.sessions["secretary"], "url": live_server.url}]
    )
    page = context.new_page()
    url = f"{live_server.url}/meetings/{meeting.pk}/record/"
    problems = []
    for width, height in ((375, 700), (1366, 768)):
        page.set_viewport_size({"width": width, "height": height})
        page.goto(url)
        # The first Tab stop is the skip link; following it, the next Tab lands inside <main>.
        page.keyboard.press("Tab")
        first = page.evaluate(TAB_STOP)
        assert first["skip"], f"@{width}px: the first Tab stop is {first['name']}, not the skip link"
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        assert page.evaluate(TAB_STOP)["inMain"], f"@{width}px: the skip link does not lead into <main>"
        # Every stop from the top of the page to the save button: a visible ring, never under the sticky bar.
        page.goto(url)
        for _ in range(200):
            page.keyboard.press("Tab")
            stop = page.evaluate(TAB_STOP)
            if stop["ring"] < 2 or stop["contrast"] < 3:
                problems.append(f"@{width}px {stop['name']}: focus ring {stop['ring']}px at {stop['contrast']:.2f}:1")
            if stop["covered"]:
                problems.append(f"@{width}px {stop['name']}: covered by the sticky save bar")
            if stop["save"]:
                break
        else:
            problems.append(f"@{width}px: the save button is not reached with Tab")
    assert not problems, "\n".join(problems)

    # A screen reader hears the roll as a group named 出席情况, the sections as headings, and each change of the
    # count and of the quorum warning (both inside polite live regions).
    assert page.get_by_role("group", name="出席情况").count() == 1
    for title in ("出席情况", "会议信息", "议题与记录"):
        assert page.get_by_role("heading", name=title, level=2).count() == 1
    assert page.locator("[aria-live=polite] #live-present").count() == 1
    assert page.locator("[aria-live=polite] #quorum-live-warning").count() == 1
    before = page.locator("#live-present").inner_text()
    page.locator(".present-toggle").first.focus()
    page.keyboard.press("Space")
    assert page.locator("#live-present").inner_text() == str(int(before) - 1)
    context.close()
