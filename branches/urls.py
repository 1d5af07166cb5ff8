from django.urls import include, path

from . import views

app_name = "branches"
urlpatterns = [
    path("", views.home, name="home"),
    path("orgs/", views.organization_tree, name="tree"),
    path("orgs/<str:code>/", views.organization_detail, name="org_detail"),
    path("orgs/<str:code>/new/", views.organization_create, name="org_create"),
    path("orgs/<str:code>/edit/", views.organization_edit, name="org_edit"),
    path("orgs/<str:code>/terms/new/", views.term_start, name="term_start"),
    path("orgs/<str:code>/election/new/", views.election_step_create, name="election_step_create"),
    path("terms/<int:pk>/", views.term_detail, name="term_detail"),
    path("terms/<int:pk>/extend/", views.term_extend, name="term_extend"),
    path("terms/<int:pk>/early-election/", views.term_early_election, name="term_early_election"),
    path("members/", views.member_list, name="member_list"),
    path("members/new/", views.member_create, name="member_create"),
    path("members/<int:pk>/", views.member_detail, name="member_detail"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/transfer/", views.member_transfer, name="member_transfer"),
    path("members/<int:pk>/leave/", views.member_leave, name="member_leave"),
    # The subjects' own routes (花名册 import, 党费), mounted inside this URLconf with their names unchanged.
    path("roster/", include("branches.roster.urls")),
    path("dues/", include("branches.dues.urls")),
]
