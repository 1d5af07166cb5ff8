"""/api/v1/points/ routes (included by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("rule-sets", api.RuleSetViewSet, basename="api-point-rule-set")
router.register("items", api.ManualItemViewSet, basename="api-point-item")

urlpatterns = [
    path("branches/<str:code>/", api.BranchPointsView.as_view(), name="api-points-branch"),
    *router.urls,
]
