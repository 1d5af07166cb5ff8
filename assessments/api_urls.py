"""/api/v1/ routes of assessments (included by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .indicators import api
from .inspections.api import InspectionRoundViewSet
from .rectification.api import RectificationItemViewSet
from .rubrics.api import RubricViewSet

router = SimpleRouter()
router.register("rubrics", RubricViewSet, basename="api-rubric")
router.register("inspection-rounds", InspectionRoundViewSet, basename="api-inspection-round")
router.register("rectification-items", RectificationItemViewSet, basename="api-rectification-item")

urlpatterns = [
    path("indicators/results/", api.IndicatorResultsView.as_view(), name="api-indicator-results"),
    path("indicators/summary/", api.IndicatorSummaryView.as_view(), name="api-indicator-summary"),
    *router.urls,
]
