from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "recruitment"
    verbose_name = _("发展党员")

    def ready(self):
        # The secretary's home page shows overdue 发展党员 steps beside the meetings owed (branches/panels.py).
        from branches import panels

        from . import panels as recruitment_panels

        panels.register_home_section(recruitment_panels.secretary_overdue_steps)
