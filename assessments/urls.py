from django.urls import include, path

app_name = "assessments"
# One URL module per subject; they share the "assessments" namespace (no app_name of their own).
urlpatterns = [
    path("", include("assessments.dashboards.urls")),
    path("letters/", include("assessments.letters.urls")),
    path("rubrics/", include("assessments.rubrics.urls")),
    path("rectification/", include("assessments.rectification.urls")),
    path("inspections/", include("assessments.inspections.urls")),
]
