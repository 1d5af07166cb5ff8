from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PointsConfig(AppConfig):
    name = "points"
    verbose_name = _("党员积分")

    def ready(self):
        # Lower apps show points through their registries (branches/panels.py, meetings/records/hooks.py): they never
        # import points.
        from branches import panels
        from meetings.records import hooks

        from . import panels as point_panels

        panels.register_home_section(point_panels.secretary_points)
        panels.register_member_badges(point_panels.member_stars)
        hooks.register_review_annotations(point_panels.review_points)
        hooks.register_grade_validator(point_panels.review_excellent_rule)
