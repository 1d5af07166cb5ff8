"""The daily 整改 reminder schedule (django_celery_beat, editable in the admin): 07:15 Asia/Shanghai, between the
07:00 换届 run and the monthly 07:30 record reminders."""

from django.db import migrations

from common.beat_schedules import crontab_task

create_schedule, remove_schedule = crontab_task(
    name="每日整改提醒",
    task="notifications.tasks.send_rectification_reminders",
    description="整改时限前7天、前1天提醒整改单位;逾期未报告的每7天提醒一次,并告知督办党组织。每个节点只发一次。",
    minute="15",
    hour="7",
)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0004_recruitment_reminders"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
