"""The fixed cast (STYLE.md): a SASAC reviewer at the root, an officer of enterprise A's committee, the secretary
of branch A, the secretary of branch B (the outsider to branch A), an administrator, and anonymous visitors.

    国资委党委 ROOT  (sasac: reviewer, read-only)
    ├── 企业A党委 EA  (committee: officer)
    │   ├── 支部A EA-B1 (secretary) ── 党小组 EA-B1-G1
    │   └── 支部B EA-B2 (secretary2)
    └── 企业B党委 EB
        └── 支部C EB-B1
"""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client

from branches.models import CommitteePosition
from tests.factories import make_cast, make_member, make_tree, start_term

OUR_APPS = ("branches", "meetings", "recruitment", "points", "assessments", "notifications", "ledgers")


def _load_data_migration_rows() -> None:
    """Run the forward functions of our data migrations (idempotent: get_or_create / update_or_create) against the
    final model state: the rows `migrate` would have loaded (the default indicator set, the beat schedules)."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor
    from django.db.migrations.operations import RunPython

    executor = MigrationExecutor(connection)
    state_apps = executor.loader.project_state().apps
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes(), clean_start=True)
    with connection.schema_editor() as schema_editor:
        for migration, _backwards in plan:
            if migration.app_label in OUR_APPS:
                for operation in migration.operations:
                    if isinstance(operation, RunPython):
                        operation.code(state_apps, schema_editor)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Put back the rows our data migrations load on a reused database that an earlier run flushed."""
    with django_db_blocker.unblock():
        _load_data_migration_rows()


@pytest.fixture(autouse=True)
def _data_rows_after_a_flush(request):
    """Transactional tests (browser, real Celery worker) end by flushing every table, so the next one would start
    without the rows our data migrations load: each transactional test puts them back first."""
    if "transactional_db" in request.fixturenames or "live_server" in request.fixturenames:
        request.getfixturevalue("transactional_db")
        _load_data_migration_rows()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Per-user rate limits (common.ratelimit) count in the cache; on SQLite user ids repeat between tests."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def members(tree):
    """Seven full members in branch A (so it has a committee), three in branch B, one in branch C."""
    a = [make_member(tree.branch_a, name=f"甲{i}", group=tree.group_a if i < 4 else None) for i in range(7)]
    b = [make_member(tree.branch_b, name=f"乙{i}") for i in range(3)]
    c = [make_member(tree.branch_c, name="丙0")]
    start_term(
        organization=tree.branch_a,
        started_on=datetime.date(2024, 3, 1),
        positions=[
            (a[0], CommitteePosition.Role.SECRETARY),
            (a[1], CommitteePosition.Role.ORGANIZATION),
            (a[2], CommitteePosition.Role.PROPAGANDA),
        ],
    )
    start_term(
        organization=tree.branch_b,
        started_on=datetime.date(2023, 6, 1),
        has_committee=False,
        positions=[(b[0], CommitteePosition.Role.SECRETARY)],
    )
    return SimpleNamespace(a=a, b=b, c=c)


@pytest.fixture
def cast(tree):
    return make_cast(tree)


@pytest.fixture
def client_for(cast):
    """client_for("secretary") -> a logged-in test client; client_for(None) -> anonymous."""

    def make(name):
        client = Client()
        if name is not None:
            client.force_login(getattr(cast, name))
        return client

    return make
