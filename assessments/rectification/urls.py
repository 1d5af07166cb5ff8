"""整改 pages (no app_name: included by assessments/urls.py at "rectification/" under "assessments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.item_list, name="rectification_list"),
    path("<int:pk>/", views.item_detail, name="rectification_detail"),
    path("<int:pk>/report/", views.item_report, name="rectification_report"),
    path("<int:pk>/confirm/", views.item_confirm, name="rectification_confirm"),
    path("<int:pk>/dismiss/", views.item_dismiss, name="rectification_dismiss"),
    path("<int:pk>/return/", views.item_return, name="rectification_return"),
    path("<int:pk>/close/", views.item_close, name="rectification_close"),
    path("evidence/<int:pk>/", views.evidence_file, name="rectification_evidence"),
    path("proposals/<str:code>/", views.proposal_list, name="rectification_proposals"),
    path("dashboard/<str:code>/", views.dashboard, name="rectification_dashboard"),
    path("export/<str:code>/", views.export, name="rectification_export"),
]
