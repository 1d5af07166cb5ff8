from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls")),
    path("api/v1/", include("config.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view serves Swagger UI's start-up script as a file, so the CSP needs no exemption for it.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    path("meetings/", include("meetings.urls")),
    path("assessments/", include("assessments.urls")),
    path("notifications/", include("notifications.urls")),
    path("ledgers/", include("ledgers.urls")),
    path("recruitment/", include("recruitment.urls")),
    path("points/", include("points.urls")),
    path("", include("branches.urls")),
]
# No route serves MEDIA_ROOT, not even with DEBUG: uploads and exports go out only through views that check access
# (common.http.protected_file_response), so the demo behaves as production does.
