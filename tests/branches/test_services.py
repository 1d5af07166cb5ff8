"""The foundation's rules, read as the regulations they implement."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from branches import selectors, services
from branches.models import CommitteePosition, CommitteeTerm, Member, Membership, Organization
from branches.validators import id_number_error, make_id_number, mask_id_number
from tests.factories import make_member, make_organization, record_election_step, start_term

K = Organization.Kind
D = datetime.date


# --- the tree -----------------------------------------------------------------------------------------------------


def test_everything_under_an_organization_is_one_prefix_query(tree, django_assert_num_queries):
    with django_assert_num_queries(1):
        codes = set(Organization.objects.under(tree.committee_a).values_list("code", flat=True))
    assert codes == {"EA", "EA-B1", "EA-B1-G1", "EA-B2"}


def test_a_group_can_only_sit_inside_a_branch(tree):
    with pytest.raises(ValidationError, match="党委下不能设立党小组"):
        make_organization(tree.committee_a, K.GROUP)
    with pytest.raises(ValidationError, match="党支部下不能设立党支部"):
        make_organization(tree.branch_a, K.BRANCH)


def test_children_inherit_the_enterprise_of_their_parent(tree):
    assert tree.branch_a.enterprise == tree.enterprise_a
    assert make_organization(tree.branch_a, K.GROUP).enterprise == tree.enterprise_a


def test_organization_codes_are_unique(tree):
    with pytest.raises(ValidationError):
        make_organization(tree.committee_a, K.BRANCH, code="EA-B1")


def test_an_organization_with_members_cannot_be_dissolved(members, tree):
    with pytest.raises(ValidationError, match="仍有党员"):
        services.organization_update(organization=tree.branch_b, status=Organization.Status.DISSOLVED)


# --- members ------------------------------------------------------------------------------------------------------


def test_id_number_checksum_is_validated():
    good = make_id_number("110101", D(1990, 3, 7), 123)
    assert id_number_error(good) is None
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert id_number_error(wrong_check) == "身份证号码校验位不正确"
    assert id_number_error("11010119900307123") == "身份证号码应为18位"
    assert id_number_error("110101199002301234") == "身份证号码中的出生日期无效"


def test_id_numbers_are_masked_keeping_only_the_last_four():
    assert mask_id_number("11010119900307123X") == "**************123X"  # issue 12 point 1


def test_a_member_with_an_invalid_id_number_is_refused(tree):
    with pytest.raises(ValidationError) as error:
        make_member(tree.branch_a, id_number="110101199003071230")
    assert "身份证号码校验位不正确" in str(error.value)


def test_a_full_member_needs_a_full_membership_date_in_the_database(members):
    member = members.a[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Member.objects.filter(pk=member.pk).update(full_on=None)


def test_members_belong_to_branches_not_committees(tree):
    with pytest.raises(ValidationError, match="党支部"):
        make_member(tree.committee_a)


def test_a_member_can_only_join_a_group_of_their_own_branch(tree):
    other_group = make_organization(tree.branch_b, K.GROUP)
    with pytest.raises(ValidationError, match="党小组必须属于"):
        make_member(tree.branch_a, group=other_group)


def test_a_transfer_keeps_the_past_branch_in_its_records(members, tree):
    member = members.a[5]
    services.member_transfer(member=member, to_organization=tree.branch_c, on=D(2026, 5, 1))
    member.refresh_from_db()
    assert member.organization == tree.branch_c and member.group is None
    periods = list(Membership.objects.filter(member=member).order_by("started_on"))
    assert [(p.organization.code, p.ended_on) for p in periods] == [("EA-B1", D(2026, 5, 1)), ("EB-B1", None)]
    assert member in {m.member for m in selectors.past_memberships(tree.branch_a)}
    # Coverage indicators count members who belonged to the branch during the period.
    assert member in selectors.members_during(tree.branch_a, D(2026, 1, 1), D(2026, 12, 31))
    assert member not in selectors.members_during(tree.branch_a, D(2026, 6, 1), D(2026, 12, 31))


def test_a_member_who_leaves_stops_counting_but_stays_on_record(members, tree):
    member = members.b[2]
    services.member_leave(member=member, status=Member.Status.DECEASED, on=D(2026, 2, 1))
    assert not Member.objects.filter(organization=tree.branch_b).in_good_standing().filter(pk=member.pk).exists()
    assert Membership.objects.get(member=member).ended_on == D(2026, 2, 1)


def test_every_change_to_a_member_is_in_the_history_with_who_made_it(members, cast):
    member = members.a[3]
    services.member_update(member=member, phone="13900000000", user=cast.secretary)
    latest = member.history.first()
    assert latest.history_user == cast.secretary
    delta = latest.diff_against(latest.prev_record)
    assert [(c.field, c.new) for c in delta.changes] == [("phone", "13900000000")]


# --- committee terms ----------------------------------------------------------------------------------------------


def test_term_length_depends_on_the_kind_of_organization(tree, members):
    # 关于党的基层组织任期的意见: 基层党委 5 years, 支部委员会 3 years.
    committee_term = start_term(organization=tree.committee_a, started_on=D(2022, 1, 10), positions=[])
    assert committee_term.expires_on == D(2027, 1, 10)
    assert CommitteeTerm.objects.current().get(organization=tree.branch_a).expires_on == D(2027, 3, 1)


def test_an_approved_extension_is_at_most_one_year(members, tree):
    term = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    with pytest.raises(ValidationError, match="最长不超过12个月"):
        services.term_extend(term=term, months=13, approved_on=D(2027, 1, 5))
    services.term_extend(term=term, months=12, approved_on=D(2027, 1, 5), document="某党发〔2027〕1号")
    assert term.expires_on == D(2028, 3, 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        CommitteeTerm.objects.filter(pk=term.pk).update(extension_months=13)


def test_a_new_term_closes_the_previous_one(members, tree):
    old = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    new = start_term(
        organization=tree.branch_a,
        started_on=D(2027, 2, 20),
        positions=[(members.a[3], CommitteePosition.Role.SECRETARY)],
    )
    old.refresh_from_db()
    assert old.ended_on == D(2027, 2, 20) and new.is_current


def test_only_one_secretary_per_term(members, tree):
    with pytest.raises(ValidationError, match="只能有一名书记"):
        services.term_start(
            organization=tree.branch_a,
            started_on=D(2027, 1, 1),
            positions=[(members.a[0], "secretary"), (members.a[1], "secretary")],
        )


def test_a_branch_committee_has_at_most_seven_members(members, tree):
    extra = [make_member(tree.branch_a) for _ in range(1)]
    people = members.a + extra
    with pytest.raises(ValidationError, match="最多不超过7人"):
        services.term_start(
            organization=tree.branch_a, started_on=D(2027, 1, 1), positions=[(m, "member") for m in people]
        )


@pytest.mark.parametrize(("size", "accepted"), [(2, False), (3, True), (7, True), (8, False)])
def test_a_committee_has_three_to_seven_members(members, tree, size, accepted):
    # 支部工作条例 第九条: 支部委员会一般由3至5人组成,最多不超过7人 (boundaries 2, 3, 7, 8).
    people = (members.a + [make_member(tree.branch_a)])[:size]
    positions = [(m, "secretary" if i == 0 else "member") for i, m in enumerate(people)]
    record_election_step(tree.branch_a, D(2027, 3, 1), seats=size)
    if accepted:
        term = services.term_start(organization=tree.branch_a, started_on=D(2027, 3, 1), positions=positions)
        assert term.positions.count() == size
    else:
        with pytest.raises(ValidationError, match=f"最多不超过7人,本次登记 {size} 人.*第九条"):
            services.term_start(organization=tree.branch_a, started_on=D(2027, 3, 1), positions=positions)


def test_a_branch_without_a_committee_has_a_secretary_only(members, tree):
    record_election_step(tree.branch_b, D(2026, 6, 1), seats=1)
    term = services.term_start(
        organization=tree.branch_b,
        started_on=D(2026, 6, 1),
        has_committee=False,
        positions=[(members.b[1], "secretary")],
    )
    assert term.positions.count() == 1


def test_a_new_term_starts_only_from_a_recorded_election(members, tree):
    positions = [(members.a[3], "secretary"), (members.a[4], "organization"), (members.a[5], "propaganda")]
    with pytest.raises(ValidationError, match="须由党员大会选举产生.*第九条.*登记选举结果"):
        services.term_start(
            organization=tree.branch_a, started_on=D(2027, 3, 1), positions=positions, approval_document="〔2027〕1号"
        )
    assert not CommitteeTerm.objects.filter(organization=tree.branch_a, ended_on__isnull=False).exists()
    record_election_step(tree.branch_a, D(2027, 3, 1))
    assert services.term_start(organization=tree.branch_a, started_on=D(2027, 3, 1), positions=positions).is_current


def test_the_first_term_starts_from_an_election_or_the_superiors_approval(tree):
    branch = make_organization(tree.committee_a, "branch")
    people = [make_member(branch) for _ in range(3)]
    positions = [(people[0], "secretary"), (people[1], "organization"), (people[2], "propaganda")]
    with pytest.raises(ValidationError, match="第一届委员会须由党员大会选举产生.*上级批复文号"):
        services.term_start(organization=branch, started_on=D(2025, 1, 1), positions=positions)
    term = services.term_start(
        organization=branch, started_on=D(2025, 1, 1), positions=positions, approval_document=" 甲党委〔2024〕9号 "
    )
    assert term.approval_document == "甲党委〔2024〕9号"
    other = make_organization(tree.committee_a, "branch")
    record_election_step(other, D(2025, 2, 1), seats=1)
    elected = services.term_start(
        organization=other, started_on=D(2025, 2, 1), positions=[(make_member(other), "secretary")], has_committee=False
    )
    assert elected.approval_document == ""


def test_term_status_counts_days_to_expiry_and_overdue(members, tree):
    term = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    assert selectors.term_status(term, D(2027, 2, 1)).state == "expiring"
    assert selectors.term_status(term, D(2026, 1, 1)).state == "ok"
    overdue = selectors.term_status(term, D(2027, 3, 11))
    assert overdue.state == "overdue" and overdue.days_left == -10


def test_election_needs_four_fifths_present_and_twenty_percent_more_candidates(members, tree):
    # The counts now come from the held 党员大会 (meetings.votes.services.election_record calls this service); the
    # earlier steps come first, and an election before the expiry (2027-03-01) needs the superior's approval.
    term = CommitteeTerm.objects.current().get(organization=tree.branch_a)
    services.term_early_election_approve(term=term, approved_on=D(2026, 12, 1))
    for i, step in enumerate(services.STEP_ORDER[:5]):
        services.election_step_record(organization=tree.branch_a, step=step, done_on=D(2027, 1, 1 + i))
    base = {"organization": tree.branch_a, "done_on": D(2027, 2, 1)}
    with pytest.raises(ValidationError, match="五分之四"):
        services.election_result_record(**base, eligible_voters=10, present_voters=8, seats=5, candidates=6)
    with pytest.raises(ValidationError, match="20%"):
        services.election_result_record(**base, eligible_voters=10, present_voters=9, seats=5, candidates=5)
    step = services.election_result_record(**base, eligible_voters=10, present_voters=9, seats=5, candidates=6)
    assert step.outgoing_term == CommitteeTerm.objects.current().get(organization=tree.branch_a)


# --- formation warnings (支部工作条例 第五、八、九条) -----------------------------------------------------------------


def _warning_codes(organization):
    return {w.code for w in selectors.organization_overview(organization, today=D(2026, 11, 21))["warnings"]}


def test_a_branch_with_seven_full_members_and_a_committee_has_no_warning(members, tree):
    assert _warning_codes(tree.branch_a) == set()


def test_a_branch_with_fewer_than_three_full_members_is_warned(members, tree):
    assert _warning_codes(tree.branch_c) == {"too_few", "no_secretary"}


def test_seven_full_members_without_a_committee_is_warned(members, tree):
    for _ in range(4):
        make_member(tree.branch_b)
    assert "no_committee" in _warning_codes(tree.branch_b)


def test_more_than_fifty_members_is_warned(tree):
    for _ in range(51):
        make_member(tree.branch_c)
    assert "too_many" in _warning_codes(tree.branch_c)


def test_organization_page_data_costs_a_fixed_number_of_queries(members, tree, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        selectors.organization_overview(tree.branch_a, today=D(2026, 11, 21))
