"""党员大会 resolutions (DOMAIN.md "Votes and elections"; 支部工作条例 第十一条): the counts are recorded and the system
says whether the resolution passed: in favour > half of the voting members who should attend, not of those present."""

import pytest
from django.core.exceptions import ValidationError

from meetings.models import Meeting
from meetings.votes import rules, selectors, services
from tests.factories import make_member, make_organization
from tests.meetings.meeting_helpers import K, hold, plan

pytestmark = pytest.mark.django_db


def _assembly(tree, *, voters=10, probationary=2, absent=0):
    branch = make_organization(tree.committee_a, "branch")
    full = [make_member(branch) for _ in range(voters)]
    [make_member(branch, category="probationary") for _ in range(probationary)]
    meeting = hold(plan(tree, organization=branch), absentees=full[:absent])
    return Meeting.objects.with_counts().get(pk=meeting.pk)


def test_resolution_passes_only_with_more_than_half_of_the_voters_who_should_attend(tree, members):
    meeting = _assembly(tree, voters=10, absent=2)  # 10 voters should attend, 8 came
    half = services.resolution_record(meeting=meeting, text="议题一", votes_for=5, votes_against=3)
    more = services.resolution_record(meeting=meeting, text="议题二", votes_for=6, votes_against=1, votes_abstain=1)
    outcome = {row.resolution.pk: row.passed for row in selectors.resolutions(meeting)}
    # 5 of 10 is exactly half (and more than half of the 8 present): 未通过. 6 of 10: 通过.
    assert outcome == {half.pk: False, more.pk: True}
    assert not rules.resolution_passed(votes_for=5, voting_expected=10)
    assert rules.resolution_passed(votes_for=6, voting_expected=10)


def test_resolution_counts_cannot_exceed_the_voters_present(tree, members):
    meeting = _assembly(tree, voters=10, absent=2)
    with pytest.raises(ValidationError, match="超过到会有表决权的党员 8 人"):
        services.resolution_record(meeting=meeting, text="议题", votes_for=6, votes_against=2, votes_abstain=1)


def test_resolution_needs_more_than_half_of_the_voters_present(tree, members):
    meeting = _assembly(tree, voters=10, absent=5)
    with pytest.raises(ValidationError, match="未超过半数,不能进行表决"):
        services.resolution_record(meeting=meeting, text="议题", votes_for=5)


def test_resolution_only_at_a_held_branch_assembly(tree, members):
    with pytest.raises(ValidationError, match="登记召开后"):
        services.resolution_record(meeting=plan(tree), text="议题", votes_for=5)
    with pytest.raises(ValidationError, match="支部党员大会"):
        services.resolution_record(meeting=hold(plan(tree, K.BRANCH_COMMITTEE)), text="议题", votes_for=5)


def test_resolution_page_records_the_vote_and_shows_whether_it_passed(tree, members, client_for):
    meeting = hold(plan(tree))  # branch A, everybody present
    expected = selectors.voters(meeting).expected
    client = client_for("secretary")
    body = {"text": "同意接收预备党员", "votes_for": expected // 2 + 1, "votes_against": 0, "votes_abstain": 0}
    response = client.post(f"/meetings/{meeting.pk}/resolutions/new/", body)
    assert response.status_code == 302 and response.url.endswith("#resolutions")
    page = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "同意接收预备党员" in page and "通过" in page and "未通过" not in page
    assert client_for("sasac").post(f"/meetings/{meeting.pk}/resolutions/new/", body).status_code == 403
