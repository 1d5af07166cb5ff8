"""Demo 党员积分: seed_points(ctx) is called by seed_demo after the inspections.

A year of derived points needs no rows (they follow from the meetings, talks, dues and terms already seeded). This adds
the committee's own rule sets (last year's from the default, this year's copied from last year's), manual items in each
state in the demo secretary's branch (recorded by the secretary; approved or refused by the administrator, since the
demo has one login per branch), and a published quarter with an answered objection. Through the services, so the demo
follows the same rules as the pages. Deterministic (ctx.rng).
"""

import datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from branches.models import Role
from common.periods import quarter_end, quarter_of
from points import services
from points.models import Rule

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
REASONS = {
    "获得表彰奖励": ["获公司优秀共产党员表彰", "获评岗位能手", "获集团劳动竞赛二等奖"],
    "参加志愿服务": ["参加社区义务植树", "参加无偿献血", "参加防汛值守志愿服务"],
    "群众、社区反映的好人好事": ["社区来信表扬帮扶孤寡老人", "拾金不昧,群众来电表扬"],
    "受到批评教育或组织处理": ["无故不参加集中学习,被支部批评教育"],
}


def _evidence(n: int):
    return [SimpleUploadedFile(f"佐证{n}.png", PNG, "image/png")]


def seed_points(ctx) -> dict:
    secretary, committee_user, admin = (ctx.users.get(k) for k in ("secretary", "committee", "admin"))
    if secretary is None or committee_user is None or admin is None:
        return {"items": 0}
    branch = Role.objects.get(user=secretary).organization
    committee = Role.objects.get(user=committee_user).organization
    year, today = ctx.today.year, ctx.today
    last = services.rule_set_copy(committee=committee, year=year - 1, user=committee_user)
    services.rule_set_copy(committee=committee, year=year, source=last, user=committee_user)
    members = ctx.members_by_branch.get(branch.pk, [])
    manual = services.manual_rules(branch, year)
    if not members or not manual or today < datetime.date(year, 1, 15):
        return {"items": 0}
    items = []
    for n in range(8):
        rule: Rule = manual[n % len(manual)]
        member = members[ctx.rng.randrange(len(members))]
        day = datetime.date(year, 1, 1) + datetime.timedelta(
            days=ctx.rng.randrange((today - datetime.date(year, 1, 1)).days)
        )
        reason = ctx.rng.choice(REASONS.get(rule.name, ["其他表现突出事项"]))
        try:
            item = services.item_record(
                organization=branch,
                member=member,
                rule=rule,
                occurred_on=day,
                reason=reason,
                files=_evidence(n) if rule.evidence else (),
                user=secretary,
                today=today,
            )
        except ValidationError:  # the member joined the branch after that day: pick another next time
            continue
        if n % 4 in (0, 1):
            services.item_approve(item=item, user=admin)
        elif n % 4 == 2:
            services.item_refuse(item=item, reason="佐证材料不能证明所述事项,请补充后重新登记", user=admin)
        items.append(item)  # n % 4 == 3: waits for approval
    published = _publish(branch, members, today, secretary)
    return {"items": len(items), "published": published}


def _publish(branch, members, today, user) -> str:
    """The last ended quarter, published just after it ended, with one objection answered."""
    quarter, year = quarter_of(today) - 1, today.year
    if quarter == 0:
        return ""  # the demo year has no ended quarter yet
    starts_on = quarter_end(year, quarter) + datetime.timedelta(days=1)
    ends_on = starts_on + datetime.timedelta(days=6)
    publication = services.quarter_publish(
        organization=branch, year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on, user=user
    )
    objection = services.objection_record(
        publication=publication, member=members[0], text="本季度参加的一次党课未计入", raised_on=starts_on, user=user
    )
    services.objection_answer(
        objection=objection, answer="经核对会议记录,该次党课已计入当月积分,原积分无误", user=user, today=ends_on
    )
    return str(publication)
