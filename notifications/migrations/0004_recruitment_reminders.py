"""发展党员 reminders: the notification kind, and the daily schedule as django_celery_beat rows editable in the admin
(周期任务). Every day at 07:15 Asia/Shanghai: between the 07:00 换届 run and the 07:30 台账 run."""

from django.db import migrations, models

from common.beat_schedules import crontab_task

create_schedule, remove_schedule = crontab_task(
    name="每日发展党员提醒",
    task="notifications.tasks.send_recruitment_reminders",
    description=(
        "每日提醒各党支部发展党员各步骤的期限:到期前14天、3天各提醒一次,超期后每周提醒一次;"
        "上级党委的步骤(备案、预审、谈话、审批)同时提醒党委工作人员。每项提醒只发一次。"
    ),
    minute="15",
    hour="7",
)


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0003_record_reminder_schedule"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("term_reminder", "换届提醒"),
                    ("record_reminder", "台账提醒"),
                    ("recruitment_reminder", "发展党员提醒"),
                    ("export", "导出完成"),
                    ("general", "通知"),
                ],
                default="general",
                max_length=30,
                verbose_name="类别",
            ),
        ),
        migrations.RunPython(create_schedule, remove_schedule),
    ]
