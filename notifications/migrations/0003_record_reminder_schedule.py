"""The monthly overdue-record reminder schedule, as django_celery_beat rows editable in the admin (周期任务).
Day 1 of each month, 07:30 Asia/Shanghai: after the 07:00 换届 run, before the working day starts. Quarter and
year items are included automatically when the month just ended closes a quarter or the year."""

from django.db import migrations

TASK = "notifications.tasks.send_record_reminders"
NAME = "每月台账提醒"


def create_schedule(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
    from django.utils import timezone

    crontab, _ = CrontabSchedule.objects.get_or_create(
        minute="30",
        hour="7",
        day_of_week="*",
        day_of_month="1",
        month_of_year="*",
        timezone="Asia/Shanghai",
    )
    PeriodicTask.objects.get_or_create(
        name=NAME,
        defaults={
            "task": TASK,
            "crontab": crontab,
            "enabled": True,
            "description": "每月1日提醒各党支部上月(季末含本季度、年初含上年度)缺少的组织生活记录和连续3个月以上欠缴党费的党员;"
            "每支部每月只发一次,无缺项不发。",
        },
    )
    # Historical models send no signals: tell a running beat that the schedule changed.
    PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})


def remove_schedule(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name=NAME, task=TASK).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_term_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
