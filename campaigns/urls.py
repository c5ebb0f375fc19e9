from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("new/", views.campaign_create, name="create"),
    path("buildings/", views.building_list, name="buildings"),
    path("buildings/<int:pk>/", views.building_detail, name="building"),
    path("buildings/<int:pk>/organize/", views.building_organize, name="building_organize"),
    path("buildings/<int:pk>/meetings/new/", views.meeting_log, name="meeting_log"),
    path("my-buildings/", views.my_buildings, name="my_buildings"),
    path("members/", views.member_list, name="members"),
    path("members/export/", views.member_export, name="member_export"),
    path("members/import/", views.import_upload, name="import_upload"),
    path("members/import/<int:pk>/", views.import_mapping, name="import_mapping"),
    path("members/import/<int:pk>/preview/", views.import_preview, name="import_preview"),
    path("members/import/<int:pk>/run/", views.import_run, name="import_run"),
    path("members/<int:pk>/", views.member_detail, name="member"),
    path("members/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("members/<int:pk>/conversation/", views.conversation_log, name="conversation_log"),
    path(
        "tests/<int:test_pk>/members/<int:member_pk>/toggle/",
        views.participation_toggle,
        name="participation_toggle",
    ),
    path("milestones/<int:pk>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/toggle/", views.milestone_toggle, name="milestone_toggle"),
    path("teams/<int:pk>/", views.team_detail, name="team"),
    path("teams/<int:pk>/edit/", views.team_edit, name="team_edit"),
    path("teams/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("tasks/<int:pk>/toggle/", views.task_toggle, name="task_toggle"),
    path("<slug:slug>/", views.campaign_detail, name="detail"),
    path("<slug:slug>/plan/", views.plan_edit, name="plan_edit"),
    path("<slug:slug>/milestones/new/", views.milestone_add, name="milestone_add"),
    path("<slug:slug>/structure-tests/new/", views.structure_test_add, name="structure_test_add"),
    path("<slug:slug>/dashboard/", views.organizing_dashboard, name="dashboard"),
    path("<slug:slug>/assessment/", views.assessment, name="assessment"),
]
