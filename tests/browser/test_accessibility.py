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
    pages = html_pages(world)
    axe_source = AXE.read_text(encoding="utf-8")
    found, details, by_rule, audits, started = [], [], Counter(), 0, time.monotonic()
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
