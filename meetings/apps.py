from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "meetings"
    verbose_name = _("组织生活")

    def ready(self):
        # branches' pages show meetings' sections through branches/panels.py (branches never imports meetings).
        from branches import panels

        from . import panels as meeting_panels

        panels.register_home_section(meeting_panels.secretary_todo)
        panels.register_organization_panel(meeting_panels.organization_meetings)
