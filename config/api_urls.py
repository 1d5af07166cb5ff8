"""/api/v1/: each app contributes its own routes."""

from django.urls import include, path

urlpatterns = [
    path("", include("branches.api_urls")),
    path("", include("meetings.api_urls")),
    path("", include("assessments.api_urls")),
    path("recruitment/", include("recruitment.api_urls")),
    path("points/", include("points.api_urls")),
]
