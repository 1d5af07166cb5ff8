"""/api/v1/indicators/... (included by config/api_urls.py)."""

from django.urls import path

from .indicators import api

urlpatterns = [
    path("indicators/results/", api.IndicatorResultsView.as_view(), name="api-indicator-results"),
    path("indicators/summary/", api.IndicatorSummaryView.as_view(), name="api-indicator-summary"),
]
