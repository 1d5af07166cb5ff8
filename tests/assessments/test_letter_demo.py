"""The demo letters (demo.letters.seed_letters): a cascade over the whole demo tree, mostly final, deterministic."""

import datetime
import random
import time

import pytest

from assessments.letters import selectors as letter_selectors
from assessments.models import Letter, LetterTemplate
from demo.letters import seed_letters
from demo.seed import DemoContext, purge_demo
from demo.tree import build_organizations

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 11, 21)
S = Letter.Status


def build(seed=2026):
    ctx = DemoContext(rng=random.Random(seed), scale=1, today=TODAY)
    build_organizations(ctx)
    started = time.monotonic()
    summary = seed_letters(ctx)
    return ctx, summary, time.monotonic() - started


def test_every_branch_of_the_demo_holds_last_years_letter_through_the_cascade():
    ctx, summary, elapsed = build()
    assert summary["year"] == 2025
    branches = [o for o in ctx.branches]
    letters = {lt.recipient_id: lt for lt in Letter.objects.filter(year=2025).select_related("issuer", "parent")}
    assert all(b.pk in letters for b in branches)
    for branch in branches:
        letter = letters[branch.pk]
        # 层层分解: the letter points to the one its issuer received, up to the root
        if letter.issuer != ctx.root:
            assert letter.parent is not None and letter.parent.recipient_id == letter.issuer_id
    statuses = [letters[b.pk].status for b in branches]
    assert statuses.count(S.FINAL) > 0.7 * len(branches)
    assert {S.SIGNED, S.SELF_ASSESSED, S.REVIEWED} <= set(statuses)
    assert LetterTemplate.objects.filter(source_letter__isnull=False).exists()
    assert elapsed < 30


def test_demo_star_counts_spread_over_several_ratings():
    ctx, _summary, _elapsed = build()
    counts = letter_selectors.star_counts(ctx.root, 2025)
    assert sum(counts.values()) > 0.7 * len(ctx.branches)
    assert sum(1 for n in counts.values() if n) >= 4


def test_demo_scores_are_consistent_with_their_items():
    build()
    for letter in Letter.objects.final().prefetch_related("items")[:50]:
        items = list(letter.items.all())
        assert letter.total_score == sum(i.score for i in items)
        assert all(0 <= i.score <= i.weight for i in items)
        assert sum(i.weight for i in items) == 100


def test_this_year_letters_are_issued_or_signed_at_the_top_level():
    ctx, _summary, _elapsed = build()
    current = Letter.objects.filter(year=2026)
    assert set(current.values_list("status", flat=True)) <= {S.ISSUED, S.SIGNED}
    assert set(current.values_list("issuer_id", flat=True)) == {ctx.root.pk}


def test_the_demo_letters_are_deterministic_and_purged_with_the_tree():
    build()
    first = list(
        Letter.objects.order_by("recipient__code", "year").values_list("recipient__code", "status", "total_score")
    )
    purge_demo()
    assert not Letter.objects.exists() and not LetterTemplate.objects.exists()
    build()
    second = list(
        Letter.objects.order_by("recipient__code", "year").values_list("recipient__code", "status", "total_score")
    )
    assert first == second
