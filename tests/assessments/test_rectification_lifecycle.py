"""整改: proposed → confirmed/dismissed → open → reported → closed or sent back → reported again, with its refusals."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from assessments.rectification import proposals, selectors, services
from assessments.rectification.models import RectificationEvent, RectificationItem
from tests.assessments.conftest import AFTER_2025

D = datetime.date
TODAY = D(2026, 3, 2)
S = RectificationItem.State
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def png(name="photo.png"):
    return SimpleUploadedFile(name, PNG, "image/png")


@pytest.fixture
def item(tree, cast):
    return services.item_propose(
        organization=tree.branch_a, committee=tree.committee_a, title="三会一课记录不全", user=cast.committee
    )


def confirm(item, cast, members, deadline=None):
    return services.item_confirm(
        item=item,
        deadline=deadline or D(2026, 4, 30),
        responsible_member=members.a[0],
        user=cast.committee,
        today=TODAY,
    )


def test_the_whole_loop_is_dated_and_kept(item, cast, members):
    confirm(item, cast, members)
    services.item_report(item=item, measures="补齐记录", files=[png()], user=cast.secretary)
    services.item_return(item=item, reason="缺签到表", user=cast.committee)
    assert item.state == S.RETURNED
    services.item_report(item=item, measures="补上签到表", files=[png("sign.png")], user=cast.secretary)
    services.item_close(item=item, user=cast.committee)
    assert item.state == S.CLOSED and item.closed_at is not None
    history = selectors.item_history(item)
    assert [e.action for e in history] == ["propose", "confirm", "report", "return", "report", "close"]
    assert [len(e.evidence.all()) for e in history] == [0, 0, 1, 0, 1, 0]
    assert history[3].note == "缺签到表"
    assert RectificationEvent.objects.filter(item=item).count() == 6


def test_closing_an_item_never_reported_on_is_refused(item, cast, members):
    confirm(item, cast, members)
    with pytest.raises(ValidationError, match="尚未报告整改情况,不能销号"):
        services.item_close(item=item, user=cast.committee)
    with pytest.raises(ValidationError, match="不能销号"):
        services.item_close(
            item=services.item_propose(organization=item.organization, committee=item.committee, title="另一个"),
            user=cast.committee,
        )


def test_a_secretary_cannot_verify_their_own_organizations_item(item, cast, members):
    confirm(item, cast, members)
    services.item_report(item=item, measures="已整改", user=cast.secretary)
    for action in (services.item_close, services.item_return):
        with pytest.raises(ValidationError, match="不能核验本单位"):
            action(item=item, user=cast.secretary, **({"reason": "x"} if action is services.item_return else {}))
    with pytest.raises(ValidationError, match="不能核验本单位"):
        services.item_confirm(
            item=services.item_propose(organization=item.organization, committee=item.committee, title="x"),
            deadline=D(2026, 5, 1),
            responsible_text="书记",
            user=cast.secretary,
            today=TODAY,
        )
    assert RectificationItem.objects.get(pk=item.pk).state == S.REPORTED


def test_confirm_needs_a_deadline_not_past_and_a_responsible_person(item, cast, members):
    with pytest.raises(ValidationError):
        services.item_confirm(item=item, deadline=D(2026, 1, 1), responsible_text="x", user=cast.committee, today=TODAY)
    with pytest.raises(ValidationError):
        services.item_confirm(item=item, deadline=D(2026, 5, 1), user=cast.committee, today=TODAY)
    with pytest.raises(ValidationError, match="整改单位的党员"):
        services.item_confirm(
            item=item, deadline=D(2026, 5, 1), responsible_member=members.b[0], user=cast.committee, today=TODAY
        )


def test_a_dismissed_problem_needs_a_reason_and_stays_kept(item, cast):
    with pytest.raises(ValidationError):
        services.item_dismiss(item=item, reason=" ", user=cast.committee)
    services.item_dismiss(item=item, reason="已于上月整改", user=cast.committee)
    assert RectificationItem.objects.get(pk=item.pk).state == S.DISMISSED
    with pytest.raises(ValidationError):
        services.item_report(item=item, measures="x", user=cast.secretary)


def test_evidence_gets_the_checks_of_meeting_attachments(item, cast, members):
    confirm(item, cast, members)
    with pytest.raises(ValidationError, match="只能上传"):
        services.item_report(
            item=item, measures="x", files=[SimpleUploadedFile("a.exe", b"MZ", "application/octet-stream")]
        )
    with pytest.raises(ValidationError, match="内容与扩展名不符"):
        services.item_report(item=item, measures="x", files=[SimpleUploadedFile("a.png", b"%PDF-1.4 xx", "image/png")])
    assert RectificationItem.objects.get(pk=item.pk).state == S.OPEN


def test_the_committee_must_be_above_the_organization(tree):
    with pytest.raises(ValidationError, match="上级党组织"):
        services.item_propose(organization=tree.branch_a, committee=tree.committee_b, title="x")
    with pytest.raises(ValidationError, match="上级党组织"):
        services.item_propose(organization=tree.committee_a, committee=tree.committee_a, title="x")


def test_open_items_for_the_secretary_overdue_first(tree, cast, members):
    late = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="逾期")
    soon = services.item_propose(organization=tree.branch_a, committee=tree.committee_a, title="将到期")
    confirm(late, cast, members, deadline=D(2026, 3, 5))
    confirm(soon, cast, members, deadline=D(2026, 3, 20))
    items = selectors.open_items_for(tree.branch_a, D(2026, 3, 10))
    assert [(i.title, i.overdue, i.days_left) for i in items] == [("逾期", True, -5), ("将到期", False, 10)]
    rows = selectors.dashboard_rows(tree.committee_a, D(2026, 3, 10))
    assert [(r.organization, r.live, r.overdue, r.closed) for r in rows] == [(tree.branch_a, 2, 1, 0)]


def test_problems_are_proposed_from_the_data_once_and_confirmed_never_retyped(tree, cast, members):
    later = D(2026, 7, 1)  # branch B's term (2023-06-01, three years) has expired
    created = proposals.propose_from_data(committee=tree.committee_a, year=2025, today=later, user=cast.committee)
    titles = {(p.organization.code, p.title) for p in created}
    assert ("EA-B2", "届满未按期换届") in titles
    assert any(code == "EA-B1" and "未达标" in title for code, title in titles)  # no meetings recorded in 2025
    assert all(p.state == S.PROPOSED and p.origin == "data" for p in created)
    again = proposals.propose_from_data(committee=tree.committee_a, year=2025, today=later)
    assert again == []
    extra = proposals.propose_from_data(
        committee=tree.committee_a,
        year=2025,
        today=AFTER_2025,
        providers=[
            lambda c, y, t: [proposals.Proposal(tree.branch_a, "发展党员超期", "预备期满未转正", "recruitment:x")]
        ],
    )
    assert [p.title for p in extra] == ["发展党员超期"]
    proposed = created[0]
    services.item_confirm(
        item=proposed, deadline=D(2026, 3, 1), responsible_text="书记", user=cast.committee, today=AFTER_2025
    )
    assert RectificationItem.objects.get(pk=proposed.pk).title == proposed.title
