"""Realistic, deterministic demo data: the district SASAC system of seed document 003, times `scale`.

Seed 003 (区国资系统党建概况): 14 enterprises; 4,179 党员; 322 基层党组织 = 21 党委 + 15 党总支 + 286 党支部.
Scale 1 reproduces exactly those counts (党小组 come on top); `scale` N repeats the 14-enterprise unit N times under
one 国资委党委 (N=15: a province of about 4,830 organizations and 62,700 members).

    seed_demo()                       the whole run, in one transaction
      build_organizations(ctx)        enterprises + the tree, materialized paths computed here, one bulk_create
      build_members(ctx)              members, their 组织关系 history (transfers, leavers), 党小组 placement
      build_terms(ctx)                a current 届 for every non-group organization, with positions
      build_users(ctx)                the five demo logins (idempotent)
      seed_records(ctx)               hook: a year of meetings/dues records (added by the apps that own them)

Deterministic: every random choice comes from one `random.Random(seed)`, iterated over lists in a fixed order;
the only input from the clock is `today`. Rows are written with bulk_create, so django-simple-history records no
history for seeded objects (the history starts with the first real edit), and treebeard's add_child is bypassed.
"""

import datetime
import itertools
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.db.models import Count, Q

from . import services
from .models import CommitteePosition, CommitteeTerm, Enterprise, Member, Membership, Organization, Role
from .validators import make_id_number

DEMO_ROOT_CODE = "SASAC"
DEMO_PASSWORD = "demo12345"
BATCH_SIZE = 2000

K = Organization.Kind
R = CommitteePosition.Role

# One unit = seed document 003. The root and its own 机关党支部 exist once; the rest repeats per unit.
UNIT_BRANCHES = 286
UNIT_MEMBERS = 4179
ROOT_BRANCH_MEMBERS = 15

# (name core, short name, business line, weight for the share of branches, 党总支 count, has a second-level 党委)
# Businesses from seed 003: 园区建设与管理、投融资服务、城市更新及管理、养老服务、物业管理、社区商业. Weights give
# 285 enterprise branches; 6 second-level 党委 + 14 enterprise 党委 + the root = 21 党委; 15 党总支.
ENTERPRISES = [
    ("城建投资集团", "城建集团", "construction", 30, 3, "建设工程有限公司"),
    ("公交集团", "公交集团", "transit", 28, 2, "巴士一公司"),
    ("物业管理集团", "物业集团", "property", 24, 2, "物业服务有限公司"),
    ("水务集团", "水务集团", "water", 22, 2, "供水有限公司"),
    ("城市更新集团", "城市更新集团", "construction", 20, 1, "城市更新建设有限公司"),
    ("商业集团", "商业集团", "commerce", 18, 1, "百货有限公司"),
    ("园区建设发展集团", "园区集团", "park", 16, 1, None),
    ("市容环卫集团", "环卫集团", "sanitation", 16, 1, None),
    ("国有资产经营集团", "国资经营集团", "finance", 14, 1, None),
    ("养老服务集团", "养老集团", "care", 14, 1, None),
    ("置业集团", "置业集团", "property", 12, 0, None),
    ("文化旅游发展集团", "文旅集团", "commerce", 10, 0, None),
    ("融资担保有限公司", "融资担保公司", "finance", 6, 0, None),
    ("科技创新投资有限公司", "科创投资公司", "finance", 5, 0, None),
]

REGIONS = "滨江 东湖 西城 南湖 北岸 临港 青山 云溪 金沙 龙湖 翠屏 望江 新港 石门 桃源".split()
_REGION_A, _REGION_B = "东西南北金银青云龙凤江河湖山松柏", "湖城港山川岭溪林桥塘"

# 机关 branches every enterprise has first, then units named after the line of business ("{n}" is a Chinese numeral).
OFFICE_UNITS = ["机关第一", "机关第二", "财务部", "综合办公室", "人力资源部", "党群工作部", "投资发展部", "审计法务部"]
LINE_UNITS = {
    "construction": ["第{n}项目部", "工程管理部", "设计院", "第{n}工程处", "安全质量部", "预算合约部"],
    "transit": ["第{n}车队", "修理厂", "调度中心", "场站管理部", "第{n}营运分公司", "票务中心"],
    "property": ["第{n}物业服务中心", "工程维修部", "客户服务中心", "第{n}物业项目部", "安保管理部"],
    "water": ["第{n}水厂", "管网管理所", "水质监测中心", "第{n}营业所", "排水管理所", "泵站管理部"],
    "commerce": ["第{n}门店", "招商运营部", "商场管理部", "市场营销部", "第{n}经营部", "物流配送中心"],
    "park": ["第{n}园区", "招商服务中心", "园区运营部", "工程建设部", "企业服务部"],
    "sanitation": ["第{n}环卫所", "道路保洁中心", "垃圾分类中心", "第{n}作业队", "车辆管理部"],
    "finance": ["投资管理部", "风险控制部", "资产管理部", "第{n}业务部", "金融服务部"],
    "care": ["第{n}养老院", "社区照护中心", "护理部", "第{n}日间照料中心", "医养结合部"],
}
LINE_GENERAL_BRANCHES = {
    "construction": ["第{n}分公司", "工程事业部"],
    "transit": ["第{n}营运公司", "保修事业部"],
    "property": ["第{n}物业分公司"],
    "water": ["供水事业部", "排水事业部"],
    "commerce": ["零售事业部"],
    "park": ["园区运营事业部"],
    "sanitation": ["作业事业部"],
    "finance": ["投资事业部"],
    "care": ["养老事业部"],
}
LINE_POSITIONS = {
    "construction": ["工程师", "项目经理", "施工员", "安全员", "预算员", "技术员", "质量员", "资料员"],
    "transit": ["驾驶员", "调度员", "维修工", "安全员", "站务员", "车队长"],
    "property": ["物业管家", "维修工", "客服专员", "项目经理", "保安主管"],
    "water": ["水质检测员", "管网维修工", "工程师", "泵站运行工", "抄表员"],
    "commerce": ["营业员", "店长", "招商专员", "营销专员", "采购员"],
    "park": ["招商专员", "工程师", "运营专员", "企业服务专员"],
    "sanitation": ["保洁员", "驾驶员", "班组长", "调度员", "设备维修工"],
    "finance": ["投资经理", "风控专员", "会计", "分析师", "客户经理"],
    "care": ["护理员", "护士", "社工", "康复师", "营养师"],
}
OFFICE_POSITIONS = "会计 出纳 财务经理 办公室主任 行政专员 人力资源专员 党务专员 法务专员 审计员 部门经理".split()

# Common surnames, most frequent first (weights fall off with rank); a few compound surnames.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
COMPOUND_SURNAMES = ["欧阳", "司马", "上官", "诸葛"]
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆旭宁龙林洋峰建国志文海东亮成晨博阳立新振兴德庆荣"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪慧莹颖琳洁倩晶红梅萍云秀兰琴英丹蕾欣怡悦佳薇璐月春媛"
MINORITIES = "回族 满族 蒙古族 壮族 土家族 苗族 朝鲜族 彝族 维吾尔族 藏族 侗族 布依族".split()
# 6-digit 行政区划代码 of where members were born (varied, so ID numbers look like a real roster).
REGION_CODES = (
    "310101 310104 310105 310106 310107 310110 310115 320102 320106 320205 320583 330102 330106 330203 "
    "340102 340104 350102 360102 370102 370202 410102 420102 420106 430102 440103 440305 500103 510104 "
    "510107 610102 110101 110105 120101 130102 140105 210102 220102 230102 450102 530102"
).split()
PHONE_PREFIXES = "138 139 137 136 135 150 151 158 159 186 187 188 189 180 133 153 177 199 166".split()
EDUCATION = list(Member.Education.values)

# Warning cases per unit (支部工作条例 第五、八、九条): each kind of formation warning shows up a handful of times.
SMALL_BRANCHES = 18  # 3-6 members, no committee (lawful)
TOO_FEW_BRANCHES = 4  # 2 正式党员: too_few
NO_COMMITTEE_BRANCHES = 4  # 8-12 正式党员 but no committee: no_committee
VACANT_SECRETARY_BRANCHES = 4  # committee without a 书记: no_secretary
# Term states (关于党的基层组织任期的意见; reminders 6/3/1 months before expiry), with their weights.
TERM_STATES = [("ok", 75), ("m6", 8), ("m3", 5), ("m1", 3), ("overdue", 6), ("extended", 3)]


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


# --------------------------------------------------------------------------------------------------- entry point


def demo_root() -> Organization | None:
    return Organization.objects.filter(code=DEMO_ROOT_CODE).first()


def seed_demo(*, scale: int = 1, seed: int = 2026, today: datetime.date, reset: bool = False) -> dict:
    """Build the demo data. Returns a summary; `summary["skipped"]` is True when demo data already existed."""
    started = time.monotonic()
    with transaction.atomic():
        if demo_root() is not None:
            if not reset:
                return {"skipped": True, "logins": login_table()}
            purge_demo()
        ctx = DemoContext(rng=random.Random(seed), scale=scale, today=today)
        build_organizations(ctx)
        build_members(ctx)
        build_terms(ctx)
        build_users(ctx)
        seed_records(ctx)
    counts = {kind: 0 for kind in K.values}
    for node in ctx.nodes:
        counts[node.kind] += 1
    return {
        "skipped": False,
        "scale": scale,
        "seed": seed,
        "today": today,
        "enterprises": len(ctx.enterprises),
        "counts": counts,
        "members": len(ctx.members),
        "memberships": ctx.memberships,
        "terms": len(ctx.terms),
        "positions": ctx.positions,
        "branches": ctx.branches,
        "logins": ctx.logins,
        "elapsed": time.monotonic() - started,
    }


def seed_records(ctx: DemoContext) -> None:
    """Hook for "a year of records": meetings, talks, reviews, dues payments for the year before `ctx.today`.

    The apps that own those records add their builders here (meetings first, then dues), reading ctx.branches,
    ctx.members_by_branch (branch pk -> members in good standing) and ctx.terms, and drawing every random choice
    from ctx.rng so the data stays deterministic. Use bulk_create in batches of BATCH_SIZE; --reset removes
    whatever refers to the demo tree (purge_demo), so no extra cleanup is needed.
    """


# --------------------------------------------------------------------------------------------------- purge


def purge_demo() -> None:
    """Delete the demo tree and everything that refers to it, leaves first, without per-row signals.

    Rows are found by following every database foreign key (other apps' records included), so records added later
    by seed_records or by users are removed too. Historical (audit) rows have no database constraint and stay.
    """
    root = demo_root()
    if root is None:
        return
    orgs = Organization.objects.filter(path__startswith=root.path)
    enterprise_ids = sorted(set(orgs.exclude(enterprise=None).values_list("enterprise_id", flat=True)))
    # Models whose migrations have not run yet (work in progress in another app) have no rows to remove.
    tables = set(connection.introspection.table_names())
    models_with_tables = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.db_table in tables
    ]
    _purge(orgs.order_by(), (), models_with_tables)
    _purge(Enterprise.objects.filter(pk__in=enterprise_ids).order_by(), (), models_with_tables)


def _purge(qs, trail, candidates) -> None:
    # Keys are read into Python at each level: nested `IN (subquery)` deletes get very slow plans on PostgreSQL.
    model = qs.model
    pks = list(qs.values_list("pk", flat=True))
    for chunk in _chunks(pks, 10000):
        for other in candidates:
            for f in other._meta.concrete_fields:
                if not (f.is_relation and f.related_model is model and f.db_constraint) or other is model:
                    continue
                if other in trail:  # a cycle of foreign keys: the outer call deletes these rows
                    continue
                refs = other._base_manager.filter(**{f"{f.name}__in": chunk}).order_by()
                if f.remote_field.on_delete is models.SET_NULL and not other._meta.auto_created:
                    refs.update(**{f.name: None})
                else:
                    _purge(refs, (*trail, model), candidates)
        # Self references (an amendment pointing at a meeting) go in the same statement.
        rows = model._base_manager.filter(pk__in=chunk).order_by()
        rows._raw_delete(rows.db)


def _chunks(items, size):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _numeral(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n % 10] if n % 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _regions(scale: int) -> list[str]:
    names = list(REGIONS)
    for a, b in itertools.product(_REGION_A, _REGION_B):
        if len(names) >= scale:
            break
        if a + b not in names:
            names.append(a + b)
    if len(names) < scale:
        names += [f"第{i}区" for i in range(len(names) + 1, scale + 1)]
    return names[:scale]


def _allocate(total: int, weights: list[int]) -> list[int]:
    """Largest-remainder split of `total` by `weights` (exact, deterministic)."""
    raw = [total * w / sum(weights) for w in weights]
    shares = [int(x) for x in raw]
    order = sorted(range(len(weights)), key=lambda i: (-(raw[i] - shares[i]), i))
    for i in order[: total - sum(shares)]:
        shares[i] += 1
    return shares


def _date_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randint(0, max(0, (end - start).days)))


class _UnitNames:
    """Unit names, unique within one enterprise, numbered per template ("第三项目部", "第四项目部" ...)."""

    def __init__(self, rng):
        self.rng, self.counters, self.used = rng, {}, set()

    def take(self, templates) -> str:
        while True:
            template = self.rng.choice(templates)
            if "{n}" in template:
                self.counters[template] = self.counters.get(template, 0) + 1
                name = template.format(n=_numeral(self.counters[template]))
            else:
                # A fixed name is used once; afterwards it gets a number ("第二设计院").
                name = template if template not in self.used else None
            if name and name not in self.used:
                self.used.add(name)
                return name
            if name is None:
                self.counters[template] = self.counters.get(template, 1) + 1
                name = f"第{_numeral(self.counters[template])}{template}"
                self.used.add(name)
                return name


def _plan_unit(ctx: DemoContext, unit: int, region: str, root: PlanNode) -> list[PlanNode]:
    """Plan one 14-enterprise unit under the root; return its branches (for the member-size plan)."""
    rng = ctx.rng
    width = max(2, len(str(len(ENTERPRISES) * ctx.scale)))
    unit_branches = UNIT_BRANCHES - (1 if unit == 0 else 0)  # the root's own 机关党支部 counts in unit 0
    per_enterprise = _allocate(unit_branches, [e[3] for e in ENTERPRISES])
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
                _date_between(rng, parent.established_on, datetime.date(2018, 12, 31)),
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
                _date_between(rng, est, datetime.date(2012, 12, 31)),
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
                _date_between(rng, parent.established_on, datetime.date(2014, 12, 31)),
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
    for node in list(_walk(committee))[1:]:
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
    for node in list(_walk(root)):
        if node.branch is not None:
            for g in range(node.branch.groups):
                node.children.append(
                    PlanNode(
                        K.GROUP,
                        f"第{_numeral(g + 1)}党小组",
                        f"{node.code}-G{g + 1}",
                        node.established_on,
                        enterprise=node.enterprise,
                    )
                )

    Enterprise.objects.bulk_create(ctx.enterprises, batch_size=BATCH_SIZE)
    last_root = Organization.objects.get_last_root_node()
    root_step = Organization._str2int(last_root.path[: Organization.steplen]) + 1 if last_root else 1
    _assign_paths(root, None, 1, root_step, ctx.enterprises)
    ctx.nodes = list(_walk(root))
    Organization.objects.bulk_create([n.org for n in ctx.nodes], batch_size=BATCH_SIZE)
    ctx.root = root.org
    ctx.branches = [n.org for n in ctx.nodes if n.kind == K.BRANCH]


def _walk(node: PlanNode):
    yield node
    for child in node.children:
        yield from _walk(child)


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


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights)[0]


# --------------------------------------------------------------------------------------------------- members

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


def _plus_years(day: datetime.date, years: int) -> datetime.date:
    """`day` moved by whole years (29 Feb becomes 28 Feb); plain arithmetic, much cheaper than relativedelta."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


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
            earliest = _plus_years(birth, 18) + datetime.timedelta(days=182)
            latest = min(today - datetime.timedelta(days=400), _plus_years(birth, 45))
            span = max(0, (latest - earliest).days)
            joined_on = earliest + datetime.timedelta(days=int(span * rng.random() ** 1.8))
            full_on = _plus_years(joined_on, 1)
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
        status = _weighted(
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
    ctx.memberships = len(memberships)


# --------------------------------------------------------------------------------------------------- terms

_BRANCH_ROLES = {
    3: [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA],
    4: [R.SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE],
    5: [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE],
}
_COMMITTEE_ROLES = [R.SECRETARY, R.DEPUTY_SECRETARY, R.ORGANIZATION, R.PROPAGANDA, R.DISCIPLINE, R.MEMBER, R.MEMBER]


def _term_dates(rng: random.Random, state: str, years: int, today: datetime.date):
    """(started_on, extension_months) so that, seen from `today`, the term is in `state`."""
    if state == "extended":
        months = rng.choice([6, 12])
        expires = today + datetime.timedelta(days=rng.randint(10, 150))
        return expires - relativedelta(years=years, months=months), months
    days_left = {
        "overdue": (-400, -5),
        "m1": (1, 30),
        "m3": (31, 91),
        "m6": (92, 182),
        "ok": (184, years * 365 - 30),
    }[state]
    expires = today + datetime.timedelta(days=rng.randint(*days_left))
    return expires - relativedelta(years=years), 0


def build_terms(ctx: DemoContext) -> None:
    """A current 届 for every organization but 党小组 (关于党的基层组织任期的意见: 党委 5 years, 党总支 and 支部 3),
    started so that some are overdue, some expire within 1/3/6 months and a few run on an approved extension."""
    rng, today = ctx.rng, ctx.today
    terms, wanted = [], []  # wanted: (term index, [(member, role)])
    for index, node in enumerate(ctx.nodes):
        if node.kind == K.GROUP:
            continue
        plan = node.branch
        if plan is not None:
            state = plan.term_state or _weighted(rng, TERM_STATES)
        else:
            state = "ok" if node.org is ctx.root else _weighted(rng, TERM_STATES)
        years = services.default_term_years(node.kind)
        started_on, extension = _term_dates(rng, state, years, today)
        started_on = max(started_on, node.established_on)
        term = CommitteeTerm(
            organization=node.org,
            started_on=started_on,
            term_years=years,
            has_committee=plan is None or plan.flavor not in ("small", "too_few", "no_committee"),
        )
        if extension:
            approved = started_on + relativedelta(years=years) - datetime.timedelta(days=rng.randint(20, 60))
            term.extension_months, term.extension_approved_on = extension, approved
            term.extension_document = f"{_parent_name(ctx, index)}〔{approved.year}〕{rng.randint(3, 60)}号"
        terms.append(term)
        wanted.append(_positions_for(ctx, index))
    CommitteeTerm.objects.bulk_create(terms, batch_size=BATCH_SIZE)
    positions = [
        CommitteePosition(term=term, member=member, role=role)
        for term, pairs in zip(terms, wanted, strict=True)
        for member, role in pairs
    ]
    CommitteePosition.objects.bulk_create(positions, batch_size=BATCH_SIZE)
    ctx.terms, ctx.positions = terms, len(positions)


def _parent_name(ctx: DemoContext, index: int) -> str:
    path = ctx.nodes[index].org.path[: -Organization.steplen]
    for node in reversed(ctx.nodes[:index]):
        if node.org.path == path:
            return node.name
    return ctx.nodes[0].name


def _positions_for(ctx: DemoContext, index: int) -> list[tuple[Member, str]]:
    rng, node = ctx.rng, ctx.nodes[index]
    if node.kind == K.BRANCH:
        plan = node.branch
        pool = [m for m in ctx.members_by_branch[node.org.pk] if m.category == Member.Category.FULL]
        if plan.flavor in ("small", "too_few", "no_committee"):
            roles = [R.SECRETARY]  # 支部工作条例 第九条: fewer than 7 正式党员, no committee: a 书记 only
        else:
            roles = list(_BRANCH_ROLES[3 if len(pool) < 9 else 5 if len(pool) >= 15 else rng.choice([4, 5])])
            if plan.flavor == "well_formed":
                roles = list(_BRANCH_ROLES[5])
            if plan.flavor == "vacant":  # the 书记 left; the 副书记 presides until the by-election
                roles = [R.DEPUTY_SECRETARY] + [r for r in roles if r not in (R.SECRETARY, R.DEPUTY_SECRETARY)]
    else:
        # Committee and 党总支 members come from the branches below, 机关 branches first.
        roles = _COMMITTEE_ROLES[: 7 if node.org.depth == 2 else 5]
        pool = []
        for other in ctx.nodes[index + 1 :]:
            if not other.org.path.startswith(node.org.path):
                break
            if other.kind == K.BRANCH:
                pool += [m for m in ctx.members_by_branch[other.org.pk] if m.category == Member.Category.FULL]
                if len(pool) >= 3 * len(roles):
                    break
    chosen = rng.sample(pool, min(len(roles), len(pool)))
    return list(zip(chosen, roles, strict=False))


# --------------------------------------------------------------------------------------------------- users

DEMO_USERNAMES = ["sasac", "committee", "secretary", "secretary2", "admin"]


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
    from .selectors import organization_warnings

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
