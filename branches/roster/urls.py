"""党员花名册 import, mounted at /roster/ by branches/urls.py."""

from django.urls import path

from . import views as views_roster

urlpatterns = [
    path("", views_roster.roster_index, name="branches_roster"),
    path("template.xlsx", views_roster.roster_template, name="branches_roster_template"),
    path("import/", views_roster.roster_import, name="branches_roster_import"),
]
