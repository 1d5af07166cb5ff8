from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("考核评价")

    def ready(self):
        # The secretary's home shows their open 整改 items through branches/panels.py (branches never imports us).
        from branches import panels

        from .rectification import panels as rectification_panels

        panels.register_home_section(rectification_panels.secretary_rectification)
