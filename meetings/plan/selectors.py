"""The reads behind the rules: one organization's (or a whole subtree's) year of facts in a fixed number of queries."""

import datetime

from django.db import connection
from django.db.models import Aggregate, Count, Func, IntegerField, Q, Sum

from branches import dues, standing
from branches.models import CommitteePosition, CommitteeTerm, Member, Membership, Organization
from common.periods import shift_months

from ..models import Meeting, MemberReview, Talk
from .periods import _MONTHS_OF, months_before
from .rules import GroupRef, TermFacts, YearFacts

K = Meeting.Kind


def _term_facts(rows, secretaries) -> dict[int, list[TermFacts]]:
    by_org: dict[int, list[TermFacts]] = {}
    for pk, org_id, started, ended, has_committee, years, extension, approved in rows:  # newest first
        expires = shift_months(started, 12 * years + extension)  # CommitteeTerm.expires_on
        secretary_ids = frozenset(secretaries.get(pk, ()))
        by_org.setdefault(org_id, []).append(
            TermFacts(pk, started, ended, has_committee, expires, secretary_ids, years, extension, approved)
        )
    return by_org


class MonthBit(Func):
    """1 << (month of the date - 1): the month as a bit, OR-ed (or summed once per distinct value) per group."""

    output_field = IntegerField()

    def as_sql(self, compiler, connection, **extra):
        return self.as_sqlite(compiler, connection, **extra)

    def as_sqlite(self, compiler, connection, **extra):
        template = "(1 << (CAST(strftime('%%%%m', %(expressions)s) AS INTEGER) - 1))"
        return super().as_sql(compiler, connection, template=template, **extra)

    def as_postgresql(self, compiler, connection, **extra):
        template = "(1 << (EXTRACT(MONTH FROM %(expressions)s)::integer - 1))"
        return super().as_sql(compiler, connection, template=template, **extra)


class BitOr(Aggregate):
    function = "BIT_OR"
    output_field = IntegerField()


def _months_held(expression):
    # PostgreSQL ORs the bits in a hash aggregate; elsewhere the sum of the distinct bits is the same number.
    if connection.vendor == "postgresql":
        return BitOr(MonthBit(expression))
    return Sum(MonthBit(expression), distinct=True)


def coverage_day(year: int, as_of: datetime.date | None) -> datetime.date:
    """The day coverage is counted on: the year's last day, or as_of while the year runs."""
    end = datetime.date(year, 12, 31)
    return min(as_of, end) if as_of is not None else end


def coverage_members(branch: Organization, year: int, as_of: datetime.date | None = None):
    """The members a branch owes a talk and a review for `year` (DOMAIN.md): in good standing (not 停止党籍) and
    belonging to it on coverage_day (the year's last day, or as_of while it runs). The talks and reviews pages call
    this; load_year_facts counts the same rows in bulk."""
    day = coverage_day(year, as_of)
    belonging = Membership.objects.filter(standing.belongs_on_q(day), organization=branch).values("member_id")
    return Member.objects.filter(standing.good_standing_on_q(day), pk__in=belonging)


def load_year_facts(
    organizations,
    year: int,
    *,
    root: Organization | None = None,
    with_meetings: bool = False,
    group_models: bool = False,
    with_dues: bool = False,
    as_of: datetime.date | None = None,
) -> dict[int, YearFacts]:
    """Facts for `organizations` (objects with pk, kind, established_on, path, depth) in a fixed number of queries,
    whatever their number: each query is one aggregate or a narrow value list, never one per organization.
    With `root`, the organizations are (some of) root's subtree and the queries select the subtree by path prefix;
    without it, they select the organizations by id (the one-organization pages)."""
    organizations = list(organizations)
    if root is not None:

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}path__startswith": root.path})

        group_q = scope("")
    else:
        pks = [org.pk for org in organizations]

        def scope(prefix: str) -> Q:
            return Q(**{f"{prefix}pk__in": pks})

        group_q = Q(pk__in=[])
        for org in organizations:
            group_q |= Q(path__startswith=org.path, depth=org.depth + 1)

    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    facts = {
        org.pk: YearFacts(org.pk, org.kind, org.established_on) for org in organizations if org.established_on <= end
    }
    if not facts:
        return facts
    paths = {org.path: org.pk for org in organizations if org.pk in facts}
    steplen = Organization.steplen

    # 党小组: children of the branches in scope that existed in the year (a dissolved one, for its months).
    groups = Organization.objects.filter(group_q, kind=Organization.Kind.GROUP).filter(
        Q(status=Organization.Status.ACTIVE) | Q(dissolved_on__gt=start)
    )
    if group_models:
        group_rows = [(g.path, g) for g in groups.order_by("path")]
    else:
        group_rows = [
            (path, GroupRef(pk, name, established, dissolved))
            for pk, name, established, dissolved, path in groups.order_by("path").values_list(
                "pk", "name", "established_on", "dissolved_on", "path"
            )
        ]
    for path, group in group_rows:
        parent = paths.get(path[:-steplen])
        if parent is not None:
            facts[parent].groups.append(group)

    # Terms that touch the year, with their 书记 (for the 书记's lecture and 按期换届).
    terms = (
        CommitteeTerm.objects.filter(scope("organization__"), started_on__lte=end)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=start))
        .order_by("organization_id", "-started_on")
    )
    term_rows = list(
        terms.values_list(
            "pk",
            "organization_id",
            "started_on",
            "ended_on",
            "has_committee",
            "term_years",
            "extension_months",
            "extension_approved_on",
        )
    )
    secretaries: dict[int, list[int]] = {}
    for term_id, member_id in CommitteePosition.objects.filter(
        term__in=terms.values("pk"), role=CommitteePosition.Role.SECRETARY
    ).values_list("term_id", "member_id"):
        secretaries.setdefault(term_id, []).append(member_id)
    for org_id, term_list in _term_facts(term_rows, secretaries).items():
        if org_id in facts:
            facts[org_id].terms = term_list

    # Held meetings: the months that had one, per (organization, group, kind); never the rows themselves in bulk.
    held = Meeting.objects.held().filter(scope("organization__"), date__gte=start, date__lte=end)
    if with_meetings:
        meetings = list(held.order_by("date", "id"))
        for f in facts.values():
            f.meetings = []
        for meeting in meetings:
            f = facts.get(meeting.organization_id)
            if f is None:
                continue
            f.meetings.append(meeting)
            key = (meeting.kind, meeting.group_id)
            f.held[key] = f.held.get(key, 0) | 1 << (meeting.date.month - 1)
            if meeting.kind == K.PARTY_LECTURE and meeting.lecturer_id:
                f.lectures.append((meeting.date, meeting.lecturer_id))
    else:
        rows = (
            held.order_by()
            .values_list("organization_id", "group_id", "kind")
            .annotate(months=_months_held("date"))
            .values_list("organization_id", "group_id", "kind", "months")
        )
        for org_id, group_id, kind, months in rows:
            f = facts.get(org_id)
            if f is not None:
                f.held[(kind, group_id)] = months
        lectures = (
            held.filter(kind=K.PARTY_LECTURE, lecturer__isnull=False, lecturer__positions__role="secretary")
            .order_by()
            .values_list("organization_id", "date", "lecturer_id")
            .distinct()
        )
        for org_id, day, lecturer_id in lectures:
            if org_id in facts:
                facts[org_id].lectures.append((day, lecturer_id))

    if as_of is not None:
        # Judged on as_of: a meeting counts only in the months that had started by then (a quarter filter of a past
        # year does not count what was held after it), so a running period is done only by what was held so far.
        started = months_before(as_of, year)
        for f in facts.values():
            f.held = {key: months & started for key, months in f.held.items()}

    branch_ids = [pk for pk, f in facts.items() if f.kind == Organization.Kind.BRANCH]
    if not branch_ids:
        return facts

    # Coverage (支部工作条例 第十四、十六条; DOMAIN.md): the members in good standing who belong to the branch on the
    # year's last day (or on as_of while it runs): one who died, left or moved before then is not owed here; and of
    # them those who had a talk in the year (as talker or listener, in any branch) and those reviewed for the year
    # (graded, or 参加评议,不评定等次 for a 预备党员). One aggregate.
    day = coverage_day(year, as_of)
    belonged = Membership.objects.filter(
        standing.belongs_on_q(day), standing.good_standing_on_q(day, "member__"), scope("organization__")
    )
    # Membership in a hashed set (IN subquery), not a correlated EXISTS per row: PostgreSQL builds each set once.
    in_year = Talk.objects.filter(held_on__gte=start, held_on__lte=day)
    talked = Q(member_id__in=in_year.values("initiator_id")) | Q(
        member_id__in=Talk.participants.through.objects.filter(talk__in=in_year).values("member_id")
    )
    reviewed = Q(member_id__in=MemberReview.objects.filter(year=year).values("member_id"))
    no_base = dues.base_missing_q("member__")  # 基数未填, for the secretary's to-do (no query of its own)
    for org_id, members, talks, reviews, gaps in (
        belonged.order_by()
        .values("organization_id")
        .annotate(
            n=Count("member_id", distinct=True),
            t=Count("member_id", distinct=True, filter=talked),
            r=Count("member_id", distinct=True, filter=reviewed),
            g=Count("member_id", distinct=True, filter=no_base),
        )
        .values_list("organization_id", "n", "t", "r", "g")
    ):
        if org_id in facts:
            f = facts[org_id]
            f.members, f.talked, f.reviewed, f.base_gaps = members, talks, reviews, gaps

    if with_dues:
        _load_dues(facts, year, root=root)
    return facts


# 党费 member-months in one statement. The rules are branches/dues/rules.py's, written as SQL there and only assembled
# here: a membership owes the months [month of the later of its start and the member's joining, month of its end)
# (owes_month_in: the branch the member belongs to on the month's last day, half-open periods), a member 停止党籍 on a
# month's last day owes nothing for it (dues.suspended_month: `suspended` is those months, from the standing periods by
# the same month rule; a member with none recorded and 停止党籍 today owes nothing), and a month is settled per
# settled_sql (足额: paid at least the amount due).
#
# Months are bits here too (bit m-1 = month m), so no row is multiplied by twelve and nothing is counted DISTINCT:
# - `spans`: each membership of the year becomes the set of months it owes (two memberships of one member never owe
#   the same month: periods are half-open and do not overlap);
# - `paid`: each member's settled months of the year, one row per member ((member, month) is unique, so SUM of the
#   bits is their OR); a semi-join with the memberships in scope keeps a subtree's query to its own members;
# - the result: per branch, how many of its members owed which months and paid which of those (a few rows per branch:
#   most members owe every month so far); Python adds them up per month.
_DUES_SQL = """
WITH months AS (
    SELECT ms.member_id, ms.organization_id, {first} AS first, {stop} AS stop
      FROM branches_membership ms
      JOIN branches_member mb ON mb.id = ms.member_id
      {join}
     WHERE ms.started_on <= %(end)s AND (ms.ended_on IS NULL OR ms.ended_on > %(start)s)
       AND NOT (mb.status = %(suspended)s AND NOT EXISTS (
               SELECT 1 FROM branches_standingperiod x WHERE x.member_id = mb.id AND x.kind = %(suspended)s
           )) {where}
),
suspended AS (
    SELECT member_id, SUM(CASE WHEN stop > first THEN (1 << (stop - 1)) - (1 << (first - 1)) ELSE 0 END) AS months
      FROM (SELECT sp.member_id, {s_first} AS first, {s_stop} AS stop
              FROM branches_standingperiod sp
             WHERE sp.kind = %(suspended)s AND sp.started_on <= %(end)s
               AND (sp.ended_on IS NULL OR sp.ended_on > %(start)s)) periods
     GROUP BY member_id
),
spans AS (
    SELECT m.member_id, m.organization_id,
           (CASE WHEN m.stop > m.first THEN (1 << (m.stop - 1)) - (1 << (m.first - 1)) ELSE 0 END)
           & ~COALESCE(s.months, 0) AS owed
      FROM months m
      LEFT JOIN suspended s ON s.member_id = m.member_id
),
paid AS (
    SELECT d.member_id, SUM(1 << ({month_of_row} - 1)) AS months
      FROM branches_duespayment d
     WHERE d.month >= %(start)s AND d.month <= %(end)s AND {settled}
       AND d.member_id IN (
               SELECT ms.member_id
                 FROM branches_membership ms
                 {join}
                WHERE ms.started_on <= %(end)s AND (ms.ended_on IS NULL OR ms.ended_on > %(start)s) {where}
           )
     GROUP BY d.member_id
)
SELECT s.organization_id, s.owed, COALESCE(p.months, 0) & s.owed AS paid, COUNT(*)
  FROM spans s
  LEFT JOIN paid p ON p.member_id = s.member_id
 GROUP BY s.organization_id, s.owed, paid
"""


def _load_dues(facts, year, *, root) -> None:
    """dues_due and dues_paid of every branch in `facts`: one statement (see _DUES_SQL)."""
    if connection.vendor == "postgresql":
        greatest = "GREATEST"

        def month_of(column):
            # date_part (a double) rather than EXTRACT (a numeric since PostgreSQL 14): cheaper per row
            return f"date_part('month', {column})::integer"

    else:
        greatest = "MAX"

        def month_of(column):
            return f"CAST(strftime('%%m', {column}) AS INTEGER)"

    params = {
        "start": datetime.date(year, 1, 1),
        "end": datetime.date(year, 12, 31),
        "suspended": standing.SUSPENDED,
    }
    join, where = "", ""
    if root is not None:
        # Tree paths are made of [0-9A-Z] only (treebeard's alphabet): no LIKE wildcard to escape.
        join = "JOIN branches_organization o ON o.id = ms.organization_id AND o.path LIKE %(prefix)s"
        params["prefix"] = root.path + "%"
    else:
        where = "AND ms.organization_id IN ({})".format(", ".join(str(int(pk)) for pk in facts))
    first, stop = dues.owed_months_sql(
        started="ms.started_on", ended="ms.ended_on", joined="mb.joined_on", month_of=month_of, greatest=greatest
    )
    # 停止党籍 periods by the same month rule (suspended on the month's last day); they never overlap (one at a time).
    s_first, s_stop = dues.owed_months_sql(
        started="sp.started_on", ended="sp.ended_on", joined="sp.started_on", month_of=month_of, greatest=greatest
    )
    sql = _DUES_SQL.format(
        first=first,
        stop=stop,
        s_first=s_first,
        s_stop=s_stop,
        join=join,
        where=where,
        settled=dues.settled_sql("d"),
        month_of_row=month_of("d.month"),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    for org_id, owed, paid, n in rows:
        f = facts.get(org_id)
        if f is None:
            continue
        due_by_month, paid_by_month = f.dues_due, f.dues_paid
        for month in _MONTHS_OF[owed]:
            due_by_month[month] = due_by_month.get(month, 0) + n
        for month in _MONTHS_OF[paid]:
            paid_by_month[month] = paid_by_month.get(month, 0) + n
