"""The monthly overdue-record reminder schedule, as django_celery_beat rows editable in the admin (周期任务).
Day 1 of each month, 07:30 Asia/Shanghai: after the 07:00 换届 run, before the working day starts. Quarter and
year items are included automatically when the month just ended closes a quarter or the year."""

from django.db import migrations

from common.beat_schedules import crontab_task

create_schedule, remove_schedule = crontab_task(
    name="每月台账提醒",
    task="notifications.tasks.send_record_reminders",
    description=(
        "每月1日提醒各党支部上月(季末含本季度、年初含上年度)缺少的组织生活记录和连续3个月以上欠缴党费的党员;"
        "每支部每月只发一次,无缺项不发。"
    ),
    minute="30",
    hour="7",
    day_of_month="1",
)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_term_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
