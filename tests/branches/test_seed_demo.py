"""`manage.py seed_demo`: the district of seed document 003 (21 党委, 15 党总支, 286 党支部, 4,179 党员), deterministic,
idempotent, a valid tree, and the five demo logins.

The demo is seeded once for the module inside a transaction that is rolled back at the end; each test runs in its
own savepoint (the `db` fixture), so tests that re-seed or edit see a fresh copy and leave it unchanged.
"""

import datetime
import hashlib
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.test import Client

from branches import services
from branches.models import (
    CommitteePosition,
    CommitteeTerm,
    ElectionStep,
    Enterprise,
    Member,
    Membership,
    Organization,
    Role,
)
from branches.selectors import organization_overview, term_status
from branches.validators import id_number_error
from demo import seed as demo
from tests.factories import start_term

TODAY = datetime.date(2026, 11, 21)
K = Organization.Kind


def seed(*args) -> str:
    # The tree alone: the year of records is drawn last from the same rng and has its own tests (test_seed_records).
    out = StringIO()
    call_command("seed_demo", f"--today={TODAY}", "--no-records", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def seeded_module(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        output = seed()
        yield output
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_module, db):
    return demo.demo_root()


def digest() -> str:
    """Everything the seed decides (not primary keys or timestamps), in a fixed order."""
    h = hashlib.sha256()
    rows = [
        Organization.objects.order_by("path").values_list(
            "path", "code", "name", "kind", "enterprise__code", "established_on", "numchild"
        ),
        Enterprise.objects.order_by("code").values_list("code", "name"),
        Member.objects.order_by("id_number").values_list(
            "id_number",
            "name",
            "gender",
            "ethnicity",
            "birth_date",
            "education",
            "phone",
            "joined_on",
            "full_on",
            "category",
            "position",
            "organization__code",
            "group__code",
            "status",
            "dues_class",
            "dues_base",
        ),
        Membership.objects.order_by("member__id_number", "started_on").values_list(
            "member__id_number", "organization__code", "started_on", "ended_on", "note"
        ),
        CommitteeTerm.objects.order_by("organization__code", "started_on").values_list(
            "organization__code",
            "started_on",
            "term_years",
            "has_committee",
            "extension_months",
            "extension_approved_on",
            "extension_document",
            "ended_on",
        ),
        CommitteePosition.objects.order_by("term__organization__code", "role", "member__id_number").values_list(
            "term__organization__code", "role", "member__id_number"
        ),
        Role.objects.order_by("user__username", "kind").values_list("user__username", "kind", "organization__code"),
    ]
    for qs in rows:
        for row in qs:
            h.update(repr(row).encode())
    return h.hexdigest()


def test_scale_one_reproduces_the_district_of_seed_document_003(seeded):
    organizations = Organization.objects.under(seeded)
    kinds = Counter(organizations.values_list("kind", flat=True))
    assert (kinds[K.COMMITTEE], kinds[K.GENERAL_BRANCH], kinds[K.BRANCH]) == (21, 15, 286)
    assert sum(kinds.values()) - kinds[K.GROUP] == 322
    assert Member.objects.filter(organization__path__startswith=seeded.path).in_good_standing().count() == 4179
    assert Enterprise.objects.count() == 14
    # Each enterprise has its own 党委 directly under the 国资委党委.
    top = Organization.objects.get_children(seeded).filter(kind=K.COMMITTEE)
    assert sorted(top.values_list("enterprise__code", flat=True)) == sorted(
        Enterprise.objects.values_list("code", flat=True)
    )
    assert seeded.code == "SASAC" and seeded.kind == K.COMMITTEE


def test_tree_is_valid_and_navigable(seeded):
    tree = Organization.objects
    assert tree.find_problems() == ([], [], [], [], [])
    assert tree.get_descendants(seeded).count() == tree.under(seeded).count() - 1
    e01 = tree.get(code="E01")
    assert tree.get_parent(e01) == seeded
    assert all(child.kind in K(e01.kind).child_kinds for child in tree.get_children(e01))
    # numchild and depth are what treebeard would have stored, for every node.
    paths = list(tree.under(seeded).values_list("path", "depth", "numchild"))
    children = Counter(path[: -Organization.steplen] for path, _d, _n in paths)
    assert all(
        numchild == children[path] and depth == len(path) // Organization.steplen for path, depth, numchild in paths
    )


def test_a_third_of_branches_have_two_to_four_groups_holding_their_members(seeded):
    branches = list(Organization.objects.under(seeded).branches())
    with_groups = [b for b in branches if b.numchild]
    assert 0.25 <= len(with_groups) / len(branches) <= 0.42
    for branch in with_groups:
        groups = list(Organization.objects.get_children(branch))
        assert 2 <= len(groups) <= 4 and all(g.kind == K.GROUP for g in groups)
        members = Member.objects.filter(organization=branch).in_good_standing()
        assert not members.filter(group=None).exists()
        assert set(members.values_list("group__path", flat=True)) == {g.path for g in groups}


def test_seeded_rows_pass_model_validation(seeded):
    # bulk_create skips full_clean; the seeded values must still satisfy every field validator.
    for qs in (
        Organization.objects.under(seeded),
        Member.objects.all()[:1000],
        CommitteeTerm.objects.all(),
        Enterprise.objects.all(),
    ):
        for obj in qs:
            obj.full_clean()


def test_every_id_number_is_valid_and_matches_birth_date_and_gender(seeded):
    rows = list(Member.objects.values_list("id_number", "birth_date", "gender"))
    assert len({r[0] for r in rows}) == len(rows)
    for number, birth, gender in rows:
        assert id_number_error(number) is None
        assert number[6:14] == f"{birth:%Y%m%d}"
        # GB 11643: the 17th digit is odd for men.
        assert int(number[16]) % 2 == (1 if gender == Member.Gender.MALE else 0)
    assert len({r[0][:6] for r in rows}) >= 20  # varied region codes


def test_members_look_like_a_real_roster(seeded):
    members = Member.objects.all()
    total = members.count()
    probationary = members.filter(category=Member.Category.PROBATIONARY)
    assert 0.01 <= probationary.count() / total <= 0.05
    assert not probationary.exclude(full_on=None).exists()
    assert not probationary.filter(joined_on__lt=TODAY - datetime.timedelta(days=366)).exists()
    for member in members.filter(category=Member.Category.FULL)[:500]:
        assert member.joined_on < member.full_on <= TODAY
        assert member.joined_on >= member.birth_date.replace(year=member.birth_date.year + 18)
    births = members.values_list("birth_date", flat=True)
    assert min(births).year >= 1960 and max(births).year <= 2002
    assert 0.85 < members.filter(ethnicity="汉族").count() / total < 0.99
    assert len(set(members.values_list("education", flat=True))) == len(Member.Education)
    employed = members.filter(dues_class=Member.DuesClass.EMPLOYED).values_list("dues_base", flat=True)
    brackets = Counter(0 if b <= 3000 else 1 if b <= 5000 else 2 if b <= 10000 else 3 for b in employed)
    assert sorted(brackets) == [0, 1, 2, 3]  # all four 党费 brackets (中组部 rules)
    assert min(employed) >= 2500 and max(employed) <= 15000
    assert members.filter(dues_class=Member.DuesClass.RETIRED).exists()
    assert members.exclude(position="").count() == total


def test_transfers_and_leavers_keep_their_membership_history(seeded):
    left = Member.objects.filter(status__in=[Member.Status.LEFT, Member.Status.DECEASED])
    assert left.exists()
    assert not Membership.objects.filter(member__in=left, ended_on=None).exists()
    transferred = Membership.objects.filter(ended_on__isnull=False, member__status=Member.Status.NORMAL)
    assert transferred.count() >= 10
    for period in transferred.select_related("member")[:20]:
        current = Membership.objects.get(member=period.member, ended_on=None)
        assert current.organization_id == period.member.organization_id != period.organization_id
        assert current.started_on == period.ended_on
    # Every member in good standing has exactly one open period, in their branch.
    assert Membership.objects.filter(ended_on=None).count() == Member.objects.in_good_standing().count()


def test_terms_cover_every_state_of_the_reminder_schedule(seeded):
    organizations = Organization.objects.under(seeded).exclude(kind=K.GROUP)
    terms = list(CommitteeTerm.objects.current().filter(organization__in=organizations).select_related("organization"))
    assert len(terms) == organizations.count() == 322
    for term in terms:
        assert term.term_years == services.default_term_years(term.organization.kind)
        assert 2020 <= term.started_on.year <= 2026
    days = [term_status(t, TODAY).days_left for t in terms]
    assert sum(d < 0 for d in days) >= 5  # overdue
    assert sum(0 <= d <= 30 for d in days) >= 3  # within a month
    assert sum(30 < d <= 91 for d in days) >= 3  # within three months
    assert sum(91 < d <= 182 for d in days) >= 3  # within six months
    extended = [t for t in terms if t.extension_months]
    assert extended and all(t.extension_approved_on and t.extension_document for t in extended)
    assert all(term_status(t, TODAY).state != "overdue" for t in extended)


def test_demo_terms_start_from_an_election_or_the_superiors_approval_with_three_to_seven_committee_members(seeded):
    # DOMAIN.md "Votes and elections": a committee has 3 to 7 members; a successor term starts from a recorded election,
    # an organization's first term may start from the superior's 批复 instead.
    elected = set(
        ElectionStep.objects.filter(step=ElectionStep.Step.ELECTION).values_list("outgoing_term", "organization")
    )
    terms = CommitteeTerm.objects.annotate(size=Count("positions")).order_by("organization_id", "started_on")
    previous = {}
    for term in terms:
        if term.has_committee:
            assert 3 <= term.size <= 7, (term, term.size)
        before = previous.get(term.organization_id)
        if before is None:
            assert term.approval_document or (None, term.organization_id) in elected, term
        else:
            assert (before.pk, term.organization_id) in elected, term
        previous[term.organization_id] = term
    assert len(elected) == 1  # the one late election


def test_each_formation_warning_occurs_for_a_handful_of_branches(seeded):
    counts = demo.demo_warning_counts(seeded)
    for code in ("too_few", "too_many", "no_committee", "no_secretary"):
        assert 2 <= counts.get(code, 0) <= 10, (code, counts)
    # The overview page says the same for a sample branch of each kind.
    for code in ("too_few", "too_many", "no_committee", "no_secretary"):
        branch = next(
            b
            for b in Organization.objects.under(seeded).branches().order_by("path")
            if code in {w.code for w in organization_overview(b, today=TODAY)["warnings"]}
        )
        assert branch.kind == K.BRANCH
    small = CommitteeTerm.objects.current().filter(has_committee=False, organization__kind=K.BRANCH)
    assert small.count() >= 10
    assert all(t.positions.count() == 1 and t.positions.get().role == CommitteePosition.Role.SECRETARY for t in small)


def test_demo_logins_have_their_roles_and_can_log_in(seeded):
    roles = {
        (r.user.username, r.kind, r.organization.code) for r in Role.objects.select_related("user", "organization")
    }
    secretary_branch = Role.objects.get(user__username="secretary").organization
    secretary2_branch = Role.objects.get(user__username="secretary2").organization
    assert roles == {
        ("sasac", Role.Kind.REVIEWER, "SASAC"),
        ("committee", Role.Kind.OFFICER, "E01"),
        ("secretary", Role.Kind.SECRETARY, secretary_branch.code),
        ("secretary2", Role.Kind.SECRETARY, secretary2_branch.code),
    }
    assert secretary_branch != secretary2_branch
    for username in ("sasac", "committee", "secretary", "secretary2", "admin"):
        assert Client().login(username=username, password="demo12345"), username
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff


def test_the_secretary_demo_branch_is_well_formed_and_named_after_its_secretary(seeded):
    branch = Role.objects.get(user__username="secretary").organization
    assert branch.enterprise.code == "E01"
    overview = organization_overview(branch, today=TODAY)
    assert 8 <= overview["member_count"] <= 15
    assert overview["term"].has_committee and overview["term_status"].state == "ok"
    assert overview["warnings"] == []
    assert len(overview["children"]) == 2
    secretary = next(p.member for p in overview["positions"] if p.role == CommitteePosition.Role.SECRETARY)
    user = Role.objects.get(user__username="secretary").user
    assert user.last_name + user.first_name == secretary.name
    branch2 = Role.objects.get(user__username="secretary2").organization
    assert branch2.enterprise.code == "E01"
    assert organization_overview(branch2, today=TODAY)["warnings"] == []


def test_second_run_without_reset_changes_nothing(seeded):
    before = digest()
    output = seed()
    assert "演示数据已存在,跳过;使用 --reset 重新生成" in output
    assert "secretary" in output  # the logins table is printed every time (make demo)
    assert digest() == before


def test_reset_rebuilds_identical_data_whatever_was_edited_and_another_seed_differs(seeded):
    before = digest()
    # Edits through the services leave history rows, new memberships and a new term behind; --reset clears them.
    branch = Role.objects.get(user__username="secretary2").organization
    member = Member.objects.filter(organization=branch).first()
    services.member_update(member=member, position="新岗位")
    services.member_transfer(
        member=member, to_organization=Role.objects.get(user__username="secretary").organization, on=TODAY
    )
    start_term(organization=branch, started_on=TODAY, positions=[])
    output = seed("--reset")
    assert "演示数据已生成" in output and "党支部 286" in output
    assert digest() == before
    assert Organization.objects.find_problems() == ([], [], [], [], [])
    seed("--reset", "--seed=7")
    assert digest() != before


def test_every_demo_login_has_a_persons_name(seeded):
    """The header and the histories show people (issue 14 point 10): no demo account falls back to its login."""
    from branches.people import display_name

    for user in get_user_model().objects.filter(
        username__in=("sasac", "committee", "secretary", "secretary2", "admin")
    ):
        assert display_name(user) != user.username and not display_name(user).isascii(), user.username
