"""What the builders share: the plan of the tree, the run context, and small deterministic helpers."""

import datetime
import random
from dataclasses import dataclass, field

from branches.models import CommitteeTerm, Enterprise, Member, Membership, Organization

DEMO_ROOT_CODE = "SASAC"
BATCH_SIZE = 2000


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=DEMO_ROOT_CODE).first()


@dataclass
class BranchPlan:
    """What a branch will hold; decided before any row is written so the totals come out exact."""

    size: int = 0
    flavor: str = "normal"  # normal / small / too_few / no_committee / vacant / retired / well_formed
    groups: int = 0
    line: str = "office"
    term_state: str = ""


@dataclass
class PlanNode:
    kind: str
    name: str
    code: str
    established_on: datetime.date
    enterprise: int | None = None  # index into ctx.enterprises
    children: list["PlanNode"] = field(default_factory=list)
    branch: BranchPlan | None = None
    org: Organization | None = None


@dataclass
class DemoContext:
    rng: random.Random
    scale: int
    today: datetime.date
    enterprises: list[Enterprise] = field(default_factory=list)
    root: Organization | None = None
    nodes: list[PlanNode] = field(default_factory=list)  # every node, in path order
    branches: list[Organization] = field(default_factory=list)
    members: list[Member] = field(default_factory=list)  # counted members (in good standing)
    members_by_branch: dict[int, list[Member]] = field(default_factory=dict)
    memberships: int = 0
    terms: list[CommitteeTerm] = field(default_factory=list)
    positions: int = 0
    logins: list[tuple[str, str, str, str]] = field(default_factory=list)
    users: dict = field(default_factory=dict)  # username -> user
    membership_rows: list[Membership] = field(default_factory=list)  # every 组织关系 period written, leavers' too
    terms_by_org: dict[int, CommitteeTerm] = field(default_factory=dict)  # organization pk -> current term
    positions_by_org: dict[int, list[tuple[Member, str]]] = field(default_factory=dict)  # pk -> [(member, role)]
    # seed_records: branch pk -> "compliant" / "partial" / "weak", the weak ("red") branches in tree order, and
    # the number of rows written per kind of record (printed by the command).
    tiers: dict[int, str] = field(default_factory=dict)
    weak_branches: list[Organization] = field(default_factory=list)
    record_counts: dict[str, int] = field(default_factory=dict)
    # seed_exceptions (payments.py): the member pks of the partial payer, the missing base, the 停止党籍 member.
    exceptions: dict[str, int] = field(default_factory=dict)


def chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def allocate(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder split of `total` by `weights` (exact, deterministic)."""
    raw = [total * w / sum(weights) for w in weights]
    shares = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


def walk(node: PlanNode):
    yield node
    for child in node.children:
        yield from walk(child)


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


def plus_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years (29 Feb becomes 28 Feb); plain arithmetic, much cheaper than relativedelta."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
