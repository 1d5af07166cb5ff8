"""Support for tests/hardening/test_api_fuzz.py: the OpenAPI schema as schemathesis sees it, a WSGI app that is safe
inside a test transaction, the fixed cast with records to aim at, and the mapping of generated ids onto real ones.

Why each piece exists:
- The schema is generated in-process by drf-spectacular (the very generator /api/schema/ serves), so collection
  needs no database and no logged-in user; schemathesis then sends every request through Django's WSGI handler.
- Django's WSGI handler closes "old" database connections on request_started/request_finished. Inside a test
  transaction that would mark it broken, so (like django.test.Client does) those receivers are detached while fuzzing.
- Random integers almost never name a real record, and an endpoint that only ever answers 404 is not being tested.
  So most generated ids and codes (in the path, the query and the body) are replaced by ids of records inside and
  outside the user's scope; some are left as generated, to keep 404 paths covered.
"""

from __future__ import annotations

import datetime
import os
import warnings
from contextlib import contextmanager
from decimal import Decimal
from types import SimpleNamespace

import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token

from branches import dues
from branches.models import CommitteePosition
from meetings import services as meeting_services
from meetings.models import Meeting, MemberReview
from meetings.records import services as records_services
from tests.factories import make_cast, make_member, make_tree, start_term

# How many generated requests per (operation, role). `make test` keeps the default; a longer run:
#   FUZZ_EXAMPLES=500 .venv/bin/python -m pytest -q tests/hardening/test_api_fuzz.py
DEFAULT_EXAMPLES = 8
PASSWORD = "demo12345"  # tests/factories.py UserFactory
ROLES = ["anonymous", "secretary", "secretary2", "committee", "sasac", "admin"]

# Body and query keys that name an organization by code, or a member by id (type decides: a string is a code).
ORG_KEYS = {"org", "organization", "parent", "to", "under", "group", "enterprise"}
MEMBER_KEYS = {"member", "initiator", "host", "recorder", "lecturer"}
MEMBER_LIST_KEYS = {"participants"}
# Dates and months a record can really have: a random date is almost always refused before any rule is reached.
DATE_KEYS = {"date", "held_on", "decided_on", "on", "started_on", "paid_on", "approved_on", "as_of", "date_from"}
PLAUSIBLE_DATES = ["2025-03-10", "2025-12-20", "2026-01-15"]
PLAUSIBLE_MONTHS = ["2025-03", "2025-04"]


def examples() -> int:
    value = os.environ.get("FUZZ_EXAMPLES", "")
    if not value:
        return DEFAULT_EXAMPLES
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"FUZZ_EXAMPLES must be a positive integer, got {value!r}")
    return int(value)


def raw_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def load_schema():
    schema = schemathesis.openapi.from_dict(raw_schema())
    schema.app = quiet_wsgi_app
    return schema


_handler = None


def quiet_wsgi_app(environ, start_response):
    """Django's WSGI application (built once, lazily: settings are ready by the time a request is sent)."""
    global _handler
    if _handler is None:
        with warnings.catch_warnings():
            # WhiteNoise warns when the middleware loads without collected static files; the API needs none.
            warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
            _handler = WSGIHandler()
    return _handler(environ, start_response)


@contextmanager
def connections_kept_open():
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


# ----- the world: the cast of tests/conftest.py plus a few records of each kind -----


def build_world() -> SimpleNamespace:
    """The tree and cast of tests/conftest.py (the same make_tree/make_cast; called here because those fixtures
    are function-scoped and the fuzz world is built once per module), plus records in branch A (the secretary's),
    branch B (secretary2's) and branch C (enterprise B: outside the committee officer's scope)."""
    tree = make_tree()
    branch_a, group_a, branch_b, branch_c = tree.branch_a, tree.group_a, tree.branch_b, tree.branch_c

    a = [make_member(branch_a, name=f"甲{i}", group=group_a if i < 4 else None) for i in range(7)]
    b = [make_member(branch_b, name=f"乙{i}") for i in range(3)]
    c = [make_member(branch_c, name=f"丙{i}") for i in range(3)]
    CP = CommitteePosition.Role
    term_a = start_term(
        organization=branch_a,
        started_on=datetime.date(2024, 3, 1),
        positions=[(a[0], CP.SECRETARY), (a[1], CP.ORGANIZATION), (a[2], CP.PROPAGANDA)],
    )
    term_b = start_term(
        organization=branch_b,
        started_on=datetime.date(2023, 6, 1),
        has_committee=False,
        positions=[(b[0], CP.SECRETARY)],
    )
    term_c = start_term(
        organization=branch_c,
        started_on=datetime.date(2022, 6, 1),
        has_committee=False,
        positions=[(c[0], CP.SECRETARY)],
    )

    users = vars(make_cast(tree))
    tokens = {name: Token.objects.create(user=u).key for name, u in users.items()}

    MK = Meeting.Kind
    day = datetime.date(2025, 3, 10)
    meetings = []
    for branch in (branch_a, branch_b, branch_c):
        planned = meeting_services.meeting_plan(organization=branch, kind=MK.BRANCH_ASSEMBLY, date=day, topic="计划")
        held = meeting_services.meeting_plan(organization=branch, kind=MK.THEME_DAY, date=day, topic="已召开")
        meeting_services.meeting_hold(meeting=held, absent={}, content="学习讨论", resolutions="")
        archived = meeting_services.meeting_plan(organization=branch, kind=MK.BRANCH_ASSEMBLY, date=day, topic="归档")
        meeting_services.meeting_hold(meeting=archived, absent={}, content="学习讨论", resolutions="")
        meeting_services.meeting_archive(meeting=archived)
        meeting_services.meeting_amend(meeting=archived, reason="更正地点", changes={"place": "会议室"})
        meetings += [planned, held, archived]
    future = meeting_services.meeting_plan(
        organization=branch_a, kind=MK.THEME_DAY, date=timezone.localdate() + datetime.timedelta(days=30), topic="将来"
    )
    meetings.append(future)

    talks, reviews, payments = [], [], []
    for branch, people in ((branch_a, a), (branch_b, b), (branch_c, c)):
        talks.append(
            records_services.talk_create(
                organization=branch, held_on=day, initiator=people[0], participants=[people[1]], summary="谈心"
            )
        )
        for member, grade in ((people[1], MemberReview.Grade.UNQUALIFIED), (people[2], MemberReview.Grade.EXCELLENT)):
            reviews.append(
                records_services.review_record(
                    organization=branch, member=member, year=2025, grade=grade, decided_on=datetime.date(2026, 1, 15)
                )
            )
        payments.append(
            dues.dues_payment_record(
                organization=branch,
                member=people[0],
                month=datetime.date(2025, 3, 1),
                amount_paid=Decimal("90.00"),
                paid_on=day,
            )
        )
        payments.append(
            dues.dues_payment_record(
                organization=branch, member=people[1], month=datetime.date(2025, 3, 1), amount_paid=None, paid_on=None
            )
        )

    member_ids = [m.pk for m in (*a, *b, *c)]
    return SimpleNamespace(
        tokens=tokens,
        branch_a=branch_a,
        a=a,
        codes=["ROOT", "EA", "EA-B1", "EA-B1-G1", "EA-B2", "EB", "EB-B1"],
        enterprises=["EA", "EB"],
        member_ids=member_ids,
        ids={
            "members": member_ids,
            "terms": [term_a.pk, term_b.pk, term_c.pk],
            "meetings": [m.pk for m in meetings],
            "talks": [t.pk for t in talks],
            "member-reviews": [r.pk for r in reviews],
            "dues-payments": [p.pk for p in payments],
        },
    )


# ----- aiming generated cases at real records -----


def _resource(path: str) -> str:
    return path.removeprefix("/api/v1/").split("/", 1)[0]


def aim(case, world, data) -> None:
    """Replace some generated ids and codes with real ones, drawn through hypothesis (so runs stay reproducible)."""
    path_parameters = case.path_parameters or {}
    if "id" in path_parameters:
        ids = world.ids.get(_resource(case.operation.path), [])
        choice = data.draw(st.sampled_from([None, *ids]), label="id")
        if choice is not None:
            case.path_parameters = {**path_parameters, "id": choice}
    if "code" in path_parameters:
        choice = data.draw(st.sampled_from([None, *world.codes]), label="code")
        if choice is not None:
            case.path_parameters = {**path_parameters, "code": choice}
    if case.query:
        case.query = _aim_mapping(case.query, world, data)
    if isinstance(case.body, dict):
        case.body = _aim_value(case.body, world, data)
    if case.operation.path.endswith("/auth/token/") and isinstance(case.body, dict):
        if data.draw(st.booleans(), label="real login"):
            case.body = {**case.body, "username": data.draw(st.sampled_from(ROLES[1:])), "password": PASSWORD}


def _aim_mapping(mapping: dict, world, data) -> dict:
    out = {}
    for key, value in mapping.items():
        if key in ORG_KEYS and isinstance(value, str):
            pool = world.enterprises if key == "enterprise" else world.codes
            value = data.draw(st.sampled_from([value, *pool]), label=key)
        elif key in MEMBER_KEYS and isinstance(value, int) and not isinstance(value, bool):
            value = data.draw(st.sampled_from([value, *world.member_ids]), label=key)
        elif key in DATE_KEYS and isinstance(value, str):
            value = data.draw(st.sampled_from([value, *PLAUSIBLE_DATES]), label=key)
        elif key == "month" and isinstance(value, str):
            value = data.draw(st.sampled_from([value, *PLAUSIBLE_MONTHS]), label=key)
        elif key == "year" and isinstance(value, int) and not isinstance(value, bool):
            value = data.draw(st.sampled_from([value, 2025]), label=key)
        elif key in MEMBER_LIST_KEYS and isinstance(value, list):
            value = [
                data.draw(st.sampled_from([item, *world.member_ids]), label=key)
                if isinstance(item, int) and not isinstance(item, bool)
                else item
                for item in value
            ]
        else:
            value = _aim_value(value, world, data)
        out[key] = value
    return out


def _aim_value(value, world, data):
    if isinstance(value, dict):
        return _aim_mapping(value, world, data)
    if isinstance(value, list):
        return [_aim_value(item, world, data) for item in value]
    return value
