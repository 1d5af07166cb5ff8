"""Send the 换届 reminders due on a day; the daily Celery task runs the same service.

python manage.py send_term_reminders                    # today (Asia/Shanghai)
python manage.py send_term_reminders --today 2027-02-01 # replay a given day
"""

import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.reminders.terms import term_reminders_send, threshold_label


class Command(BaseCommand):
    help = "发送到期的换届提醒(届满前6/3/1个月及超期每周提醒),同一节点每届只发一次。"

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
        summary = term_reminders_send(today=day)
        self.stdout.write(f"{day:%Y-%m-%d} 换届提醒")
        if summary.sent:
            for threshold, count in summary.sent.items():
                self.stdout.write(f"  {threshold_label(threshold)}({threshold}):{count} 条")
        else:
            self.stdout.write("  无新提醒")
        self.stdout.write(
            f"  站内通知 {summary.notifications} 条;此前已发送(跳过) {summary.already_sent} 条;"
            f"无接收人 {summary.no_recipients} 个"
        )
