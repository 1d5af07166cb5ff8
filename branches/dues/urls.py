"""党费 routes, included at /dues/ by branches/urls.py (names become `branches:dues_month` …). No app_name on purpose."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.dues_index, name="dues_index"),
    path("<str:code>/", views.dues_year, name="dues_year"),
    path("<str:code>/<str:month>/", views.dues_month, name="dues_month"),
]
