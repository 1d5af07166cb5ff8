from django.urls import include, path

app_name = "assessments"
# One module per capability; they share the "assessments" namespace (no app_name of their own).
urlpatterns = [
    path("", include("assessments.dashboard_urls")),
    path("letters/", include("assessments.letter_urls")),
]
