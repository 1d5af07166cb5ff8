"""Demo responsibility letters: seed_letters(ctx) is called by seed_demo once the tree, members and records exist.

Last year (ctx.today.year - 1, the latest year whose 考核 is done): the SASAC root issues a letter to every organization
below it, and each 党委/党总支 cascades its letter to its own subordinates (层层分解), so every branch holds one. Most
branch letters are final with plausible scores (star counts show on the dashboards), some are still reviewed,
self-assessed or only signed. This year: the root's letters to the enterprises are issued, most of them signed.
Everything is written with bulk_create and drawn from ctx.rng, so the data is deterministic and fast at scale 15.
"""

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from assessments.letters.scoring import grade_for
from assessments.models import Letter, LetterEvent, LetterItem, LetterTemplate, TemplateItem
from branches.models import Organization

K = Organization.Kind
S = Letter.Status
BATCH_SIZE = 2000
CENT = Decimal("0.01")

# (area, content, target, weight, indicator code, veto): 100 points.
DEMO_ITEMS = [
    ("政治建设", "深入学习贯彻党的创新理论,落实“第一议题”制度", "每次支委会、党员大会首项学习", 10, "", False),
    ("组织生活", '严格落实"三会一课"制度', "按月、按季度召开,记录完整", 20, "three_meetings_one_lesson", False),
    ("组织生活", "每月开展主题党日活动", "每月1次", 10, "theme_day", False),
    ("组织生活", "召开年度组织生活会,开展民主评议党员", "第四季度完成", 10, "org_life", False),
    ("党员管理", "党费按月足额交纳", "交纳率100%", 10, "dues", False),
    ("组织建设", "支部标准化规范化建设达标", "年底前通过验收", 15, "", False),
    ("党建融合", "党建与生产经营深度融合,开展党员先锋岗、攻坚项目", "至少1个党建攻坚项目", 15, "", False),
    ("党风廉政", "落实全面从严治党主体责任,无违规违纪问题", "全年零发生", 10, "", True),
]
# Branch letters of last year: how far each has got (weights).
BRANCH_STATES = [(S.FINAL, 82), (S.REVIEWED, 7), (S.SELF_ASSESSED, 6), (S.SIGNED, 5)]
REVIEW_COMMENTS = {
    "excellent": "经考核,同意评定为优秀。",
    "passed": "经考核,同意评定为达标。",
    "failed": "经考核,评定为不达标。",
}
# The demo skips the separate 草稿 step: its letters went out the day they were made.
STEPS = [S.DRAFTED, S.ISSUED, S.SIGNED, S.SELF_ASSESSED, S.REVIEWED, S.FINAL]


def _weighted(rng, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


@functools.cache
def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def seed_letters(ctx) -> dict:
    rng, year = ctx.rng, ctx.today.year - 1
    parent_of, issuers = {}, []
    for node in ctx.nodes:
        receivers = [c for c in node.children if c.kind != K.GROUP]
        for child in receivers:
            parent_of[id(child)] = node
        if node.kind in (K.COMMITTEE, K.GENERAL_BRANCH) and receivers:
            issuers.append(node)

    # Level by level: a letter's parent (the letter its issuer received) and the cascade template made from that
    # letter exist before the level below is written. Scores are set before insert: no bulk_update of wide rows.
    issuer_ids = {id(node) for node in issuers}
    templates: dict[int, LetterTemplate] = {}
    received: dict[int, Letter] = {}
    letters, items, events = [], [], []
    by_depth: dict[int, list] = {}
    for node in ctx.nodes:
        by_depth.setdefault(node.org.depth, []).append(node)
    for depth in sorted(by_depth):
        level, level_items = [], []
        for node in by_depth[depth]:
            if id(node) not in parent_of:
                continue
            issuer = parent_of[id(node)]
            status = _weighted(rng, BRANCH_STATES) if node.kind == K.BRANCH else S.FINAL
            issued_on = datetime.date(year, rng.randint(1, 2), rng.randint(1, 28))
            letter = Letter(
                year=year,
                issuer=issuer.org,
                recipient=node.org,
                parent=received.get(issuer.org.pk),
                template=templates[id(issuer)],
                title=f"{year}年度党建工作责任书",
                status=status,
                issued_on=issued_on,
                signed_on=issued_on + datetime.timedelta(days=rng.randint(1, 10)),
            )
            level_items += _score(rng, letter)
            events += _events(rng, letter)
            level.append(letter)
            received[node.org.pk] = letter
        Letter.objects.bulk_create(level, batch_size=BATCH_SIZE)
        letters += level
        items += level_items
        # 层层分解: each issuer of this depth makes its template from the letter it received (the root has none).
        for node in by_depth[depth]:
            if id(node) in issuer_ids:
                templates[id(node)] = LetterTemplate(
                    year=year,
                    issuer=node.org,
                    name=f"{year}年度党建工作责任书",
                    source_letter=received.get(node.org.pk),
                )
        level_templates = [templates[id(n)] for n in by_depth[depth] if id(n) in issuer_ids]
        LetterTemplate.objects.bulk_create(level_templates, batch_size=BATCH_SIZE)
        TemplateItem.objects.bulk_create(
            [
                TemplateItem(template=t, **_item_fields(n, row))
                for t in level_templates
                for n, row in enumerate(DEMO_ITEMS)
            ],
            batch_size=BATCH_SIZE,
        )
    for item in items:
        item.letter_id = item.letter.pk
    for event in events:
        event.letter_id = event.letter.pk
    LetterItem.objects.bulk_create(items, batch_size=BATCH_SIZE)
    LetterEvent.objects.bulk_create(events, batch_size=BATCH_SIZE)

    current = _this_year(ctx)
    return {"year": year, "templates": len(templates) + 1, "letters": len(letters) + current, "items": len(items)}


def _item_fields(n, row) -> dict:
    area, content, target, weight, code, veto = row
    return {
        "order": n + 1,
        "area": area,
        "content": content,
        "target": target,
        "weight": Decimal(weight),
        "indicator_code": code,
        "veto": veto,
    }


def _score(rng, letter: Letter) -> list[LetterItem]:
    """Items with plausible self-assessments and, once reviewed, scores: one quality level per organization."""
    quality = min(1.0, max(0.45, rng.gauss(0.86, 0.09)))
    assessed = letter.status in (S.SELF_ASSESSED, S.REVIEWED, S.FINAL)
    reviewed = letter.status in (S.REVIEWED, S.FINAL)
    items = []
    for n, row in enumerate(DEMO_ITEMS):
        item = LetterItem(letter=letter, **_item_fields(n, row))
        if assessed:
            item.self_assessment = "已按要求落实,相关记录见系统台账。"
        if reviewed:
            fraction = min(1.0, max(0.0, quality + rng.uniform(-0.08, 0.08)))
            if item.veto:
                item.veto_failed = rng.random() < 0.01
                fraction = 0.0 if item.veto_failed else 1.0
            item.score = (item.weight * Decimal(str(fraction))).quantize(CENT, rounding=ROUND_HALF_UP)
            if item.indicator_code:
                item.indicator_rate = round(fraction, 4)
                item.indicator_status = "met" if fraction >= 1 else "partly_met" if fraction >= 0.8 else "not_met"
                item.comment = f"完成率 {fraction:.0%}"
            else:
                item.comment = "查阅台账和现场检查,落实较好。" if fraction >= 0.8 else "部分工作落实不到位,需加强。"
        items.append(item)
    if assessed:
        letter.self_assessment = "本年度认真履行党建工作责任,各项任务基本完成。"
    if reviewed:
        total = sum((i.score for i in items), Decimal(0))
        letter.veto_triggered = any(i.veto_failed for i in items)
        letter.total_score, letter.grade = total, grade_for(total, veto=letter.veto_triggered)
        letter.innovation = total >= 90 and rng.random() < 0.45
        letter.review_comment = REVIEW_COMMENTS[letter.grade]
    return items


def _events(rng, letter: Letter) -> list[LetterEvent]:
    reached = STEPS[1 : STEPS.index(letter.status) + 1]
    days = {
        S.DRAFTED: letter.issued_on,
        S.ISSUED: letter.issued_on,
        S.SIGNED: letter.signed_on,
        S.SELF_ASSESSED: datetime.date(letter.year, 12, rng.randint(10, 28)),
        S.REVIEWED: datetime.date(letter.year + 1, 1, rng.randint(5, 25)),
        S.FINAL: datetime.date(letter.year + 1, 2, rng.randint(1, 20)),
    }
    return [
        LetterEvent(letter=letter, status=step, at=_moment(days[step], 9 + n), note="演示数据")
        for n, step in enumerate(reached)
    ]


def _this_year(ctx) -> int:
    """This year's letters from the root to the organizations right below it: issued, most already signed."""
    rng, year = ctx.rng, ctx.today.year
    root_node = ctx.nodes[0]
    template = LetterTemplate.objects.create(year=year, issuer=root_node.org, name=f"{year}年度党建工作责任书")
    TemplateItem.objects.bulk_create(
        [TemplateItem(template=template, **_item_fields(n, r)) for n, r in enumerate(DEMO_ITEMS)]
    )
    letters = []
    for child in root_node.children:
        if child.kind == K.GROUP:
            continue
        issued_on = datetime.date(year, 2, rng.randint(1, 20))
        signed = rng.random() < 0.8
        letters.append(
            Letter(
                year=year,
                issuer=root_node.org,
                recipient=child.org,
                template=template,
                title=f"{year}年度党建工作责任书",
                status=S.SIGNED if signed else S.ISSUED,
                issued_on=issued_on,
                signed_on=issued_on + datetime.timedelta(days=rng.randint(1, 10)) if signed else None,
            )
        )
    Letter.objects.bulk_create(letters)
    LetterItem.objects.bulk_create(
        [LetterItem(letter=lt, **_item_fields(n, r)) for lt in letters for n, r in enumerate(DEMO_ITEMS)],
        batch_size=BATCH_SIZE,
    )
    LetterEvent.objects.bulk_create(
        [
            LetterEvent(letter=lt, status=step, at=_moment(day, 9), note="演示数据")
            for lt in letters
            for step, day in [(S.DRAFTED, lt.issued_on), (S.ISSUED, lt.issued_on), (S.SIGNED, lt.signed_on)]
            if day is not None
        ],
        batch_size=BATCH_SIZE,
    )
    return len(letters)
