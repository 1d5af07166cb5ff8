"""考核细则 pages (no app_name: included by assessments/urls.py at "rubrics/" under "assessments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.rubric_list, name="rubric_list"),
    path("new/<str:code>/", views.rubric_new, name="rubric_new"),
    path("<int:pk>/", views.rubric_detail, name="rubric_detail"),
    path("<int:pk>/edit/", views.rubric_edit, name="rubric_edit"),
    path("<int:pk>/copy/", views.rubric_copy, name="rubric_copy"),
    path("score/<str:code>/", views.rubric_score, name="rubric_score"),
]
