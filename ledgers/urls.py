from django.urls import path

from . import views

app_name = "ledgers"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("export/", views.export_new, name="export_new"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/status/", views.job_status, name="job_status"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    # One branch's workbook: /ledgers/<code>/<year>.xlsx, or /ledgers/<code>/ledger.xlsx?year=<yyyy> (default: this year).
    path("<str:code>/<int:year>.xlsx", views.branch_ledger, name="branch_ledger"),
    path("<str:code>/ledger.xlsx", views.branch_ledger, name="branch_ledger_current"),
    # The same workbook as PDF (LibreOffice): /ledgers/<code>/<year>.pdf, /ledgers/<code>/ledger.pdf?year=<yyyy>.
    path("<str:code>/<int:year>.pdf", views.branch_ledger_pdf, name="branch_ledger_pdf"),
    path("<str:code>/ledger.pdf", views.branch_ledger_pdf, name="branch_ledger_pdf_current"),
]
