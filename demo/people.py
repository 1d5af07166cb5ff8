"""Members: realistic people (names, valid ID numbers, education by age, 党费 bases), their 组织关系 history."""

import datetime
import itertools
from decimal import Decimal

from branches.models import GroupMembership, Member, Membership, Organization
from branches.validators import make_id_number

from .context import BATCH_SIZE, DemoContext, plus_years, weighted
from .names import (
    COMPOUND_SURNAMES,
    EDUCATION,
    FEMALE_CHARS,
    LINE_POSITIONS,
    MALE_CHARS,
    MINORITIES,
    OFFICE_POSITIONS,
    PHONE_PREFIXES,
    REGION_CODES,
    SURNAMES,
)

K = Organization.Kind


_MALE_SHARE = {
    "construction": 0.8,
    "transit": 0.75,
    "water": 0.7,
    "sanitation": 0.6,
    "property": 0.55,
    "commerce": 0.45,
    "care": 0.3,
    "finance": 0.5,
    "park": 0.55,
    "office": 0.5,
    "retired": 0.6,
}
_EDUCATION_BY_AGE = {  # 研究生 / 本科 / 专科 / 中专 / 高中 / 初中及以下 in %, by birth cohort (cumulative below)
    cohort: list(itertools.accumulate(weights))
    for cohort, weights in {
        "young": [18, 55, 18, 5, 3, 1],
        "middle": [10, 45, 25, 10, 7, 3],
        "old": [3, 25, 27, 18, 17, 10],
    }.items()
}
_DUES_BRACKETS = [((2500, 3000), 10), ((3010, 5000), 22), ((5010, 10000), 45), ((10010, 15000), 23)]
_SURNAME_CUM_WEIGHTS = list(itertools.accumulate(1 / (rank + 8) for rank in range(len(SURNAMES))))
_BIRTH_COHORTS = [(1966, 1975), (1976, 1985), (1986, 1995), (1996, 2002)]
_BIRTH_COHORT_CUM_WEIGHTS = [20, 55, 90, 100]


class _People:
    """Draws realistic people from the shared rng; ID numbers are unique across the whole run."""

    def __init__(self, ctx: DemoContext):
        self.rng, self.today, self.ids = ctx.rng, ctx.today, set()

    def name(self, male: bool) -> str:
        rng = self.rng
        surname = (
            rng.choice(COMPOUND_SURNAMES)
            if rng.random() < 0.003
            else rng.choices(SURNAMES, cum_weights=_SURNAME_CUM_WEIGHTS)[0]
        )
        chars = MALE_CHARS if male else FEMALE_CHARS
        given = rng.choice(chars)
        if rng.random() < 0.7:
            second = rng.choice(chars)
            given += second if second != given else rng.choice(chars)
        return surname + given

    def id_number(self, birth: datetime.date, male: bool) -> str:
        # GB 11643: the 17th digit is odd for men, even for women.
        while True:
            sequence = self.rng.randrange(1, 999)
            if sequence % 2 != male:
                sequence += 1
            number = make_id_number(self.rng.choice(REGION_CODES), birth, sequence)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def member(self, branch: Organization, line: str, *, category: str | None = None) -> Member:
        rng, today = self.rng, self.today
        retired = line == "retired"
        male = rng.random() < _MALE_SHARE[line]
        if retired:
            birth_year = rng.randint(1960, min(1966, today.year - 60))
        else:
            lo, hi = rng.choices(_BIRTH_COHORTS, cum_weights=_BIRTH_COHORT_CUM_WEIGHTS)[0]
            birth_year = min(rng.randint(lo, hi), today.year - 22)
        birth = datetime.date(birth_year, rng.randint(1, 12), rng.randint(1, 28))
        if category is None:
            category = Member.Category.PROBATIONARY if not retired and rng.random() < 0.03 else Member.Category.FULL
        if category == Member.Category.PROBATIONARY:
            # 预备期一年 (党章 第七条): accepted within the last year, not yet 转正.
            joined_on, full_on = today - datetime.timedelta(days=rng.randint(20, 350)), None
        else:
            # Birth days are at most the 28th, so whole-year and half-year steps are exact.
            earliest = plus_years(birth, 18) + datetime.timedelta(days=182)
            latest = min(today - datetime.timedelta(days=400), plus_years(birth, 45))
            span = max(0, (latest - earliest).days)
            joined_on = earliest + datetime.timedelta(days=int(span * rng.random() ** 1.8))
            full_on = plus_years(joined_on, 1)
        cohort = "young" if birth_year >= 1985 else "middle" if birth_year >= 1970 else "old"
        if line in ("transit", "sanitation", "care") and cohort != "old":
            cohort = "old" if rng.random() < 0.5 else cohort
        education = rng.choices(EDUCATION, cum_weights=_EDUCATION_BY_AGE[cohort])[0]
        if retired:
            position, dues_class = "退休", Member.DuesClass.RETIRED
            dues_base = Decimal(rng.randint(280, 800) * 10)
        else:
            pool = OFFICE_POSITIONS if line == "office" or rng.random() < 0.12 else LINE_POSITIONS[line]
            position, dues_class = rng.choice(pool), Member.DuesClass.EMPLOYED
            lo, hi = rng.choices(*zip(*_DUES_BRACKETS, strict=True))[0]
            dues_base = Decimal(rng.randint(lo // 10, hi // 10) * 10)
        return Member(
            name=self.name(male),
            gender=Member.Gender.MALE if male else Member.Gender.FEMALE,
            ethnicity="汉族" if rng.random() < 0.94 else rng.choice(MINORITIES),
            birth_date=birth,
            education=education,
            id_number=self.id_number(birth, male),
            phone=rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}",
            joined_on=joined_on,
            full_on=full_on,
            category=category,
            position=position,
            organization=branch,
            status=Member.Status.MOBILE if not retired and rng.random() < 0.005 else Member.Status.NORMAL,
            dues_class=dues_class,
            dues_base=dues_base,
        )


def build_members(ctx: DemoContext) -> None:
    """Members of every branch (exact planned sizes), placed in 党小组, with their 组织关系 history: a few transferred
    between branches of their enterprise, a few who left (出党, 去世, 转出系统外) with the period closed."""
    rng, today = ctx.rng, ctx.today
    people = _People(ctx)
    counted: list[Member] = []
    branch_nodes = [n for n in ctx.nodes if n.kind == K.BRANCH]
    for node in branch_nodes:
        plan, branch = node.branch, node.org
        members = []
        for i in range(plan.size):
            # Small branches stay lawful (all 正式党员); the too_few ones have just 2 正式党员.
            category = Member.Category.FULL if plan.flavor in ("small", "too_few", "no_committee") else None
            if plan.flavor == "too_few" and i >= 2:
                category = Member.Category.PROBATIONARY
            members.append(people.member(branch, plan.line, category=category))
        groups = [c.org for c in node.children if c.kind == K.GROUP]
        for i, member in enumerate(members):
            if groups:
                member.group = groups[i * len(groups) // len(members)]
        ctx.members_by_branch[branch.pk] = members
        counted.extend(members)

    # Leavers: extra rows (not among the counted members), status and closed membership.
    leavers = []
    by_flavor = {
        "retired": [n for n in branch_nodes if n.branch.line == "retired"],
        "working": [n for n in branch_nodes if n.branch.flavor == "normal"],
    }
    for _ in range(20 * ctx.scale):
        status = weighted(
            rng, [(Member.Status.DECEASED, 12), (Member.Status.LEFT, 4), (Member.Status.TRANSFERRED_OUT, 4)]
        )
        node = rng.choice(by_flavor["retired" if status == Member.Status.DECEASED else "working"])
        leaver = people.member(node.org, node.branch.line, category=Member.Category.FULL)
        leaver.status = status
        leavers.append(leaver)
    Member.objects.bulk_create(counted + leavers, batch_size=BATCH_SIZE)
    ctx.members = counted

    def start(member, branch):
        return max(member.joined_on, branch.established_on)

    memberships = []
    branches_of = {}
    for node in branch_nodes:
        if node.enterprise is not None and node.branch.line != "retired":
            branches_of.setdefault(node.org.enterprise_id, []).append(node.org)
    transfers = {}
    candidates = [
        m
        for m in counted
        if m.category == Member.Category.FULL
        and m.dues_class == Member.DuesClass.EMPLOYED
        and m.organization.enterprise_id is not None
    ]
    for member in rng.sample(candidates, min(len(candidates), 40 * ctx.scale)):
        siblings = [b for b in branches_of[member.organization.enterprise_id] if b.pk != member.organization_id]
        if not siblings:
            continue
        previous = rng.choice(siblings)
        moved_on = today - datetime.timedelta(days=rng.randint(60, 1000))
        if start(member, previous) < moved_on and start(member, member.organization) <= moved_on:
            transfers[member.pk] = (previous, moved_on)
    for member in counted:
        if member.pk in transfers:
            previous, moved_on = transfers[member.pk]
            memberships.append(
                Membership(
                    member=member,
                    organization=previous,
                    started_on=start(member, previous),
                    ended_on=moved_on,
                    note="组织关系转出(系统内)",
                )
            )
            memberships.append(
                Membership(member=member, organization=member.organization, started_on=moved_on, note="组织关系转入")
            )
        else:
            memberships.append(
                Membership(
                    member=member,
                    organization=member.organization,
                    started_on=start(member, member.organization),
                    note="建立组织关系",
                )
            )
    for leaver in leavers:
        began = start(leaver, leaver.organization)
        left_on = max(began, today - datetime.timedelta(days=rng.randint(30, 700)))
        memberships.append(
            Membership(
                member=leaver,
                organization=leaver.organization,
                started_on=began,
                ended_on=left_on,
                note=Member.Status(leaver.status).label,
            )
        )
    Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    # Each member's 党小组 as a dated period, from the day they came to the branch (or the group was set up).
    since = {m.member_id: m.started_on for m in memberships if m.ended_on is None}
    GroupMembership.objects.bulk_create(
        [
            GroupMembership(
                member=m, group=m.group, started_on=max(since[m.pk], m.group.established_on), note="编入党小组"
            )
            for m in counted
            if m.group is not None
        ],
        batch_size=BATCH_SIZE,
    )
    ctx.membership_rows = memberships
    ctx.memberships = len(memberships)
