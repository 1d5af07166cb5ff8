"""/api/v1/resolutions/ and /api/v1/elections/: a 党员大会's votes through the API, recorded by the same services as the
meeting page (DOMAIN.md "Votes and elections"; 支部工作条例 第十一条)."""

import datetime

import pytest

from branches import services as branch_services
from branches.models import CommitteeTerm
from meetings.votes import services
from tests.factories import record_election
from tests.meetings.meeting_helpers import hold, plan

pytestmark = pytest.mark.django_db
D = datetime.date
RESOLUTIONS, ELECTIONS = "/api/v1/resolutions/", "/api/v1/elections/"


@pytest.fixture
def assembly(tree, members):
    """A held 党员大会 of branch A: 7 正式党员 should attend, 3 are absent (4 present, a majority: voting may proceed)."""
    return hold(plan(tree, organization=tree.branch_a, date=D(2025, 5, 6)), absentees=members.a[4:])


def _ready_for_election(tree, branch, on):
    """An early election approved, the procedure's steps before the election, and the held 党员大会 on `on`."""
    term = CommitteeTerm.objects.current().get(organization=branch)
    branch_services.term_early_election_approve(term=term, approved_on=on - datetime.timedelta(days=60))
    for i, step in enumerate(branch_services.STEP_ORDER[:5]):
        branch_services.election_step_record(
            organization=branch, step=step, done_on=on - datetime.timedelta(days=10 * (5 - i))
        )
    return hold(plan(tree, organization=branch, date=on))


def _post(client, url, payload):
    return client.post(url, payload, content_type="application/json")


def test_a_resolution_passes_only_when_in_favour_exceed_half_of_the_voting_members_who_should_attend(
    client_for, assembly
):
    client = client_for("secretary")
    # 3 of the 4 present is a majority of those present, but not more than half of the 7 who should attend.
    rejected = _post(
        client, RESOLUTIONS, {"meeting": assembly.pk, "text": "甲议题", "votes_for": 3, "votes_against": 1}
    )
    passed = _post(client, RESOLUTIONS, {"meeting": assembly.pk, "text": "乙议题", "votes_for": 4})
    assert rejected.status_code == 201 and passed.status_code == 201, rejected.content
    assert {k: rejected.json()[k] for k in ("votes_for", "votes_against", "votes_abstain")} == {
        "votes_for": 3,
        "votes_against": 1,
        "votes_abstain": 0,
    }
    assert (rejected.json()["voting_expected"], rejected.json()["voting_present"]) == (7, 4)
    assert (rejected.json()["passed"], passed.json()["passed"]) == (False, True)
    rows = client_for("sasac").get(RESOLUTIONS, {"org": "EA-B1"}).json()["results"]
    assert sorted((row["text"], row["passed"]) for row in rows) == [("乙议题", True), ("甲议题", False)]
    detail = client_for("committee").get(f"{RESOLUTIONS}{passed.json()['id']}/").json()
    assert detail["passed"] is True and detail["meeting"] == assembly.pk


def test_a_resolution_over_the_present_voters_is_refused_with_the_services_message(client_for, assembly):
    response = _post(client_for("secretary"), RESOLUTIONS, {"meeting": assembly.pk, "text": "甲", "votes_for": 5})
    assert response.status_code == 400
    assert response.json()["detail"] == "赞成、反对、弃权合计 5 票,超过到会有表决权的党员 4 人。"


def test_resolution_writes_are_refused_to_readers_and_outsiders(client_for, assembly):
    payload = {"meeting": assembly.pk, "text": "甲", "votes_for": 4}
    assert _post(client_for("sasac"), RESOLUTIONS, payload).status_code == 403
    assert _post(client_for("secretary2"), RESOLUTIONS, payload).status_code == 404
    resolution = services.resolution_record(meeting=assembly, text="甲", votes_for=4)
    assert client_for("secretary2").get(f"{RESOLUTIONS}{resolution.pk}/").status_code == 404
    assert client_for("secretary2").get(RESOLUTIONS).json()["results"] == []
    assert client_for("secretary2").get(RESOLUTIONS, {"org": "EA-B1"}).status_code == 404


@pytest.mark.parametrize("extra", [3, 30])
def test_resolution_list_query_count_does_not_grow_with_rows(
    client_for, tree, assembly, extra, django_assert_max_num_queries
):
    for i in range(extra):
        meeting = hold(plan(tree, organization=tree.branch_a, date=D(2025, 6, 1) + datetime.timedelta(days=i)))
        services.resolution_record(meeting=meeting, text=f"议题{i}", votes_for=4)
    client = client_for("committee")
    with django_assert_max_num_queries(7):
        response = client.get(RESOLUTIONS)
    assert len(response.json()["results"]) == extra


def test_an_election_is_recorded_through_the_api_with_counts_from_the_attendance(client_for, tree, members):
    meeting = _ready_for_election(tree, tree.branch_a, D(2026, 3, 10))
    candidates = [{"member": m.pk, "votes": 7 if i < 3 else 1, "elected": i < 3} for i, m in enumerate(members.a[:4])]
    payload = {"meeting": meeting.pk, "seats": 3, "candidates": candidates}
    assert _post(client_for("sasac"), ELECTIONS, payload).status_code == 403
    response = _post(client_for("secretary"), ELECTIONS, payload)
    assert response.status_code == 201, response.content
    row = response.json()
    assert (row["eligible_voters"], row["present_voters"], row["seats"]) == (7, 7, 3)
    assert [(c["member"], c["votes"], c["elected"]) for c in row["candidates"]] == [
        (members.a[0].pk, 7, True),
        (members.a[1].pk, 7, True),
        (members.a[2].pk, 7, True),
        (members.a[3].pk, 1, False),
    ]
    again = _post(client_for("secretary"), ELECTIONS, {**payload, "candidates": candidates[:3]})
    assert again.status_code == 400


def test_an_elected_candidate_without_more_than_half_of_the_votes_is_refused(client_for, tree, members):
    meeting = _ready_for_election(tree, tree.branch_a, D(2026, 3, 10))
    candidates = [{"member": m.pk, "votes": 3, "elected": i < 3} for i, m in enumerate(members.a[:4])]
    response = _post(client_for("secretary"), ELECTIONS, {"meeting": meeting.pk, "seats": 3, "candidates": candidates})
    assert response.status_code == 400
    assert "未超过到会有选举权党员(7 人)的半数,不能当选" in response.json()["detail"]


@pytest.mark.parametrize("both", [False, True])
def test_election_list_and_detail_query_counts_are_fixed(
    client_for, tree, members, both, django_assert_max_num_queries
):
    election = record_election(tree.branch_a, D(2026, 3, 10))
    if both:
        record_election(tree.branch_b, D(2026, 6, 1), seats=1)
    client = client_for("sasac")
    with django_assert_max_num_queries(8):
        rows = client.get(ELECTIONS).json()["results"]
    assert len(rows) == (2 if both else 1) and rows[-1]["id"] == election.pk
    with django_assert_max_num_queries(8):
        detail = client.get(f"{ELECTIONS}{election.pk}/").json()
    assert detail["org"] == "EA-B1" and len(detail["candidates"]) == 4
    assert client_for("secretary2").get(f"{ELECTIONS}{election.pk}/").status_code == 404
