"""Factories: every object goes through the same services the application uses."""

import datetime
import itertools
from decimal import Decimal
from types import SimpleNamespace

import factory
from django.contrib.auth import get_user_model

from branches import services
from branches.models import Enterprise, Member, Organization, Role
from branches.validators import make_id_number

_seq = itertools.count(1)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "demo12345")
        if create:
            self.save(update_fields=["password"])


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    code = factory.Sequence(lambda n: f"ENT{n:03d}")


def make_organization(parent, kind, *, code=None, name=None, established_on=datetime.date(2015, 1, 1), enterprise=None):
    n = next(_seq)
    return services.organization_create(
        parent=parent,
        name=name or f"测试{Organization.Kind(kind).label}{n}",
        code=code or f"T{n:05d}",
        kind=kind,
        established_on=established_on,
        enterprise=enterprise,
    )


def make_member(branch, *, name=None, category="full", joined_on=datetime.date(2010, 7, 1), group=None, **fields):
    n = next(_seq)
    birth = fields.pop("birth_date", datetime.date(1985, 1, 1) + datetime.timedelta(days=n % 3000))
    defaults = {
        "name": name or f"党员{n}",
        "gender": Member.Gender.MALE if n % 2 else Member.Gender.FEMALE,
        "birth_date": birth,
        "education": Member.Education.BACHELOR,
        "id_number": make_id_number("110101", birth, n),
        "joined_on": joined_on,
        "full_on": joined_on + datetime.timedelta(days=365) if category == "full" else None,
        "category": category,
        "dues_base": Decimal("6000.00"),
        "phone": f"138{n:08d}",
    }
    defaults.update(fields)
    return services.member_create(organization=branch, group=group, **defaults)


def make_tree() -> SimpleNamespace:
    """The fixed tree of tests/conftest.py (its docstring draws it). A plain function, so that module-scoped worlds
    (the access matrix, the API fuzz test) build the very same tree as the `tree` fixture."""
    K = Organization.Kind
    ent_a = EnterpriseFactory(name="甲集团有限公司", code="EA")
    ent_b = EnterpriseFactory(name="乙集团有限公司", code="EB")
    root = make_organization(
        None, K.COMMITTEE, code="ROOT", name="某区国资委党委", established_on=datetime.date(2000, 1, 1)
    )
    committee_a = make_organization(root, K.COMMITTEE, code="EA", name="甲集团党委", enterprise=ent_a)
    branch_a = make_organization(committee_a, K.BRANCH, code="EA-B1", name="甲集团第一党支部")
    group_a = make_organization(branch_a, K.GROUP, code="EA-B1-G1", name="第一党小组")
    branch_b = make_organization(committee_a, K.BRANCH, code="EA-B2", name="甲集团第二党支部")
    committee_b = make_organization(root, K.COMMITTEE, code="EB", name="乙集团党委", enterprise=ent_b)
    branch_c = make_organization(committee_b, K.BRANCH, code="EB-B1", name="乙集团第一党支部")
    return SimpleNamespace(
        root=root,
        committee_a=committee_a,
        branch_a=branch_a,
        group_a=group_a,
        branch_b=branch_b,
        committee_b=committee_b,
        branch_c=branch_c,
        enterprise_a=ent_a,
        enterprise_b=ent_b,
    )


def make_user(username, organization=None, kind=None, **extra):
    """A user with one role on `organization` (none when organization is None)."""
    user = UserFactory(username=username, **extra)
    if organization is not None:
        Role.objects.create(user=user, organization=organization, kind=kind)
    return user


def make_cast(tree) -> SimpleNamespace:
    """The fixed cast of tests/conftest.py on `tree`."""
    return SimpleNamespace(
        sasac=make_user("sasac", tree.root, Role.Kind.REVIEWER),
        committee=make_user("committee", tree.committee_a, Role.Kind.OFFICER),
        secretary=make_user("secretary", tree.branch_a, Role.Kind.SECRETARY),
        secretary2=make_user("secretary2", tree.branch_b, Role.Kind.SECRETARY),
        admin=make_user("admin", is_superuser=True, is_staff=True),
    )


def record_election(organization, on, *, seats=3, user=None):
    """The 换届 procedure up to the 党员大会 election on `on`, through the services (DOMAIN.md "Terms and 换届"): the
    earlier steps ten days apart before it, a held 党员大会 with everybody present, seats × 1.2 candidates (rounded
    up) of whom the first `seats` are elected with every vote. An early election gets its approval first."""
    from branches import term_rules
    from branches.models import CommitteeTerm
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from meetings.votes import services as vote_services

    current = CommitteeTerm.objects.filter(organization=organization, ended_on__isnull=True).first()
    if current is not None and term_rules.is_early(current, on):
        services.term_early_election_approve(term=current, approved_on=on - datetime.timedelta(days=60), user=user)
    for i, step in enumerate(services.STEP_ORDER[:5]):
        services.election_step_record(
            organization=organization, step=step, done_on=on - datetime.timedelta(days=10 * (5 - i)), user=user
        )
    meeting = meeting_services.meeting_plan(
        organization=organization, kind=Meeting.Kind.BRANCH_ASSEMBLY, date=on, topic="换届选举大会", user=user
    )
    meeting = meeting_services.meeting_hold(meeting=meeting, absent={}, content="选举新一届支部委员会", user=user)
    voters = list(Member.objects.filter(organization=organization, full_on__lte=on).order_by("name", "pk"))
    wanted = -(-seats * 6 // 5)
    candidates = [(m, len(voters) if i < seats else 0, i < seats) for i, m in enumerate(voters[:wanted])]
    return vote_services.election_record(meeting=meeting, seats=seats, candidates=candidates, user=user)


def record_election_step(organization, on, *, seats=3, user=None):
    """The 换届 procedure's steps up to the election on `on`, through the branch services only (no 党员大会 record, so
    no meeting is added to the year's figures): the earlier steps ten days apart, everybody present, seats × 1.2
    candidates (rounded up). An early election gets its approval first (DOMAIN.md "Votes and elections")."""
    from branches import term_rules
    from branches.models import CommitteeTerm

    current = CommitteeTerm.objects.filter(organization=organization, ended_on__isnull=True).first()
    if current is not None and term_rules.is_early(current, on) and current.early_election_approved_on is None:
        services.term_early_election_approve(term=current, approved_on=on - datetime.timedelta(days=60), user=user)
    for i, step in enumerate(services.STEP_ORDER[:5]):
        services.election_step_record(
            organization=organization, step=step, done_on=on - datetime.timedelta(days=10 * (5 - i)), user=user
        )
    voters = max(seats, 1)
    return services.election_result_record(
        organization=organization,
        done_on=on,
        eligible_voters=voters,
        present_voters=voters,
        seats=seats,
        candidates=-(-seats * 6 // 5),
        user=user,
    )


def start_term(*, organization, started_on, positions=(), **fields):
    """services.term_start as the rules ask (DOMAIN.md "Votes and elections"): a successor term from an election recorded
    on its first day, the first term of an organization from the superior's 批复. A committee
    given fewer than 3 positions is completed with plain 委员 (no 书记) from the organization's members in good
    standing (new members of its first branch when it has too few), so it has the 3 to 7 members it must have
    (支部工作条例 第九条)."""
    from branches.models import CommitteePosition, CommitteeTerm, ElectionStep

    positions = list(positions)
    if fields.get("has_committee", True) and len(positions) < 3:
        taken = {member.pk for member, _role in positions}
        pool = Member.objects.in_good_standing().filter(organization__path__startswith=organization.path)
        extra = [m for m in pool.order_by("name", "pk") if m.pk not in taken][: 3 - len(positions)]
        if len(positions) + len(extra) < 3:  # too few members yet: 委员 join the first branch at or under it
            home = Organization.objects.filter(path__startswith=organization.path, kind="branch").order_by("path")[0]
            extra += [make_member(home, name=f"委员{next(_seq)}") for _ in range(3 - len(positions) - len(extra))]
        positions += [(member, CommitteePosition.Role.MEMBER) for member in extra]
    current = CommitteeTerm.objects.filter(organization=organization, ended_on__isnull=True).first()
    if current is not None:  # the recorded election itself (record_election_step walks the whole procedure)
        seats = max(len(positions), 1)
        ElectionStep.objects.create(
            organization=organization,
            outgoing_term=current,
            step=ElectionStep.Step.ELECTION,
            done_on=started_on,
            eligible_voters=seats,
            present_voters=seats,
            seats=seats,
            candidates=-(-seats * 6 // 5),
        )
    else:
        fields.setdefault("approval_document", f"上级党委批复〔{started_on.year}〕1号")
    return services.term_start(organization=organization, started_on=started_on, positions=positions, **fields)
