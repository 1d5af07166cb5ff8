"""The ledger export cleanup schedule, as a django_celery_beat row so administrators can edit it in the admin
(周期任务): every 15 minutes, remove export files past LEDGER_EXPORT_RETENTION_HOURS and fail stale jobs."""

from django.db import migrations

from common.beat_schedules import crontab_task

create_schedule, remove_schedule = crontab_task(
    name="台账导出文件清理",
    task="ledgers.tasks.cleanup_ledger_exports",
    description="删除超过保留期限的台账导出文件;长时间无进展或未被执行的导出任务标记为失败。",
    minute="*/15",
)


class Migration(migrations.Migration):
    dependencies = [
        ("ledgers", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedule, remove_schedule)]
