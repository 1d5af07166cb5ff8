"""Shared helpers for the responsibility-letter and rating tests (no tests here).

A standard template weighs 100: three items scored from indicators, three scored by the reviewer, one a veto.
"""

import datetime
from decimal import Decimal

import pytest

from assessments.letters import services
from assessments.models import DEFAULT_INDICATORS, Indicator, Letter

YEAR = 2025  # has ended (today is in 2026): reviews of 2025 are allowed
AFTER = datetime.date(2026, 1, 20)  # a day in Q1 of the next year, when 考核 is held

STANDARD_ITEMS = [
    {
        "area": "组织生活",
        "content": '严格落实"三会一课"',
        "weight": Decimal(30),
        "indicator_code": "three_meetings_one_lesson",
    },
    {"area": "组织生活", "content": "每月开展主题党日", "weight": Decimal(10), "indicator_code": "theme_day"},
    {"area": "党员管理", "content": "党费按月足额交纳", "weight": Decimal(10), "indicator_code": "dues"},
    {"area": "组织建设", "content": "支部标准化规范化建设", "target": "年底前达标", "weight": Decimal(20)},
    {"area": "党风廉政", "content": "落实党风廉政建设责任", "weight": Decimal(20), "veto": True},
    {"area": "特色工作", "content": "党建品牌创建", "weight": Decimal(10)},
]


def make_template(issuer, *, year=YEAR, items=None, name="年度党建工作责任书", user=None):
    return services.template_create(
        issuer=issuer, year=year, name=name, items=items if items is not None else STANDARD_ITEMS, user=user
    )


def issue(issuer, *, year=YEAR, user=None, **kwargs):
    return services.letters_issue(template=make_template(issuer, year=year, user=user), user=user, **kwargs)


def letter_to(result, organization) -> Letter:
    return next(lt for lt in result.created if lt.recipient_id == organization.pk)


def manual_scores(letter, score=Decimal("18"), comment="材料齐全,落实到位", **overrides):
    """Reviewer's scores for every manual item: `score` capped at the weight, or overrides by area."""
    out = {}
    for item in letter.items.all():
        if item.indicator_code:
            continue
        value = overrides.get(item.area, min(score, item.weight))
        out[item.pk] = {"score": value, "comment": comment, "veto_failed": False}
    return out


def to_self_assessed(letter, *, user=None):
    services.letter_sign(letter=letter, user=user)
    return services.letter_self_assess(letter=letter, summary="全年工作总结", item_texts={}, user=user)


def to_final(letter, *, user=None, score=Decimal("18"), innovation=False, **overrides):
    to_self_assessed(letter, user=user)
    services.letter_review(
        letter=letter,
        manual=manual_scores(letter, score=score, **overrides),
        innovation=innovation,
        user=user,
        today=AFTER,
        as_of=AFTER,
    )
    return services.letter_finalize(letter=letter, user=user)


def final_with_score(issuer, recipient, total, *, year=YEAR, innovation=False):
    """A final letter with exactly `total` (one manual item of 100 points)."""
    template = services.template_create(
        issuer=issuer,
        year=year,
        name=f"单项{recipient.code}",
        items=[{"area": "综合", "content": "年度党建工作", "weight": Decimal(100)}],
    )
    letter = Letter.objects.create(
        year=year, issuer=issuer, recipient=recipient, template=template, title="责任书", status=Letter.Status.ISSUED
    )
    letter.items.create(area="综合", content="年度党建工作", weight=Decimal(100))
    to_self_assessed(letter)
    item = letter.items.get()
    services.letter_review(
        letter=letter,
        manual={item.pk: {"score": Decimal(str(total)), "comment": "按实际评分"}},
        innovation=innovation,
        today=AFTER,
        as_of=AFTER,
    )
    return services.letter_finalize(letter=letter)


@pytest.fixture
def issued(tree, cast):
    """2025 letters from 企业A党委 to its two branches, issued by the committee officer."""
    return issue(tree.committee_a, user=cast.committee)


@pytest.fixture(autouse=True)
def indicator_set(db):
    """The default indicator set, as the data migration loads it (tests may run with --no-migrations)."""
    if not Indicator.objects.defaults().exists():
        Indicator.objects.bulk_create(
            [Indicator(order=(i + 1) * 10, **row) for i, row in enumerate(DEFAULT_INDICATORS)]
        )
