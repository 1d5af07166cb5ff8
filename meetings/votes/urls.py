from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/resolutions/new/", views.resolution_create, name="resolution_create"),
    path("<int:pk>/election/", views.election_record, name="election_record"),
]
