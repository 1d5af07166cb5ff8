"""python manage.py export_ledger --org <code> --year <yyyy> -o <file.xlsx>

A branch's 三本一表 workbook; for a committee or 党总支, a zip of the workbooks of every branch under it (the same
services as the web download and the Celery task)."""

import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from branches.models import Organization
from ledgers import services


class Command(BaseCommand):
    help = "导出党支部“三本一表”Excel台账(党委/党总支导出下级全部支部的 zip)"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="组织编码")
        parser.add_argument("--year", type=int, default=None, help="年度(默认今年)")
        parser.add_argument("-o", "--output", required=True, help="输出文件(.xlsx;党委/党总支为 .zip)")

    def handle(self, *args, org, year, output, **options):
        organization = Organization.objects.filter(code=org).first()
        if organization is None:
            raise CommandError(f"没有编码为 {org} 的组织。")
        year = year or timezone.localdate().year
        started = time.monotonic()
        try:
            services.check_year(year)
            if organization.kind == Organization.Kind.BRANCH:
                counts = services.ledger_write(branch=organization, year=year, out=output)
                summary = ",".join(f"{name} {n} 行" for name, n in counts.items())
            elif organization.kind == Organization.Kind.GROUP:
                raise CommandError("党小组没有单独的台账,请指定党支部或上级组织。")
            else:
                total = services.ledger_export_subtree(organization=organization, year=year, path=output)
                summary = f"{total} 个党支部"
        except ValidationError as exc:
            raise CommandError(";".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"已导出 {organization.name} {year}年三本一表 → {output}({summary},用时 {time.monotonic() - started:.1f} 秒)"
            )
        )
