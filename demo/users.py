"""The five demo logins, their table, and the formation-warning counts the tests and summary read."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from branches import services
from branches.models import CommitteePosition, CommitteeTerm, Member, Organization, Role

from .context import DemoContext
from .names import COMPOUND_SURNAMES

K = Organization.Kind
R = CommitteePosition.Role
DEMO_PASSWORD = "demo12345"


DEMO_USERNAMES = ["sasac", "committee", "secretary", "secretary2", "admin"]
# The logins without a member of their own still have a person's name (the header and histories show names, not logins).
STAFF_NAMES = {"sasac": ("陈", "立群"), "committee": ("李", "卫东"), "admin": ("王", "建国")}


def build_users(ctx: DemoContext) -> None:
    """The demo logins, all with password demo12345; existing users are updated (password, roles)."""
    enterprise_committee = next(n for n in ctx.nodes if n.kind == K.COMMITTEE and n.org.depth == 2)
    well_formed = [n for n in ctx.nodes if n.branch and n.branch.flavor == "well_formed" and n.enterprise == 0]
    secretary_branch = next(n for n in well_formed if n.branch.groups == 2)
    secretary2_branch = next(n for n in well_formed if n is not secretary_branch)
    secretaries = {
        p.term.organization_id: p.member
        for p in CommitteePosition.objects.filter(
            role=R.SECRETARY, term__organization__in=[secretary_branch.org, secretary2_branch.org]
        ).select_related("member", "term")
    }
    specs = [
        ("sasac", ctx.root, Role.Kind.REVIEWER, None),
        ("committee", enterprise_committee.org, Role.Kind.OFFICER, None),
        ("secretary", secretary_branch.org, Role.Kind.SECRETARY, secretaries[secretary_branch.org.pk]),
        ("secretary2", secretary2_branch.org, Role.Kind.SECRETARY, secretaries[secretary2_branch.org.pk]),
        ("admin", None, None, None),
    ]
    for username, organization, kind, member in specs:
        user = _demo_user(username, superuser=organization is None, member=member)
        Role.objects.filter(user=user).exclude(organization=organization, kind=kind).delete()
        if organization is not None:
            services.role_grant(user=user, organization=organization, kind=kind)
        ctx.users[username] = user
    ctx.logins = login_table()


def _demo_user(username: str, *, superuser: bool, member: Member | None):
    user, _created = get_user_model().objects.get_or_create(username=username)
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    if member is not None:
        # The secretary logs in as the branch's 书记: same name as the Member record.
        surname_length = 2 if member.name[:2] in COMPOUND_SURNAMES else 1
        user.last_name, user.first_name = member.name[:surname_length], member.name[surname_length:]
    elif username in STAFF_NAMES:
        user.last_name, user.first_name = STAFF_NAMES[username]
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


def login_table() -> list[tuple[str, str, str, str]]:
    """(username, role, organization, password) for each demo login that exists."""
    rows = []
    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO_USERNAMES)}
    for username in DEMO_USERNAMES:
        user = users.get(username)
        if user is None:
            continue
        roles = list(Role.objects.filter(user=user).select_related("organization").order_by("id"))
        if user.is_superuser:
            rows.append((username, "系统管理员", "全部", DEMO_PASSWORD))
        for role in roles:
            rows.append(
                (
                    username,
                    role.get_kind_display(),
                    f"{role.organization.name}({role.organization.code})",
                    DEMO_PASSWORD,
                )
            )
    return rows


def demo_warning_counts(root: Organization) -> dict[str, int]:
    """How many branches under `root` raise each formation warning (used by the tests and the summary)."""
    from branches.selectors import organization_warnings

    branches = (
        Organization.objects.filter(path__startswith=root.path, kind=K.BRANCH)
        .annotate(
            all_members=Count("members", filter=Q(members__status__in=Member.COUNTED_STATUSES)),
            full_members=Count(
                "members", filter=Q(members__status__in=Member.COUNTED_STATUSES, members__category=Member.Category.FULL)
            ),
        )
        .order_by("path")
    )
    terms = {t.organization_id: t for t in CommitteeTerm.objects.current().filter(organization__in=branches)}
    with_secretary = set(
        CommitteePosition.objects.filter(term__in=terms.values(), role=R.SECRETARY).values_list(
            "term__organization_id", flat=True
        )
    )
    counts: dict[str, int] = {}
    for branch in branches:
        for warning in organization_warnings(
            branch,
            full_members=branch.full_members,
            all_members=branch.all_members,
            term=terms.get(branch.pk),
            has_secretary=branch.pk in with_secretary,
        ):
            counts[warning.code] = counts.get(warning.code, 0) + 1
    return counts
