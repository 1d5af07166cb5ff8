"""Dashboards (no app_name: included by assessments/urls.py under the "assessments" namespace)."""

from django.urls import path

from . import overviews, screen, views

urlpatterns = [
    path("", views.dashboard_home, name="dashboards"),
    path("scorecard/<str:code>/", views.scorecard, name="scorecard"),
    path("committee/<str:code>/", views.committee_dashboard, name="committee_dashboard"),
    path("sasac/", views.sasac_dashboard, name="sasac_dashboard"),
    path("screen/sasac/", screen.sasac_screen, name="sasac_screen"),
    path("screen/committee/<str:code>/", screen.committee_screen, name="committee_screen"),
    path("overview/<str:subject>/", overviews.coverage_overview, name="coverage_overview"),
    path("gap/<str:code>/<str:indicator>/<str:period>/", views.gap, name="gap"),
]
