"""Realistic, deterministic demo data: the district SASAC system of seed document 003, times `scale`, with a year of
organizational-life records.

Seed 003 (区国资系统党建概况): 14 enterprises; 4,179 党员; 322 基层党组织 = 21 党委 + 15 党总支 + 286 党支部.
Scale 1 reproduces exactly those counts (党小组 come on top); `scale` N repeats the 14-enterprise unit N times under
one 国资委党委 (N=15: a province of about 4,830 organizations and 62,700 members).

    seed_demo()                       the whole run, in one transaction
      build_organizations(ctx)        tree.py: enterprises + the tree, materialized paths computed here, one bulk_create
      build_members(ctx)              people.py: members, their 组织关系 history (transfers, leavers), 党小组 placement
      build_terms(ctx)                terms.py: a current 届 for every non-group organization, with positions
      build_users(ctx)                users.py: the five demo logins (idempotent)
      seed_records(ctx)               records.py: this year's meetings, attendance, talks, reviews; payments.py: 党费 rows
      seed_letters(ctx)               letters.py: last year's responsibility letters

Deterministic: every random choice comes from one `random.Random(seed)`, iterated over lists in a fixed order;
the only input from the clock is `today`. Rows are written with bulk_create, so django-simple-history records no
history for seeded objects (the history starts with the first real edit), and treebeard's add_child is bypassed.
The long name lists are in names.py (tree and people) and texts.py (meeting topics and records).
"""

import datetime
import random
import time

from django.db import connection, transaction

from branches.models import Organization

from .context import BATCH_SIZE, DEMO_ROOT_CODE, DemoContext, demo_root
from .inspections import seed_inspections
from .letters import seed_letters
from .people import build_members
from .points import seed_points
from .purge import purge_demo
from .records import seed_records
from .recruitment import seed_recruitment
from .terms import build_terms
from .tree import build_organizations
from .users import DEMO_PASSWORD, DEMO_USERNAMES, build_users, demo_warning_counts, login_table

__all__ = [
    "BATCH_SIZE",
    "DEMO_PASSWORD",
    "DEMO_ROOT_CODE",
    "DEMO_USERNAMES",
    "DemoContext",
    "demo_root",
    "demo_warning_counts",
    "login_table",
    "purge_demo",
    "seed_demo",
    "seed_records",
]

K = Organization.Kind


def _refresh_statistics() -> None:
    """ANALYZE after the bulk inserts: inside a transaction (the tests', or before autovacuum has run) PostgreSQL
    still plans with empty-table statistics and picks nested loops over thousands of rows (minutes, not seconds)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def seed_demo(
    *,
    scale: int = 1,
    seed: int = 2026,
    today: datetime.date,
    reset: bool = False,
    records: bool = True,
    recruitment: bool = False,
) -> dict:
    """Build the demo data. Returns a summary; `summary["skipped"]` is True when demo data already existed.
    `records=False` builds the tree, members, terms and logins only (the year of records is drawn last, so the rest
    is identical either way). `recruitment=True` (the command) adds a 发展党员 pipeline to the compliant branches; it
    holds its own 支部大会, so the tests that count the demo's meetings leave it out."""
    started = time.monotonic()
    with transaction.atomic():
        if demo_root() is not None:
            if not reset:
                return {"skipped": True, "logins": login_table()}
            purge_demo()
        ctx = DemoContext(rng=random.Random(seed), scale=scale, today=today)
        letters = pipeline = None
        build_organizations(ctx)
        build_members(ctx)
        build_terms(ctx)
        build_users(ctx)
        _refresh_statistics()
        if records:
            seed_records(ctx)
            # Last year's responsibility letters, cascaded and mostly final (letters.py).
            letters = seed_letters(ctx)
            seed_inspections(ctx)  # 考核细则, 观摩/督查 and 整改 (inspections.py)
            seed_points(ctx)  # 党员积分: rule sets, manual items in each state, a published quarter (points.py)
            if recruitment:
                compliant = [b for b in ctx.branches if ctx.tiers.get(b.pk) == "compliant"][:30]
                pipeline = seed_recruitment(branches=compliant, today=today, rng=random.Random(seed + 25))
        _refresh_statistics()
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
        "records": ctx.record_counts,
        "letters": letters,
        "recruitment": pipeline,
        "tiers": {tier: sum(1 for t in ctx.tiers.values() if t == tier) for tier in ("compliant", "partial", "weak")},
        "weak_branches": [b.code for b in ctx.weak_branches],
        "exceptions": ctx.exceptions,  # issue 11: the partial payer, the missing base, the 停止党籍 member
        "elapsed": time.monotonic() - started,
    }
