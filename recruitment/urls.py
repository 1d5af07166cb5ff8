"""/recruitment/: the path from applicant to full member. Nothing here deletes: there is no delete route."""

from django.urls import path

from . import views

app_name = "recruitment"
urlpatterns = [
    path("", views.index, name="index"),
    path("branch/<str:code>/", views.branch, name="branch"),
    path("branch/<str:code>/new/", views.person_new, name="person_new"),
    path("branch/<str:code>/register.xlsx", views.register_export, name="register_export"),
    path("branch/<str:code>/import/", views.people_import, name="people_import"),
    path("branch/<str:code>/import/template.xlsx", views.import_template, name="import_template"),
    path("org/<str:code>/", views.overview, name="overview"),
    path("org/<str:code>/plan/", views.plan_set, name="plan_set"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/record/", views.step_new, name="step_new"),
    path("people/<int:pk>/report/", views.report_new, name="report_new"),
    path("people/<int:pk>/transfer/", views.person_transfer, name="person_transfer"),
    path("people/<int:pk>/leave/", views.person_leave, name="person_leave"),
    path("people/<int:pk>/record.docx", views.record_docx, name="record_docx"),
    path("people/<int:pk>/publicity.docx", views.publicity_docx, name="publicity_docx"),
    path("people/<int:pk>/filing.docx", views.filing_docx, name="filing_docx"),
    path("steps/<int:pk>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:pk>/", views.document_download, name="document_download"),
]
