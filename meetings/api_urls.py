"""/api/v1/ routes of the meetings app (included by config/api_urls.py)."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from . import api

# SimpleRouter: /api/v1/ is shared with other apps, so no router claims its root.
router = SimpleRouter()
router.register("meetings", api.MeetingViewSet, basename="api-meeting")

urlpatterns = [*router.urls]

urlpatterns.append(path("", include("meetings.records_api_urls")))
