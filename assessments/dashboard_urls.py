"""Dashboards (no app_name: included by assessments/urls.py under the "assessments" namespace)."""

from django.urls import path

from .views import dashboards

urlpatterns = [
    path("", dashboards.dashboard_home, name="dashboards"),
    path("scorecard/<str:code>/", dashboards.scorecard, name="scorecard"),
    path("committee/<str:code>/", dashboards.committee_dashboard, name="committee_dashboard"),
    path("sasac/", dashboards.sasac_dashboard, name="sasac_dashboard"),
]
