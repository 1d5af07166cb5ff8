"""The tree: 14 enterprises per unit, their 党委/党总支/党支部/党小组, with materialized paths computed in Python."""

import datetime
import itertools

from branches.models import Enterprise, Organization

from .context import (
    BATCH_SIZE,
    DEMO_ROOT_CODE,
    BranchPlan,
    DemoContext,
    PlanNode,
    allocate,
    date_between,
    numeral,
    walk,
)
from .names import (
    ENTERPRISES,
    LINE_GENERAL_BRANCHES,
    LINE_UNITS,
    NO_COMMITTEE_BRANCHES,
    OFFICE_UNITS,
    REGION_A,
    REGION_B,
    REGIONS,
    ROOT_BRANCH_MEMBERS,
    SMALL_BRANCHES,
    TOO_FEW_BRANCHES,
    UNIT_BRANCHES,
    UNIT_MEMBERS,
    VACANT_SECRETARY_BRANCHES,
)

K = Organization.Kind


def _regions(scale: int) -> list[str]:
    names = list(REGIONS)
    for a, b in itertools.product(REGION_A, REGION_B):
        if len(names) >= scale:
            break
        if a + b not in names:
            names.append(a + b)
    if len(names) < scale:
        names += [f"第{i}区" for i in range(len(names) + 1, scale + 1)]
    return names[:scale]


class _UnitNames:
    """Unit names, unique within one enterprise, numbered per template ("第三项目部", "第四项目部" ...)."""

    def __init__(self, rng):
        self.rng, self.counters, self.used = rng, {}, set()

    def take(self, templates) -> str:
        while True:
            template = self.rng.choice(templates)
            if "{n}" in template:
                self.counters[template] = self.counters.get(template, 0) + 1
                name = template.format(n=numeral(self.counters[template]))
            else:
                # A fixed name is used once; afterwards it gets a number ("第二设计院").
                name = template if template not in self.used else None
            if name and name not in self.used:
                self.used.add(name)
                return name
            if name is None:
                self.counters[template] = self.counters.get(template, 1) + 1
                name = f"第{numeral(self.counters[template])}{template}"
                self.used.add(name)
                return name


def _plan_unit(ctx: DemoContext, unit: int, region: str, root: PlanNode) -> list[PlanNode]:
    """Plan one 14-enterprise unit under the root; return its branches (for the member-size plan)."""
    rng = ctx.rng
    width = max(2, len(str(len(ENTERPRISES) * ctx.scale)))
    unit_branches = UNIT_BRANCHES - (1 if unit == 0 else 0)  # the root's own 机关党支部 counts in unit 0
    per_enterprise = allocate(unit_branches, [e[3] for e in ENTERPRISES])
    branches: list[PlanNode] = []
    for i, (core, short, line, _w, n_general, sub_name) in enumerate(ENTERPRISES):
        number = unit * len(ENTERPRISES) + i + 1
        code = f"E{number:0{width}d}"
        ctx.enterprises.append(
            Enterprise(name=f"{region}{core}有限公司".replace("有限公司有限公司", "有限公司"), code=code)
        )
        est = datetime.date(rng.randint(1996, 2010), rng.randint(1, 12), rng.randint(1, 28))
        committee = PlanNode(K.COMMITTEE, f"{region}{short}党委", code, est, enterprise=len(ctx.enterprises) - 1)
        root.children.append(committee)
        names = _UnitNames(rng)
        n_branches = per_enterprise[i]

        def new_branch(parent, unit_name, branch_line, _ent=committee.enterprise):
            node = PlanNode(
                K.BRANCH,
                f"{unit_name}党支部",
                "",  # codes are given in tree order once the enterprise is planned (_number_codes)
                date_between(rng, parent.established_on, datetime.date(2018, 12, 31)),
                enterprise=_ent,
                branch=BranchPlan(line=branch_line),
            )
            parent.children.append(node)
            branches.append(node)
            return node

        # 机关 branches first (the enterprise headquarters), then the 离退休党支部 of the bigger enterprises.
        n_office = 2 + (n_branches >= 15) + (n_branches >= 25) + (n_branches >= 35)
        for unit_name in OFFICE_UNITS[:n_office]:
            names.used.add(unit_name)
            new_branch(committee, unit_name, "office")
        made = n_office
        if n_general or sub_name:
            new_branch(committee, "离退休", "retired").branch.flavor = "retired"
            made += 1
        # 党总支 over 3-5 branches each; with a second-level 党委, one of them sits under it.
        sub, sub_branches = None, 0
        if sub_name:
            sub = PlanNode(
                K.COMMITTEE,
                f"{region}{short}{sub_name}党委",
                "",
                date_between(rng, est, datetime.date(2012, 12, 31)),
                enterprise=committee.enterprise,
            )
            committee.children.append(sub)
            new_branch(sub, f"{sub_name}机关", "office")
            made += 1
            sub_branches = round(n_branches * 0.3) - 1
        for g in range(n_general):
            parent = sub if (sub is not None and g == n_general - 1 and n_general > 1) else committee
            general = PlanNode(
                K.GENERAL_BRANCH,
                f"{names.take(LINE_GENERAL_BRANCHES[line])}党总支",
                "",
                date_between(rng, parent.established_on, datetime.date(2014, 12, 31)),
                enterprise=committee.enterprise,
            )
            parent.children.append(general)
            for _ in range(rng.randint(3, 5)):
                new_branch(general, names.take(LINE_UNITS[line]), line)
                made += 1
                if parent is sub:
                    sub_branches -= 1
        if sub is not None:
            for _ in range(max(0, sub_branches)):
                new_branch(sub, names.take(LINE_UNITS[line]), line)
                made += 1
        for _ in range(n_branches - made):
            new_branch(committee, names.take(LINE_UNITS[line]), line)
        _number_codes(committee)
    return branches


def _number_codes(committee: PlanNode) -> None:
    """E01-C1 (second-level 党委), E01-Z1 (党总支), E01-B001 (党支部), numbered in tree order."""
    prefixes = {K.COMMITTEE: ("C", 1), K.GENERAL_BRANCH: ("Z", 1), K.BRANCH: ("B", 3)}
    counters = dict.fromkeys(prefixes, 0)
    for node in list(walk(committee))[1:]:
        letter, width = prefixes[node.kind]
        counters[node.kind] += 1
        node.code = f"{committee.code}-{letter}{counters[node.kind]:0{width}d}"


def _plan_branch_sizes(ctx: DemoContext, branches: list[PlanNode], members: int, *, first_unit: bool) -> None:
    """Decide every branch's size and flavor so the unit's members add up to exactly `members`."""
    rng = ctx.rng
    free = [b for b in branches if b.branch.flavor == "normal"]
    if first_unit:
        # The demo logins' branches (enterprise 1): well formed, with a committee; `secretary`'s has 2 groups.
        first_enterprise = [b for b in free if b.enterprise == 0]
        for node, size, groups in ((first_enterprise[0], 12, 2), (first_enterprise[1], 10, 0)):
            node.branch = BranchPlan(size, "well_formed", groups, node.branch.line, "ok")
            free.remove(node)
    picks = rng.sample(free, SMALL_BRANCHES + TOO_FEW_BRANCHES + NO_COMMITTEE_BRANCHES + VACANT_SECRETARY_BRANCHES)
    for n, node in enumerate(picks):
        plan = node.branch
        if n < SMALL_BRANCHES:
            plan.flavor, plan.size = "small", rng.randint(3, 6)
        elif n < SMALL_BRANCHES + TOO_FEW_BRANCHES:
            plan.flavor, plan.size = "too_few", rng.randint(2, 3)
        elif n < SMALL_BRANCHES + TOO_FEW_BRANCHES + NO_COMMITTEE_BRANCHES:
            plan.flavor, plan.size = "no_committee", rng.randint(8, 12)
        else:
            plan.flavor, plan.size = "vacant", rng.randint(9, 18)
    retired = [b for b in branches if b.branch.flavor == "retired"]
    for n, node in enumerate(retired):
        # The three biggest 离退休党支部 have outgrown 50 members (too_many); the rest are large but lawful.
        node.branch.size = rng.randint(51, 55) if n < 3 else rng.randint(30, 48)
        node.branch.groups = 4
    normal = [b for b in branches if b.branch.flavor == "normal"]
    for node in normal:
        node.branch.size = min(rng.randint(8, 16), rng.randint(8, 25)) + rng.randint(0, 4)
    for node in rng.sample(normal, 2):  # a couple of large working branches (a 车队, a big 项目部)
        node.branch.size = rng.randint(40, 48)
    diff = members - sum(b.branch.size for b in branches)
    while diff:
        node = rng.choice(normal)
        step = 1 if diff > 0 else -1
        if 8 <= node.branch.size + step <= (48 if node.branch.size >= 40 else 25):
            node.branch.size += step
            diff -= step
    for node in normal:
        if node.branch.size >= 10 and rng.random() < 0.32:
            node.branch.groups = rng.randint(2, min(4, node.branch.size // 4))


def build_organizations(ctx: DemoContext) -> None:
    """Enterprises and the whole tree. Paths are computed here (treebeard MP: steplen 4, alphabet 0-9A-Z) and written
    with one bulk_create, instead of one add_child (three queries) per node."""
    regions = _regions(ctx.scale)
    root_name = f"{regions[0]}区国资委党委" if ctx.scale == 1 else "省国资委党委"
    root = PlanNode(K.COMMITTEE, root_name, DEMO_ROOT_CODE, datetime.date(2004, 6, 18))
    office = PlanNode(
        K.BRANCH,
        "国资委机关党支部",
        f"{DEMO_ROOT_CODE}-B01",
        datetime.date(2004, 9, 1),
        branch=BranchPlan(size=ROOT_BRANCH_MEMBERS, flavor="well_formed", line="office", term_state="ok"),
    )
    root.children.append(office)
    for unit, region in enumerate(regions):
        branches = _plan_unit(ctx, unit, region, root)
        members = UNIT_MEMBERS - (ROOT_BRANCH_MEMBERS if unit == 0 else 0)
        _plan_branch_sizes(ctx, branches, members, first_unit=unit == 0)
    for node in list(walk(root)):
        if node.branch is not None:
            for g in range(node.branch.groups):
                node.children.append(
                    PlanNode(
                        K.GROUP,
                        f"第{numeral(g + 1)}党小组",
                        f"{node.code}-G{g + 1}",
                        node.established_on,
                        enterprise=node.enterprise,
                    )
                )

    Enterprise.objects.bulk_create(ctx.enterprises, batch_size=BATCH_SIZE)
    last_root = Organization.objects.get_last_root_node()
    root_step = Organization._str2int(last_root.path[: Organization.steplen]) + 1 if last_root else 1
    _assign_paths(root, None, 1, root_step, ctx.enterprises)
    ctx.nodes = list(walk(root))
    Organization.objects.bulk_create([n.org for n in ctx.nodes], batch_size=BATCH_SIZE)
    ctx.root = root.org
    ctx.branches = [n.org for n in ctx.nodes if n.kind == K.BRANCH]


def _assign_paths(node: PlanNode, parent_path: str | None, depth: int, step: int, enterprises) -> None:
    path = Organization._get_path(parent_path, depth, step)
    enterprise = None if node.enterprise is None else enterprises[node.enterprise]
    node.org = Organization(
        name=node.name,
        code=node.code,
        kind=node.kind,
        enterprise=enterprise,
        established_on=node.established_on,
        path=path,
        depth=depth,
        numchild=len(node.children),
    )
    for i, child in enumerate(node.children, start=1):
        _assign_paths(child, path, depth + 1, i, enterprises)
