"""What points shows on lower apps' pages, through their registries (registered in PointsConfig.ready()):
the secretary's home section (branches/panels.py), member stars on the member page and the roster (branches/panels.py
register_member_badges), and on the 民主评议 screen each member's year points and rank beside the grade, with the
rule about 优秀 (meetings/records/hooks.py)."""

import math

from django.utils import timezone
from django.utils.html import format_html

from meetings.models import MemberReview

from . import selectors


def secretary_points(request, branch) -> dict | None:
    """A short to-do card when manual items wait for approval: the items, the year's table, the 公示. One query.
    Nothing otherwise (the home page stays short; the main navigation leads to 党员积分)."""
    pending = selectors.pending_count(branch)
    if not pending:
        return None
    context = {"branch": branch, "year": timezone.localdate().year, "pending": pending}
    return {"template": "points/snippets/_home.html", "context": context}


def member_stars(members) -> dict:
    """党员星级 of the year so far, for every member shown (one computation for the whole list)."""
    if not members:
        return {}
    year = timezone.localdate().year
    result = {}
    for member_id, stars in selectors.member_stars(members, year).items():
        result[member_id] = format_html(
            '<span class="badge text-bg-light text-warning-emphasis member-stars" title="{}年党员星级">{}</span>',
            year,
            "★" * stars,
        )
    return result


def review_points(organization, year, members) -> dict:
    standing = selectors.review_standing(organization, year, members)
    return {
        member_id: f"{year}年积分 {total.normalize():f} 分,本支部第 {position} 名(共 {count} 人)"
        for member_id, (total, position, count) in standing.items()
    }


def excellent_limit(count: int, percent: int) -> int:
    """How many ranks may be 优秀 under "top `percent`%" of `count` members (rounded up: at least one)."""
    return max(1, math.ceil(count * percent / 100))


def review_excellent_rule(organization, year, grades) -> list[str]:
    """The rule set's 优秀 rule: only members whose year points rank within the branch's top N%."""
    excellent = [member_id for member_id, grade in grades.items() if grade == MemberReview.Grade.EXCELLENT]
    if not excellent:
        return []
    rule_set = selectors.rule_set_for(organization, year)
    if rule_set is None or not rule_set.excellent_top_percent:
        return []
    members = selectors.branch_members(organization, year)
    standing = selectors.review_standing(organization, year, members)
    limit = excellent_limit(len(members), rule_set.excellent_top_percent)
    names = {m.pk: m.name for m in members}
    return [
        f"{names[member_id]}:本支部{year}年积分第{standing[member_id][1]}名,"
        f"按积分方案只有排名前{rule_set.excellent_top_percent}%(前{limit}名)的党员可评为优秀。"
        for member_id in excellent
        if member_id in standing and standing[member_id][1] > limit
    ]
