from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/resolutions/new/", views.resolution_create, name="resolution_create"),
]
