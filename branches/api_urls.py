"""/api/v1/ routes of the branches app (included by config/api_urls.py)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from . import api

# SimpleRouter, not DefaultRouter: /api/v1/ is shared with other apps, so no router claims its root.
router = SimpleRouter()
router.register("organizations", api.OrganizationViewSet, basename="api-organization")
router.register("members", api.MemberViewSet, basename="api-member")
router.register("terms", api.TermViewSet, basename="api-term")

urlpatterns = [
    path("auth/token/", api.TokenView.as_view(), name="api-token"),
    *router.urls,
]
