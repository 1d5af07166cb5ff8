from django.urls import path

from . import views

app_name = "points"

urlpatterns = [
    path("", views.index, name="index"),
    path("branch/<str:code>/", views.branch, name="branch"),
    path("branch/<str:code>/<int:year>/", views.branch_table, name="branch_table"),
    path("branch/<str:code>/<int:year>/export.xlsx", views.branch_export, name="branch_export"),
    path("branch/<str:code>/<int:year>/members/<int:pk>/", views.member_points, name="member_points"),
    path("branch/<str:code>/items/", views.item_list, name="item_list"),
    path("branch/<str:code>/items/new/", views.item_new, name="item_new"),
    path("branch/<str:code>/publications/", views.publication_list, name="publication_list"),
    path("items/<int:pk>/", views.item_detail, name="item_detail"),
    path("items/<int:pk>/approve/", views.item_approve, name="item_approve"),
    path("items/<int:pk>/refuse/", views.item_refuse, name="item_refuse"),
    path("evidence/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("publications/<int:pk>/", views.publication_detail, name="publication_detail"),
    path("objections/<int:pk>/answer/", views.objection_answer, name="objection_answer"),
    path("committee/<str:code>/<int:year>/", views.committee, name="committee"),
    path("committee/<str:code>/<int:year>/rules/", views.rules, name="rules"),
    path("rule-sets/<int:pk>/edit/", views.rule_set_edit, name="rule_set_edit"),
    path("rule-sets/<int:pk>/rules/new/", views.rule_new, name="rule_new"),
    path("rules/<int:pk>/edit/", views.rule_edit, name="rule_edit"),
]
