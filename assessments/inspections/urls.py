"""观摩/督查 pages (no app_name: included by assessments/urls.py at "inspections/" under "assessments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.round_list, name="inspection_list"),
    path("showcases/", views.showcase_list, name="inspection_showcases"),
    path("new/<str:code>/", views.round_new, name="inspection_new"),
    path("<int:pk>/showcases/new/", views.showcase_new, name="inspection_showcase_new"),
    path("<int:pk>/", views.round_detail, name="inspection_detail"),
    path("<int:pk>/finish/", views.round_finish, name="inspection_finish"),
    path("<int:pk>/export/", views.round_export, name="inspection_export"),
    path("<int:pk>/visit/<str:code>/", views.round_visit, name="inspection_visit"),
]
