"""python manage.py bench_dashboard [--scale 15] [--skip-seed] [--compare-scale 1] [--year YYYY] [--runs 5]

On PostgreSQL: builds the demo (`seed_demo --scale N --reset`), then times, best of --runs after a warm-up run:

(a) `indicator_summary` for the whole tree (what /api/v1/indicators/summary/ and every dashboard compute);
(b) the SASAC dashboard page, rendered by the test Client as the demo `sasac` user;
(c) the floor: ONE aggregate SQL statement over the same records the summary reads, grouped as finely as the rules
    need them: held meetings per organization, 党小组, kind and month; members who belonged to each organization in
    the year (memberships); talk participants, member reviews per organization; settled dues per organization and
    month. It returns its rows to Python like any query (FLOOR_SQL below).

Target: (a) and (b) each at most 3x (c), and a number of SQL queries that does not depend on the number of
organizations (compared with --compare-scale). The machine may be shared: for (a) and (b) it also prints the time
spent waiting on SQL, the rest (Python), and the CPU time of this process, which the load of other processes hardly
changes; and for (a) the SQL time of each query. Every figure is the best of the runs.
"""

import time

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from assessments.indicators import selectors as ind
from branches.dues import settled_sql
from branches.models import Organization
from demo.context import demo_root

FLOOR_SQL = (
    """
WITH orgs AS (SELECT id FROM branches_organization WHERE path LIKE %(prefix)s)
SELECT 'meeting', m.organization_id, m.group_id, m.kind, EXTRACT(MONTH FROM m.date)::int, COUNT(*)
  FROM meetings_meeting m JOIN orgs o ON o.id = m.organization_id
 WHERE m.status IN ('held', 'archived') AND m.date BETWEEN %(start)s AND %(end)s
 GROUP BY 2, 3, 4, 5
UNION ALL
SELECT 'member', ms.organization_id, NULL, NULL, NULL, COUNT(DISTINCT ms.member_id)
  FROM branches_membership ms JOIN orgs o ON o.id = ms.organization_id
 WHERE ms.started_on <= %(end)s AND (ms.ended_on IS NULL OR ms.ended_on > %(start)s)
 GROUP BY 2
UNION ALL
SELECT 'talk', t.organization_id, NULL, NULL, NULL, COUNT(*)
  FROM meetings_talk t JOIN orgs o ON o.id = t.organization_id
  JOIN meetings_talk_participants p ON p.talk_id = t.id
 WHERE t.held_on BETWEEN %(start)s AND %(end)s
 GROUP BY 2
UNION ALL
SELECT 'review', r.organization_id, NULL, NULL, NULL, COUNT(*)
  FROM meetings_memberreview r JOIN orgs o ON o.id = r.organization_id
 WHERE r.year = %(year)s
 GROUP BY 2
UNION ALL
SELECT 'dues', d.organization_id, NULL, NULL, EXTRACT(MONTH FROM d.month)::int, COUNT(*)
  FROM branches_duespayment d JOIN orgs o ON o.id = d.organization_id
 WHERE d.month BETWEEN %(start)s AND %(end)s AND """
    + settled_sql("d")  # the one 足额 rule (branches/dues/rules.py)
    + """
 GROUP BY 2, 5
"""
)

# What each SQL query of the summary reads, recognized by a table or function it names (first match wins).
PHASES = (
    ("党费", "branches_duespayment"),
    ("覆盖(谈心/评议)", "meetings_memberreview"),
    ("会议月份", "meetings_meeting"),  # the months aggregate (the 书记's lectures are told apart below)
    ("书记", "branches_committeeposition"),
    ("届次", "branches_committeeterm"),
    ("指标集", "assessments_indicator"),
    ("组织/党小组", "branches_organization"),
)


def _phase(sql: str) -> str:
    if "meetings_meeting" in sql and "lecturer_id" in sql:
        return "书记讲党课"
    return next((label for label, table in PHASES if table in sql), "其他")


class Timing:
    """Best-of-N figures of one measured call: wall time, SQL wait (sum over its queries), CPU of this process."""

    def __init__(self):
        self.wall = self.sql = self.cpu = float("inf")
        self.queries = 0
        self.phases: dict[str, float] = {}

    def measure(self, fn, runs: int):
        fn()  # warm-up: caches, connections, the first compile of templates
        for _ in range(runs):
            with CaptureQueriesContext(connection) as captured:
                cpu, started = time.process_time(), time.perf_counter()
                fn()
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            queries = captured.captured_queries
            sql = sum(float(q["time"]) for q in queries)
            self.queries = len(queries)
            self.wall, self.sql, self.cpu = min(self.wall, wall), min(self.sql, sql), min(self.cpu, cpu)
            per_phase: dict[str, float] = {}
            for q in queries:
                label = _phase(q["sql"])
                per_phase[label] = per_phase.get(label, 0.0) + float(q["time"])
            for label, seconds in per_phase.items():
                self.phases[label] = min(self.phases.get(label, seconds), seconds)
        return self


def count_queries(fn) -> int:
    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured.captured_queries)


class Command(BaseCommand):
    help = (
        "在 PostgreSQL 上生成省级规模演示数据,测量国资委看板与全树指标汇总(indicator_summary)的用时,并与下限比较:"
        "一条聚合 SQL,读取汇总所读的同一批记录(会议按组织/党小组/类别/月份,组织关系,谈心谈话参与人,民主评议,"
        "已交党费按组织/月份),并把结果行取回。目标:各不超过下限的3倍,且 SQL 查询次数与组织数量无关。"
        "每项取 --runs 次中的最好成绩,并分列 SQL 等待、Python 用时与本进程 CPU 时间(机器繁忙时更稳定)。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=15, help="演示数据规模(默认 15 ≈ 一个省)")
        parser.add_argument("--compare-scale", type=int, default=1, help="对比查询次数的小规模(默认 1;0 = 不对比)")
        parser.add_argument("--skip-seed", action="store_true", help="使用已有演示数据,不重新生成")
        parser.add_argument("--year", type=int, default=None, help="考核年度(默认今年)")
        parser.add_argument("--runs", type=int, default=5, help="每项测量次数,取最好成绩(默认 5)")

    def handle(self, *args, scale, compare_scale, skip_seed, year, runs, **options):
        if connection.vendor != "postgresql":
            self.stderr.write(self.style.WARNING("注意:当前不是 PostgreSQL(请设置 DATABASE_URL),结果仅供参考。"))
        today = timezone.localdate()
        year = year or today.year
        counts = {}
        if compare_scale and not skip_seed and compare_scale != scale:
            self._seed(compare_scale)
            counts[compare_scale] = self._measure(year, runs=0)
        if not skip_seed:
            self._seed(scale)
        counts[scale if not skip_seed else "现有"] = self._measure(year, runs=max(runs, 1))
        self.stdout.write("SQL 查询次数(与组织数量无关):")
        for n, (orgs, a, b) in counts.items():
            label = f"规模 {n:>2}" if isinstance(n, int) else f"{n}数据"
            self.stdout.write(
                f"  {label}: 组织 {orgs:>5} 个   (a) 指标汇总 {a} 次   (b) 国资委看板 {b if b is not None else '-'} 次"
            )

    def _seed(self, scale):
        self.stdout.write(f"生成演示数据 seed_demo --scale {scale} --reset …")
        started = time.perf_counter()
        call_command("seed_demo", scale=scale, reset=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
        self.stdout.write(f"  用时 {time.perf_counter() - started:.1f} 秒")

    def _measure(self, year, *, runs):
        root = demo_root()
        if root is None:
            raise SystemExit("没有演示数据:请先运行 seed_demo,或去掉 --skip-seed。")
        orgs = Organization.objects.under(root).count()

        def summary():
            return ind.indicator_summary(root, year)

        client, url = Client(), None
        user = get_user_model().objects.filter(username="sasac").first()
        try:
            url = reverse("assessments:sasac_dashboard")
        except NoReverseMatch:
            pass
        if user is not None:
            client.force_login(user)

        def dashboard():
            response = client.get(url, {"year": year})
            if response.status_code != 200:
                raise SystemExit(f"国资委看板返回 {response.status_code}")
            return response

        summary()
        a = count_queries(summary)
        b = None
        if url and user is not None:
            dashboard()
            b = count_queries(dashboard)
        if not runs:
            return orgs, a, b

        params = {"prefix": root.path + "%", "start": f"{year}-01-01", "end": f"{year}-12-31", "year": year}

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(FLOOR_SQL, params)
                return cursor.fetchall()

        on_postgresql = connection.vendor == "postgresql"
        records = len(floor()) if on_postgresql else 0
        t_floor = Timing().measure(floor, runs) if on_postgresql else None
        t_summary = Timing().measure(summary, runs)
        t_dashboard = Timing().measure(dashboard, runs) if url and user is not None else None

        results = summary()
        statuses = {}
        for rows in results.values():
            for r in rows:
                statuses[r.status] = statuses.get(r.status, 0) + 1
        self.stdout.write(
            f"年度 {year},组织 {orgs} 个(参与计算 {len(results)} 个),指标结果 {sum(statuses.values())} 项:{statuses}"
        )
        self.stdout.write(f"每项取 {runs} 次中的最好成绩(墙钟时间;括号内:SQL 等待 + 其余 Python,本进程 CPU)")

        def ms(seconds):
            return f"{seconds * 1000:.0f} ms"

        def line(label, t: Timing, detail=True):
            ratio = f"{t.wall / t_floor.wall:5.2f}x 下限" if t_floor else ""
            extra = ""
            if detail:
                rest = max(t.wall - t.sql, 0)
                extra = f"(SQL {ms(t.sql)} / {t.queries} 条 + Python {ms(rest)};CPU {ms(t.cpu)})"
            self.stdout.write(f"  {label:<24} {t.wall * 1000:7.0f} ms  {ratio}  {extra}")

        if t_floor:
            line(f"(c) 下限:一条聚合 SQL({records} 行)", t_floor, detail=False)
        line("(a) indicator_summary 全树", t_summary)
        if t_dashboard is not None:
            line("(b) 国资委看板页面", t_dashboard)
        else:
            self.stdout.write("  (b) 国资委看板:assessments:sasac_dashboard 尚不可用(或无 sasac 用户),跳过")
        phases = " | ".join(f"{label} {ms(seconds)}" for label, seconds in t_summary.phases.items())
        self.stdout.write(f"  (a) 各条 SQL:{phases}")
        return orgs, a, b
