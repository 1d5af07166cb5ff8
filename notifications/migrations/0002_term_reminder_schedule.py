"""The daily 换届 reminder schedule, as django_celery_beat rows so administrators can edit it in the admin
(周期任务). 07:00 Asia/Shanghai: before the working day starts."""

from django.db import migrations

from common.beat_schedules import crontab_task

create_schedule, remove_schedule = crontab_task(
    name="每日换届提醒",
    task="notifications.tasks.send_term_reminders",
    description="届满前6/3/1个月提醒,超期后每周提醒,直至录入新一届委员会(同一节点每届只发一次)。",
    minute="0",
    hour="7",
)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
