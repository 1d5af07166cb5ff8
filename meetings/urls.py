"""/meetings/: the app's one urls module: the meeting pages, and its subjects' routes (meetings/records/urls.py: talks
and reviews) in the same namespace."""

from django.urls import include, path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("new/", views.meeting_create, name="meeting_create"),
    path("record/", views.meeting_quick_record, name="meeting_quick_record"),
    path("quick-plan/", views.plan_quick, name="plan_quick"),
    path("plan/", views.year_plan, name="year_plan"),
    path("calendar/", views.meeting_calendar, name="calendar"),
    path("<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("<int:pk>/record/", views.meeting_record, name="meeting_record"),
    path("<int:pk>/archive/", views.meeting_archive, name="meeting_archive"),
    path("<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("<int:pk>/amend/", views.meeting_amend, name="meeting_amend"),
    path("<int:pk>/attachments/", views.attachment_upload, name="attachment_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.attachment_delete, name="attachment_delete"),
    # 谈心谈话 / 民主评议党员 pages share the namespace.
    path("", include("meetings.records.urls")),
    # 党员大会 votes (resolutions) share it too.
    path("", include("meetings.votes.urls")),
]
