"""Demo 考核细则, 观摩/督查 and 整改: seed_inspections(ctx) is called by seed_demo after the letters.

For the first enterprise committee (the demo "committee" login): last year's rubric (deductions computed from the
records, manual items, a capped bonus, a veto), a finished round over a few of its branches with its ranking (ties
possible), showcase sites and closed items; this year's rubric reused from last year's, and a round in progress with
some branches scored, open items, one reported and one overdue. For SASAC (the demo "sasac" login): its own rubric
for the enterprises' 党委 and a finished 党建大观摩 over a few of them, ranked with a tie (并列), a good practice
named and one problem it verifies. Everything goes through the services, so the demo follows the same rules as the
pages. Deterministic (ctx.rng).
"""

import datetime

from assessments.inspections import services as inspections
from assessments.rectification import services as rectification
from assessments.rubrics import services as rubrics
from assessments.rubrics.models import Source
from branches.models import Organization

K = Organization.Kind
ROUND_BRANCHES = 6
RUBRIC_ITEMS = [
    {
        "title": "组织生活",
        "points": 40,
        "children": [
            {
                "title": "三会一课按期开展",
                "points": 30,
                "method": "deduction",
                "unit_points": "0.5",
                "source": Source.MISSING_MEETINGS,
                "standard": "每缺一次扣0.5分,扣完为止",
            },
            {
                "title": "会议记录及时登记",
                "points": 10,
                "method": "deduction",
                "unit_points": "0.1",
                "source": Source.LATE_RECORDS,
                "standard": "会后5个工作日内登记,每迟一次扣0.1分",
            },
        ],
    },
    {
        "title": "党员管理",
        "points": 20,
        "children": [
            {
                "title": "党费按月足额交纳",
                "points": 10,
                "method": "deduction",
                "unit_points": "0.1",
                "source": Source.DUES_UNPAID,
                "standard": "每人每月未足额交纳扣0.1分",
            },
            {
                "title": "按期换届",
                "points": 10,
                "method": "deduction",
                "unit_points": 3,
                "source": Source.TERM_OVERDUE,
                "standard": "换届超期扣3分",
            },
        ],
    },
    {"title": "阵地建设", "points": 20, "children": [{"title": "活动场所和制度上墙", "points": 20}]},
    {"title": "党建融合", "points": 20, "children": [{"title": "党员先锋岗、攻坚项目", "points": 20}]},
    {"title": "党建品牌创新", "points": 5, "method": "bonus", "standard": "加1—3分,最多5分"},
    {"title": "党风廉政", "points": 0, "method": "veto", "standard": "发生违规违纪问题一票否决"},
]
SASAC_RUBRIC_ITEMS = [
    {"title": "把方向、管大局、保落实", "points": 30, "standard": "党委前置研究讨论重大经营管理事项"},
    {"title": "基层组织建设", "points": 30, "standard": "党支部标准化规范化建设达标"},
    {"title": "党员队伍建设", "points": 20, "standard": "党员教育管理、发展党员"},
    {"title": "党建工作责任制", "points": 20, "standard": "述职评议考核、问题整改"},
    {"title": "党建品牌创新", "points": 5, "method": "bonus", "standard": "加1—3分,最多5分"},
    {"title": "党风廉政", "points": 0, "method": "veto", "standard": "发生违规违纪问题一票否决"},
]
# Typed scores per enterprise 党委 (in tree order): the second and third tie, so the ranking shows 并列.
SASAC_SCORES = [(28, 27, 18, 19, 2), (26, 27, 17, 18, 0), (27, 26, 18, 17, 0), (24, 25, 16, 17, 1)]
PROBLEMS = ["党员活动室制度未上墙", "三会一课记录内容简单", "党费交纳台账不完整", "主题党日形式单一", "支委分工未公示"]


def _typed(round) -> dict[str, int]:
    return {i.title: i.pk for i in round.rubric.items.all()}


def _score(ctx, round, organization, user) -> None:
    ids, rng = _typed(round), ctx.rng
    values = {
        ids["活动场所和制度上墙"]: rng.choice([14, 16, 17, 18, 18, 19, 20]),
        ids["党员先锋岗、攻坚项目"]: rng.choice([13, 15, 16, 17, 18, 20]),
        ids["党建品牌创新"]: rng.choice([0, 0, 1, 2, 3, 6]),  # 6 is capped at 5
    }
    inspections.scores_record(round=round, organization=organization, user=user, values=values)


def seed_inspections(ctx) -> dict:
    inspector = ctx.users.get("committee")
    committee = next((n.org for n in ctx.nodes if n.kind == K.COMMITTEE and n.org.depth == 2), None)
    if inspector is None or committee is None:
        return {"rounds": 0}
    branches = [n.org for n in ctx.nodes if n.kind == K.BRANCH and n.org.path.startswith(committee.path)]
    branches = branches[:ROUND_BRANCHES]
    year = ctx.today.year
    last = rubrics.rubric_create(
        committee=committee, year=year - 1, name=f"{year - 1}年党支部考核细则", items=RUBRIC_ITEMS, user=inspector
    )
    current = rubrics.rubric_copy(rubric=last, year=year, user=inspector)

    # Last year's round: finished, ranked, its problems closed, its best branch a showcase site.
    visit_day = datetime.date(year - 1, 10, 20)
    done = inspections.round_open(
        committee=committee,
        year=year - 1,
        kind="cross",
        title=f"{year - 1}年党建交叉观摩",
        rubric=last,
        organizations=branches,
        team=[inspector],
        user=inspector,
        today=visit_day,
    )
    for organization in branches:
        _score(ctx, done, organization, inspector)
    closed = 0
    for organization, title in zip(branches[:3], PROBLEMS, strict=False):
        item = inspections.problem_record(round=done, organization=organization, user=inspector, title=title)
        rectification.item_confirm(
            item=item,
            deadline=visit_day + datetime.timedelta(days=40),
            responsible_text="支部书记",
            user=inspector,
            today=visit_day,
        )
        rectification.item_report(item=item, measures="已按要求整改,相关制度已上墙并组织学习。")
        rectification.item_close(item=item, note="经现场核验,整改到位,予以销号。", user=inspector)
        closed += 1
    inspections.round_finish(round=done, user=inspector, today=datetime.date(year - 1, 11, 30))
    best = done.results.order_by("rank").first()
    if best is not None:
        inspections.showcase_add(
            round=done,
            organization=best.organization,
            kind="site",
            title="党建示范点",
            description="阵地规范、制度健全、活动扎实。",
        )
        inspections.showcase_add(
            round=done,
            organization=best.organization,
            kind="practice",
            title="“党员先锋岗+攻坚项目”经验",
            description="以项目化推动党建与生产经营融合。",
        )

    # This year's round: in progress; half the branches scored; problems open, one reported, one overdue.
    started = ctx.today - datetime.timedelta(days=30)
    live = inspections.round_open(
        committee=committee,
        year=year,
        kind="internal",
        title=f"{year}年党建工作督查",
        rubric=current,
        organizations=branches,
        team=[inspector],
        user=inspector,
        today=started,
    )
    for organization in branches[: len(branches) // 2 or 1]:
        _score(ctx, live, organization, inspector)
    deadlines = [
        ctx.today - datetime.timedelta(days=5),
        ctx.today + datetime.timedelta(days=20),
        ctx.today + datetime.timedelta(days=40),
    ]
    open_items = 0
    for n, (organization, title) in enumerate(zip(branches, PROBLEMS[1:], strict=False)):
        item = inspections.problem_record(round=live, organization=organization, user=inspector, title=title)
        if n >= len(deadlines):
            continue  # left proposed: the committee confirms or dismisses it
        rectification.item_confirm(
            item=item, deadline=deadlines[n], responsible_text="支部书记", user=inspector, today=started
        )
        if n == 2:
            rectification.item_report(item=item, measures="已制定整改方案,正在落实。")
        open_items += 1
    sasac = seed_sasac_round(ctx)
    return {
        "rounds": 2 + sasac,
        "rubrics": 2 + sasac,
        "closed_items": closed,
        "open_items": open_items + sasac,
    }


def seed_sasac_round(ctx) -> int:
    """SASAC's rubric and a finished 大观摩 over the first enterprises' 党委 (the exception of inspections/access.py);
    returns the number of rounds made (0 when the demo has no SASAC login or too few enterprises)."""
    reviewer = ctx.users.get("sasac")
    committees = [n.org for n in ctx.nodes if n.kind == K.COMMITTEE and n.org.enterprise_id is not None]
    committees = [o for o in committees if o.depth == ctx.root.depth + 1][: len(SASAC_SCORES)]
    if reviewer is None or len(committees) < 2:
        return 0
    year = ctx.today.year
    rubric = rubrics.rubric_create(
        committee=ctx.root, year=year, name=f"{year}年企业党委党建工作考核细则", items=SASAC_RUBRIC_ITEMS, user=reviewer
    )
    visit_day = ctx.today - datetime.timedelta(days=45)
    round = inspections.round_open(
        committee=ctx.root,
        year=year,
        kind="showcase",
        title=f"{year}年国资系统党建大观摩",
        rubric=rubric,
        organizations=committees,
        team=[reviewer],
        user=reviewer,
        today=visit_day,
    )
    ids = [i.pk for i in rubric.items.all() if i.method in ("manual", "bonus")]
    for organization, values in zip(committees, SASAC_SCORES, strict=False):
        given = dict(zip(ids, values, strict=True))
        inspections.scores_record(round=round, organization=organization, user=reviewer, values=given)
    item = inspections.problem_record(
        round=round, organization=committees[-1], user=reviewer, title="党委前置研究事项清单未及时修订"
    )
    rectification.item_confirm(
        item=item,
        deadline=ctx.today + datetime.timedelta(days=30),
        responsible_text="党委书记",
        user=reviewer,
        today=visit_day,
    )
    inspections.round_finish(round=round, user=reviewer, today=visit_day + datetime.timedelta(days=7))
    inspections.showcase_add(
        round=round,
        organization=committees[0],
        kind="practice",
        title="“党建+安全生产”融合做法",
        description="党员责任区覆盖全部生产班组,隐患排查整改闭环管理。",
        user=reviewer,
    )
    return 1
