"""/api/v1/ routes of the branches app, its subjects' included (this module is the one config/api_urls.py includes)."""

from django.urls import include, path
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
    path("", include("branches.dues.api_urls")),
]
