"""The access matrix, generated: every route of the URLconf × the fixed cast × GET and every write method.

Routes come from walking django.urls.get_resolver() (pages, API router routes, admin, accounts, schema), not from
a list; what each answer should be comes from the role rules in access_expectations.py. A route without an
entry there fails, and so does an entry whose route is gone. For each case the URL names an object inside the
user's scope (branch A, 企业A: "in") or outside it (branch C, 企业B: "out"). A refused request must also change
nothing: no INSERT/UPDATE/DELETE reaches the database (sessions and login-attempt tables aside).

The records are made once per module inside one transaction; each request runs in a savepoint that is rolled
back, so an allowed DELETE does not take the object away from the next case.
"""

import datetime
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin as django_admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.shortcuts import resolve_url
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from . import access_expectations as ex

# The mark makes pytest-django create the test database; each test then runs in its own savepoint of the
# module's transaction (world below), rolled back at its end.
pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------- the routes


@dataclass(frozen=True)
class RouteInfo:
    key: str  # the URL name ("meetings:meeting_detail"), or the pattern when the name is missing or shared
    pattern: str
    name: str
    callback: object


def _walk(resolver, prefix="", namespaces=()):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = ":".join((*namespaces, entry.name)) if entry.name else ""
            yield prefix + str(entry.pattern), name, entry.callback


def all_routes() -> list[RouteInfo]:
    found = list(_walk(get_resolver()))
    names = [name for _p, name, _c in found if name]
    return [
        RouteInfo(name if name and names.count(name) == 1 else pattern, pattern, name, callback)
        for pattern, name, callback in found
    ]


ADMIN_MODEL = re.compile(r"^admin/(\w+)/(\w+)/")


def admin_model_of(route: RouteInfo) -> str | None:
    match = ADMIN_MODEL.match(route.pattern)
    if match is None or "(?P<app_label>" in route.pattern:
        return None
    label = f"{match[1]}.{match[2]}"
    return label if label in {m._meta.label_lower for m in django_admin.site._registry} else None


def classify(route: RouteInfo):
    """(kind, entry): kind is "admin_site", "admin_model" or "route"; entry None when nothing classifies it."""
    if route.pattern.startswith("admin/"):
        if route.key in ex.ADMIN_SITE_ROUTES:
            return "admin_site", route.key
        label = admin_model_of(route)
        return "admin_model", (label if label in ex.ADMIN_MODELS else None)
    return "route", ex.ROUTES.get(route.key)


WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")


def _declared_methods(callback) -> list[str] | None:
    """What the view itself accepts: a viewset's action map, a class's handlers, or require_http_methods."""
    actions = getattr(callback, "actions", None)
    if actions:
        return [m.upper() for m in actions]
    view_class = getattr(callback, "view_class", None) or getattr(callback, "cls", None)
    if view_class is not None:
        return [m.upper() for m in ("get", "post", "put", "patch", "delete") if hasattr(view_class, m)]
    func = callback
    while func is not None:
        for cell in func.__closure__ or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if isinstance(value, list | tuple) and value and all(v in {"GET", "POST", "HEAD", "PUT"} for v in value):
                return [v for v in value if v != "HEAD"]
        func = getattr(func, "__wrapped__", None)
    return None


def methods_for(route: RouteInfo) -> list[str]:
    """GET, plus every write method the view accepts; a view that takes no write is still sent a POST (405)."""
    declared = _declared_methods(route.callback)
    if route.pattern.startswith("admin/"):
        writes = (
            ["POST"] if route.pattern.endswith(ex.ADMIN_WRITE_SUFFIXES) or route.key.endswith("_changelist") else []
        )
    elif declared is None:
        writes = ["POST"]  # a plain function view: forms post, and nothing else is routed to it
    else:
        writes = [m for m in WRITE_METHODS if m in declared] or ["POST"]
    return ["GET", *writes]


def scopes_for(route: RouteInfo, method: str) -> list[str]:
    kind, entry = classify(route)
    if kind != "route" or entry is None:
        return ["-"]
    if entry.obj or "{code}" in entry.query:
        return ["in", "out"]
    if method != "GET" and entry.body and any("{code}" in str(v) for v in entry.body.values()):
        return ["in", "out"]
    return ["-"]


ROUTES = all_routes()
CASES = [
    (route, method, user, scope)
    for route in ROUTES
    for method in methods_for(route)
    for scope in scopes_for(route, method)
    for user in ex.USERS
]


def _case_id(case):
    route, method, user, scope = case
    return f"{route.key}|{method}|{user}|{scope}"


# ---------------------------------------------------------------------------------------------- the records


def _build_world():
    from assessments.inspections import services as inspection_services
    from assessments.letters import services as letter_services
    from assessments.models import DEFAULT_INDICATORS, Indicator
    from assessments.rectification import services as rect_services
    from assessments.rubrics import services as rubric_services
    from branches import dues
    from branches.models import CommitteePosition, Organization, Role
    from ledgers.models import ExportJob
    from meetings import services as meeting_services
    from meetings.models import Meeting
    from meetings.records import services as records_services
    from meetings.votes import services as votes_services
    from notifications.models import Notification
    from tests.assessments.test_letter_helpers import STANDARD_ITEMS
    from tests.factories import make_cast, make_member, make_tree, make_user, record_election, start_term

    if not Indicator.objects.defaults().exists():
        Indicator.objects.bulk_create(
            [Indicator(order=(i + 1) * 10, **row) for i, row in enumerate(DEFAULT_INDICATORS)]
        )
    # The tree and the cast of tests/conftest.py (the same make_tree/make_cast; module scope, so called here).
    tree = make_tree()
    committee_a, committee_b = tree.committee_a, tree.committee_b
    branch_a, group_a, branch_b, branch_c = tree.branch_a, tree.group_a, tree.branch_b, tree.branch_c
    assert set(ex.PARENT) == set(Organization.objects.values_list("code", flat=True))

    users = {
        **vars(make_cast(tree)),
        "outsider": make_user("officer_b", committee_b, Role.Kind.OFFICER),  # owns the "out" jobs and notifications
    }

    def branch_records(branch, committee, group, owner):
        people = [make_member(branch, name=f"{branch.code}-{i}", group=group if i < 3 else None) for i in range(7)]
        term = start_term(
            organization=branch,
            started_on=datetime.date(2024, 3, 1),
            positions=[
                (people[0], CommitteePosition.Role.SECRETARY),
                (people[1], CommitteePosition.Role.ORGANIZATION),
                (people[2], CommitteePosition.Role.PROPAGANDA),
            ],
        )
        meeting = meeting_services.meeting_plan(
            organization=branch, kind=Meeting.Kind.BRANCH_ASSEMBLY, date=datetime.date(2025, 3, 10), topic="会议"
        )
        attachment = meeting_services.attachment_add(
            meeting=meeting, file=SimpleUploadedFile("sign.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        )
        talk = records_services.talk_create(
            organization=branch,
            held_on=datetime.date(2025, 7, 1),
            initiator=people[0],
            participants=[people[1]],
            summary="谈思想",
        )
        review = records_services.review_year_record(
            organization=branch,
            year=2025,
            decided_on=datetime.date(2025, 12, 20),
            grades={people[0].pk: ("excellent", "")},
        )[0]
        payment = dues.dues_month_record(
            organization=branch,
            month=datetime.date(2025, 1, 1),
            rows={people[0].pk: (Decimal("90.00"), datetime.date(2025, 1, 15))},
        )[0]
        template = letter_services.template_create(issuer=committee, year=2025, name="年度责任书", items=STANDARD_ITEMS)
        letter = letter_services.letters_issue(template=template).created
        letter = next(lt for lt in letter if lt.recipient_id == branch.pk)
        rectification = rect_services.item_propose(organization=branch, committee=committee, title="记录不全")
        rect_services.item_confirm(
            item=rectification,
            deadline=datetime.date(2099, 1, 1),
            responsible_text="书记",
            today=datetime.date(2025, 1, 1),
        )
        rect_services.item_report(
            item=rectification,
            measures="已补齐",
            files=[SimpleUploadedFile("e.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64)],
        )
        evidence = rectification.events.get(action="report").evidence.get()
        rubric = rubric_services.rubric_create(
            committee=committee, year=2025, name="观摩细则", items=[{"title": "阵地", "points": 100}]
        )
        inspection = inspection_services.round_open(
            committee=committee,
            year=2025,
            kind="internal",
            title="观摩",
            rubric=rubric,
            organizations=[branch],
            team=[users["committee"] if committee == committee_a else users["outsider"]],
        )
        job = ExportJob.objects.create(user=owner, organization=committee, year=2025)
        notification = Notification.objects.create(recipient=owner, title="换届提醒", link=f"/orgs/{branch.code}/")
        person, step, document, thought_report = recruitment_records(branch)
        points = points_records(branch, committee, people, owner)
        election = record_election(branch, datetime.date(2026, 3, 10))  # a held 党员大会 with its election and a vote
        resolution = votes_services.resolution_record(meeting=election.meeting, text="表决事项", votes_for=5)
        branch_objs = dict(
            org=branch,
            member=people[0],
            term=term,
            meeting=meeting,
            attachment=attachment,
            talk=talk,
            review=review,
            dues=payment,
            letter=letter,
            person=person,
            step=step,
            recruitdoc=document,
            thoughtreport=thought_report,
            rectification=rectification,
            evidence=evidence,
            resolution=resolution,
            election=election,
        )
        scope = {name: SimpleNamespace(obj=o, code=branch.code, owner=None) for name, o in branch_objs.items()}
        scope["committee"] = SimpleNamespace(obj=committee, code=committee.code, owner=None)
        scope["round"] = SimpleNamespace(obj=inspection, code=committee.code, owner=None)
        scope["rubric"] = SimpleNamespace(obj=rubric, code=committee.code, owner=None)
        scope["visit"] = SimpleNamespace(obj=inspection, code=branch.code, owner=None)
        scope["template"] = SimpleNamespace(obj=template, code=committee.code, owner=None)
        for name, o in (("job", job), ("notification", notification)):
            scope[name] = SimpleNamespace(obj=o, code=committee.code, owner=owner.username)
        scope["ruleset"] = SimpleNamespace(obj=points["ruleset"], code=committee.code, owner=None)
        scope["pointrule"] = SimpleNamespace(obj=points["pointrule"], code=committee.code, owner=None)
        for name in ("pointitem", "pointevidence", "publication", "objection"):
            scope[name] = SimpleNamespace(obj=points[name], code=branch.code, owner=None)
        scope["_member"] = people[1]
        return scope

    def points_records(branch, committee, people, owner):
        from points import services as point_services

        ruleset = point_services.rule_set_copy(committee=committee, year=2025)
        rule = ruleset.rules.filter(source="manual").first()
        png = SimpleUploadedFile("award.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        item = point_services.item_record(
            organization=branch,
            member=people[3],
            rule=rule,
            occurred_on=datetime.date(2025, 6, 1),
            reason="获评先进",
            files=[png],
            user=owner,
            today=datetime.date(2025, 12, 31),
        )
        publication = point_services.quarter_publish(
            organization=branch,
            year=2025,
            quarter=3,
            starts_on=datetime.date(2025, 10, 8),
            ends_on=datetime.date(2025, 10, 15),
            user=owner,
        )
        objection = point_services.objection_record(
            publication=publication,
            member=people[4],
            text="漏计一次党课",
            raised_on=datetime.date(2025, 10, 9),
            user=owner,
        )
        return dict(
            ruleset=ruleset,
            pointrule=rule,
            pointitem=item,
            pointevidence=item.evidence.get(),
            publication=publication,
            objection=objection,
        )

    def recruitment_records(branch):
        from branches.validators import make_id_number
        from recruitment import services as recruitment_services

        born = datetime.date(2000, 1, 1)
        person = recruitment_services.person_create(
            branch=branch,
            applied_on=datetime.date(2025, 1, 2),
            name=f"{branch.code}-申请人",
            gender="male",
            birth_date=born,
            id_number=make_id_number("110101", born, 900 + branch.pk),
            education="bachelor",
        )
        step = person.steps.get()
        png = SimpleUploadedFile("apply.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
        document = recruitment_services.document_add(step=step, file=png, title="入党申请书")
        # A 思想汇报 row for the API routes (written directly: the rules owe one only from step 3 on).
        from recruitment.models import ThoughtReport

        report = ThoughtReport.objects.create(
            person=person,
            quarter=datetime.date(2025, 1, 1),
            submitted_on=datetime.date(2025, 3, 1),
            organization=branch,
        )
        return person, step, document, report

    world = SimpleNamespace(
        users=users,
        scopes={
            "in": branch_records(branch_a, committee_a, group_a, users["secretary"]),
            "out": branch_records(branch_c, committee_b, None, users["outsider"]),
        },
        group=group_a,
        branch_b=branch_b,
    )
    # One session per user, made once: each case only sets the cookie (a logout is rolled back with its case).
    world.sessions = {}
    for name in ex.USERS[1:]:
        client = Client()
        client.force_login(users[name])
        world.sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        with transaction.atomic():
            yield _build_world()
            transaction.set_rollback(True)


# ---------------------------------------------------------------------------------------------- the requests


def _admin_object_id(label: str) -> str:
    model = apps.get_model(label)
    pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
    return str(pk if pk is not None else 0)


def _fill(pattern: str, values: dict, positional: list) -> str:
    url = pattern.replace("^", "").replace("$", "")
    url = re.sub(r"\(\?P<(\w+)>[^()]*\)", lambda m: str(values[m[1]]), url)
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m[1]]), url)
    positional = list(positional)
    url = re.sub(r"\([^()]*\)", lambda m: str(positional.pop(0)), url)
    return "/" + url


def build_url(route: RouteInfo, world, scope: str) -> str:
    kind, entry = classify(route)
    values = {"year": 2025, "month": "2025-01", "uidb64": "MQ", "token": "bad-token", "url": "no-such-page/"}
    values.update(indicator="theme_day", period="2025-03", subject="talks")  # the dashboards' gap page, overviews
    positional = []
    if kind == "admin_model":
        object_id = _admin_object_id(entry)
        values["object_id"] = values["id"] = object_id
        values["parent_id"] = world.scopes["in"]["org"].obj.pk
        history = getattr(apps.get_model(entry), "history", None)
        first = history.order_by("pk").values_list("pk", flat=True).first() if history is not None else None
        positional = [object_id, first or 0]
    elif kind == "admin_site":
        member = world.scopes["in"]["member"].obj
        values.update(app_label="branches", content_type_id=ContentType.objects.get_for_model(member).pk)
        values["object_id"] = member.pk
    elif entry is not None and scope != "-" and entry.obj:
        target = world.scopes[scope][entry.obj]
        values.update(pk=target.obj.pk, code=target.code)
    url = _fill(route.pattern, values, positional)
    if entry is not None and kind == "route" and entry.query:
        target = world.scopes[scope if scope != "-" else "in"][entry.obj or "org"]
        url += "?" + entry.query.format(code=target.code)
    match = resolve(url.split("?")[0])
    assert match.route.replace("^", "") == route.pattern.replace("^", ""), f"{url} resolves to {match.route}"
    return url


def body_for(entry, world, scope: str) -> dict:
    if entry is None or not entry.body or scope == "-":
        return {}
    target = world.scopes[scope]
    code = target["org"].code
    special = {"{member}": target["_member"].pk, "{meeting}": target["meeting"].obj.pk}
    return {k: special[v] if v in special else v.format(code=code) for k, v in entry.body.items()}


IGNORED_TABLES = {"django_session", "axes_accessattempt", "axes_accesslog", "axes_accessfailurelog"}
WRITE_SQL = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)


def data_writes(queries) -> list[str]:
    return [q["sql"][:160] for q in queries if (m := WRITE_SQL.match(q["sql"])) and m[1].lower() not in IGNORED_TABLES]


def outcome(response) -> str:
    """What the answer means: ok (2xx, 3xx elsewhere, 400), login, admin_login, 401/403/404/405, or 5xx."""
    status = response.status_code
    location = response.get("Location", "")
    if status in (301, 302, 303):
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return "login"
        if location.startswith("/admin/login/"):
            return "admin_login"
        return "ok"
    if 200 <= status < 300 or status in (304, 400, 307, 308):
        return "ok"
    return str(status)


# ---------------------------------------------------------------------------------------------- the rules


def _special(entry, user, scope, method):
    for key in ((user, scope, method), (user, scope, "*"), (user, "*", method), (user, "*", "*"), ("*", "*", method)):
        if key in entry.special:
            value = entry.special[key]
            return set(value) if isinstance(value, tuple | set) else {value}
    return None


def expected(route: RouteInfo, method: str, user: str, scope: str, world) -> set[str]:
    kind, entry = classify(route)
    if kind in ("admin_site", "admin_model"):
        if route.key in ex.ADMIN_PUBLIC:
            return {"ok", "404", "405"}
        # For the superuser: 403 where a ModelAdmin allows nobody (append-only audit logs), 404 for no such page.
        return {"ok", "403", "404"} if user == "admin" else {"admin_login"}
    found = _special(entry, user, scope, method)
    if found is not None:
        return found
    rule = entry.get if method == "GET" else entry.write
    api = entry.kind == "api"
    if rule == "public":
        return {"ok"}
    if user == "anonymous":
        if api:
            return {"401", "403"}
        return {"login", "405"} if rule == "405" else {"login"}
    if rule == "405":
        # The API refuses a read-only role's write before looking for a handler (ReadOnlyRoleCannotWrite).
        return {"405"} if method == "GET" or ex.may_write_somewhere(user) else {"403", "405"}
    if rule == "login":
        return {"ok"}
    if rule == "root":
        return {"ok"} if user in ("sasac", "admin") else {"403"}
    target = world.scopes[scope][entry.obj] if scope != "-" and entry.obj else None
    if rule == "owner":
        return {"ok"} if target is not None and user == target.owner else {"404"}
    code = target.code if target is not None else (world.scopes[scope]["org"].code if scope != "-" else None)
    if rule == "read":
        if code is None:
            return {"ok"}
        return {"ok"} if ex.level(user, code) >= ex.READ else {"404"}
    if rule == "write":
        if code is None:
            return {"ok"} if ex.may_write_somewhere(user) else {"403"}
        have = ex.level(user, code)
        return {"ok"} if have == ex.WRITE else ({"403"} if have == ex.READ else {"404"})
    raise AssertionError(f"unknown rule {rule!r} for {route.key}")


def may_change_data(route, method, user, scope, world, wanted: set[str]) -> bool:
    """Whether a write may reach the database: only a write method, answered ok, by a user who may write there.
    GET is judged by its status alone (opening an unmasked ID number writes an audit row, by design)."""
    if method == "GET":
        return True
    if "ok" not in wanted:
        return False
    kind, entry = classify(route)
    if kind != "route":
        return user == "admin" or route.key in ex.ADMIN_PUBLIC
    if entry.write in ("public", "login", "owner"):
        return True
    if entry.write != "write":
        return False  # a read page that ignores a POST must not write
    target = world.scopes[scope][entry.obj] if scope != "-" and entry.obj else None
    if target is None:
        return ex.may_write_somewhere(user)
    return ex.level(user, target.code) == ex.WRITE


def _xfail_reason(route, method, user, scope):
    kind, entry = classify(route)
    if kind != "route" or entry is None:
        return ex.ADMIN_XFAIL.get((route.key, method, user))
    for key in ((user, scope, method), (user, scope, "*"), (user, "*", method), (user, "*", "*"), ("*", "*", method)):
        if key in entry.xfail:
            return entry.xfail[key]
    return None


def _params():
    for case in CASES:
        reason = _xfail_reason(*case)
        marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
        yield pytest.param(*case, id=_case_id(case), marks=marks)


def reachable_pages(world, users) -> list[tuple[str, str]]:
    """(url, user) for every page route (not API, not admin) that `user` may GET, with the object in its scope
    ("in", or none), by the same rules as the matrix; used by the accessibility audit (tests/browser)."""
    pairs = []
    for route in ROUTES:
        kind, entry = classify(route)
        if kind != "route" or entry is None or entry.kind != "page":
            continue
        scope = scopes_for(route, "GET")[0]
        for user in users:
            if expected(route, "GET", user, scope, world) == {"ok"}:
                pairs.append((build_url(route, world, scope), user))
    return pairs


# ---------------------------------------------------------------------------------------------- the tests


def test_every_route_has_an_expectation_and_every_expectation_a_route():
    unclassified = sorted(r.pattern for r in ROUTES if classify(r)[1] is None)
    assert not unclassified, f"新路由没有访问预期,请在 tests/hardening/access_expectations.py 中归类: {unclassified}"
    keys = {r.key for r in ROUTES}
    stale = sorted(set(ex.ROUTES) - keys) + sorted(set(ex.ADMIN_SITE_ROUTES) - keys)
    admin_labels = {admin_model_of(r) for r in ROUTES} - {None}
    stale += sorted(set(ex.ADMIN_MODELS) - admin_labels)
    assert not stale, f"预期表中的路由已不存在,请删除: {stale}"


def test_the_matrix_covers_every_user_and_reports_its_size(capsys):
    assert {user for _r, _m, user, _s in CASES} == set(ex.USERS)
    per_method = {}
    for _r, method, _u, _s in CASES:
        per_method[method] = per_method.get(method, 0) + 1
    with capsys.disabled():
        print(
            f"\naccess matrix: {len(ROUTES)} routes, {len(CASES)} (route × user × method × scope) cases: {per_method}"
        )
    assert len(CASES) > len(ROUTES) * len(ex.USERS)


@pytest.mark.parametrize(("route", "method", "user", "scope"), list(_params()))
def test_access(world, route, method, user, scope):
    kind, entry = classify(route)
    assert entry is not None, f"{route.pattern}: 没有访问预期,请在 access_expectations.py 中归类"
    wanted = expected(route, method, user, scope, world)
    with transaction.atomic():
        url = build_url(route, world, scope)
        client = Client()
        if user != "anonymous":
            client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[user]
        body = body_for(entry if kind == "route" else None, world, scope)
        with CaptureQueriesContext(connection) as queries:
            if method == "GET":
                response = client.get(url)
            elif kind == "route" and entry.kind == "api":
                response = client.generic(method, url, json.dumps(body), content_type="application/json")
            elif method == "POST":
                response = client.post(url, body)
            else:
                response = client.generic(method, url, b"", content_type="application/x-www-form-urlencoded")
        transaction.set_rollback(True)
    got = outcome(response)
    detail = f"{method} {url} as {user}: {response.status_code} {response.get('Location', '')}".strip()
    assert got in wanted, f"{detail}; expected {sorted(wanted)}"
    if not may_change_data(route, method, user, scope, world, wanted):
        writes = data_writes(queries.captured_queries)
        assert not writes, f"{detail} changed data although refused or read-only: {writes}"
