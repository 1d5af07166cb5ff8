"""Responsibility letters (no app_name: included by assessments/urls.py at "letters/" under "assessments")."""

from django.urls import path

from .views import letters, ranking, templates

urlpatterns = [
    path("", letters.letter_list, name="letter_list"),
    path("templates/", templates.template_list, name="letter_template_list"),
    path("templates/new/", templates.template_create, name="letter_template_create"),
    path("templates/<int:pk>/", templates.template_edit, name="letter_template_edit"),
    path("templates/<int:pk>/issue/", templates.template_issue, name="letter_template_issue"),
    path("ranking/<str:code>/", ranking.ranking, name="letter_ranking"),
    path("<int:pk>/", letters.letter_detail, name="letter_detail"),
    path("<int:pk>/issue/", letters.letter_issue, name="letter_issue"),
    path("<int:pk>/sign/", letters.letter_sign, name="letter_sign"),
    path("<int:pk>/self-assessment/", letters.letter_self_assess, name="letter_self_assess"),
    path("<int:pk>/review/", letters.letter_review, name="letter_review"),
    path("<int:pk>/finalize/", letters.letter_finalize, name="letter_finalize"),
    path("<int:pk>/cascade/", letters.letter_cascade, name="letter_cascade"),
    path("<int:pk>/print/", letters.letter_print, name="letter_print"),
]
