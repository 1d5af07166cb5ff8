"""Routes for 谈心谈话 and 民主评议党员, included by meetings/urls.py (so names become `meetings:talk_list` …).

No app_name here on purpose: the routes live in the meetings namespace owned by meetings/urls.py."""

from django.urls import path

from . import views

urlpatterns = [
    path("talks/", views.talk_index, name="talk_index"),
    path("talks/<str:code>/", views.talk_list, name="talk_list"),
    path("talks/<str:code>/new/", views.talk_new, name="talk_new"),
    path("talks/<str:code>/<int:pk>/", views.talk_detail, name="talk_detail"),
    path("talks/<str:code>/<int:pk>/edit/", views.talk_edit, name="talk_edit"),
    path("talks/<str:code>/<int:pk>/delete/", views.talk_delete, name="talk_delete"),
    path("reviews/", views.review_index, name="review_index"),
    path("reviews/<str:code>/", views.review_list, name="review_list"),
    path("reviews/<str:code>/<int:year>/", views.review_year, name="review_year"),
    path("reviews/<str:code>/item/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<str:code>/item/<int:pk>/follow-up-done/", views.review_follow_up_done, name="review_follow_up_done"),
]
