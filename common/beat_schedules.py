"""Schedules shipped by data migrations as django_celery_beat rows, so administrators can edit them in the admin
(周期任务). Migrations call `crontab_task()`; it reads models through the migration's `apps`, so it stays valid
whatever the current models look like, and it is idempotent (get_or_create)."""

TIMEZONE = "Asia/Shanghai"


def crontab_task(*, name: str, task: str, description: str, minute="*", hour="*", day_of_month="*"):
    """(create, remove) functions for migrations.RunPython: one named periodic task on a crontab schedule."""

    def create(apps, schema_editor):
        from django.utils import timezone

        CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
        PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
        PeriodicTasks = apps.get_model("django_celery_beat", "PeriodicTasks")
        crontab, _ = CrontabSchedule.objects.get_or_create(
            minute=minute,
            hour=hour,
            day_of_week="*",
            day_of_month=day_of_month,
            month_of_year="*",
            timezone=TIMEZONE,
        )
        PeriodicTask.objects.get_or_create(
            name=name,
            defaults={"task": task, "crontab": crontab, "enabled": True, "description": description},
        )
        # Historical models send no signals: tell a running beat that the schedule changed.
        PeriodicTasks.objects.update_or_create(ident=1, defaults={"last_update": timezone.now()})

    def remove(apps, schema_editor):
        apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name=name, task=task).delete()

    return create, remove
