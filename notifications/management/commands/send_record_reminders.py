"""Send the overdue-record reminders for the period(s) that ended before a day; the monthly Celery task runs the
same service.

python manage.py send_record_reminders                    # today (Asia/Shanghai): the month just ended
python manage.py send_record_reminders --today 2026-11-01 # replay a given day
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders.records import record_reminders_send


class Command(BaseCommand):
    help = "提醒各党支部上月(季末含本季度、年初含上年度)缺少的组织生活记录和连续3个月以上欠缴党费的党员,每支部每月只发一次。"

    def add_arguments(self, parser):
        parser.add_argument("--today", help="按哪一天计算,格式 YYYY-MM-DD;默认今天(北京时间)")

    def handle(self, *args, today=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD:{today}") from exc
        else:
            day = timezone.localdate()
        summary = record_reminders_send(today=day)
        self.stdout.write(f"{day:%Y-%m-%d} 台账提醒(所属期间 {summary.period})")
        self.stdout.write(
            f"  检查支部 {summary.checked} 个;发送提醒 {summary.sent} 个,站内通知 {summary.notifications} 条"
            f"(缺记录 {summary.missing_items} 项,欠缴党员 {summary.arrears_members} 人)"
        )
        self.stdout.write(
            f"  无缺项 {summary.complete} 个;此前已发送(跳过) {summary.already_sent} 个;无接收人 {summary.no_recipients} 个"
        )
