"""Benchmark the 花名册 import: build an N-row file, then time parse, validation and the write separately.

Everything it creates (a scratch committee, branch and user, and the imported members) lives in one transaction
that is rolled back at the end, so the database is left as it was.
"""

import datetime
import resource
import tempfile
import time
import tracemalloc
import uuid
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from openpyxl import Workbook

from branches import services
from branches.models import Organization
from branches.roster import COLUMNS, DATA_SHEET, parse_roster, roster_members_create, validate_roster
from branches.validators import make_id_number

# Not a real region code, so the generated ID numbers cannot collide with real members.
BENCH_REGION = "999901"


class _Rollback(Exception):
    pass


def _rows(count: int, branch_code: str):
    base = datetime.date(1960, 1, 1)
    for n in range(count):
        male = n % 2 == 0
        birth = base + datetime.timedelta(days=n % 15_000)
        # GB 11643: the 17th digit is odd for men; (birth, sequence) stays unique for millions of rows.
        sequence = (n // 15_000) * 2 + (1 if male else 0)
        joined = birth + datetime.timedelta(days=22 * 365)
        probationary = n % 20 == 0
        yield [
            branch_code,
            None,
            f"测试党员{n}",
            "男" if male else "女",
            "汉族",
            birth,
            "大学本科",
            make_id_number(BENCH_REGION, birth, sequence),
            f"139{n:08d}",
            joined,
            None if probationary else joined + datetime.timedelta(days=365),
            "预备党员" if probationary else "正式党员",
            "职员",
            "正常",
            "在职",
            5000 + n % 3000,
        ]


def _peak_rss_mib() -> float:
    # Linux reports ru_maxrss in KiB.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Command(BaseCommand):
    help = "导入性能测试:生成 N 行花名册并计时(解析+校验、写入分别计时),结束后回滚,不留数据。"

    def add_arguments(self, parser):
        parser.add_argument("--rows", type=int, default=10_000, help="行数(默认 10000)")
        parser.add_argument(
            "--trace-memory",
            action="store_true",
            help="用 tracemalloc 统计解析与校验阶段的 Python 内存峰值(会使解析变慢)",
        )

    def handle(self, *args, rows, trace_memory, **options):
        if rows < 1:
            raise CommandError("--rows 至少为 1")
        out = self.stdout
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "bench_roster.xlsx"
            tag = uuid.uuid4().hex[:8].upper()
            branch_code = f"BENCH-{tag}-B"
            started = time.perf_counter()
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(DATA_SHEET)
            ws.append([c.title for c in COLUMNS])
            for row in _rows(rows, branch_code):
                ws.append(row)
            wb.save(path)
            build_s = time.perf_counter() - started
            out.write(f"生成文件: {rows} 行, {path.stat().st_size / 1024:.0f} KiB, {build_s:.2f} s")

            figures = {}
            try:
                with transaction.atomic():
                    user = get_user_model().objects.create(username=f"bench-{tag}", is_superuser=True)
                    root = services.organization_create(
                        parent=None,
                        name=f"性能测试党委{tag}",
                        code=f"BENCH-{tag}",
                        kind=Organization.Kind.COMMITTEE,
                        established_on=datetime.date(2000, 1, 1),
                    )
                    services.organization_create(
                        parent=root,
                        name=f"性能测试党支部{tag}",
                        code=branch_code,
                        kind=Organization.Kind.BRANCH,
                        established_on=datetime.date(2000, 1, 1),
                    )
                    if trace_memory:
                        tracemalloc.start()
                    started = time.perf_counter()
                    with path.open("rb") as handle:
                        parsed = parse_roster(File(handle, name=path.name))
                    figures["parse"] = time.perf_counter() - started
                    started = time.perf_counter()
                    members, errors = validate_roster(parsed, user=user)
                    figures["validate"] = time.perf_counter() - started
                    if trace_memory:
                        figures["traced_peak_mib"] = tracemalloc.get_traced_memory()[1] / 1024 / 1024
                        tracemalloc.stop()
                    if errors:
                        raise CommandError(f"生成的数据未通过校验(不应发生):{errors[:5]}")
                    del parsed
                    started = time.perf_counter()
                    figures["imported"] = roster_members_create(members, user=user)
                    figures["write"] = time.perf_counter() - started
                    raise _Rollback
            except _Rollback:
                pass

        check = figures["parse"] + figures["validate"]
        total = check + figures["write"]
        out.write(f"数据库: {connection.vendor}")
        out.write(f"解析:       {figures['parse']:.2f} s")
        out.write(f"校验:       {figures['validate']:.2f} s")
        out.write(f"解析+校验:  {check:.2f} s  ({rows / check:,.0f} 行/秒)")
        out.write(f"写入:       {figures['write']:.2f} s  ({figures['imported'] / figures['write']:,.0f} 行/秒)")
        out.write(f"合计:       {total:.2f} s  ({rows / total:,.0f} 行/秒)")
        if "traced_peak_mib" in figures:
            out.write(f"解析+校验 Python 内存峰值(tracemalloc): {figures['traced_peak_mib']:.1f} MiB")
        out.write(f"进程内存峰值(RSS): {_peak_rss_mib():.0f} MiB")
        out.write("已回滚,数据库未留下任何数据。")
