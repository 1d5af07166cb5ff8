from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    # Its own app: reminders and notifications serve branches, meetings and assessments alike.
    name = "notifications"
    verbose_name = _("提醒与通知")
