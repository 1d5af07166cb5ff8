"""考核细则 pages (no app_name: included by assessments/urls.py at "rubrics/" under "assessments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("score/<str:code>/", views.rubric_score, name="rubric_score"),
]
