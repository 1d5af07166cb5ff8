from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    # Its own app: reminders and notifications serve branches, meetings and assessments alike.
    name = "notifications"
    verbose_name = _("提醒与通知")

    def ready(self):
        # The dashboards' gap page shows what the branch was reminded of (assessments may not import notifications).
        from assessments.dashboards.gap import register_gap_panel

        from .panels import gap_reminders

        register_gap_panel(gap_reminders)
