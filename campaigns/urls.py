from django.urls import path

from .views import field, members, organize, plan, progress, roster_import

app_name = "campaigns"

urlpatterns = [
    path("new/", plan.campaign_create, name="create"),
    path("buildings/", organize.building_list, name="buildings"),
    path("buildings/<int:pk>/", organize.building_detail, name="building"),
    path("buildings/<int:pk>/edit/", organize.building_edit, name="building_edit"),
    path("buildings/<int:pk>/organize/", organize.building_organize, name="building_organize"),
    path("buildings/<int:pk>/meetings/new/", organize.meeting_log, name="meeting_log"),
    path("my-buildings/", organize.my_buildings, name="my_buildings"),
    path("field/data/", field.field_data, name="field_data"),
    path("field/sync/", field.field_sync, name="field_sync"),
    path("members/", members.member_list, name="members"),
    path("members/export/", members.member_export, name="member_export"),
    path(
        "members/export/xlsx/",
        members.member_export,
        {"kind": "xlsx"},
        name="member_export_xlsx",
    ),
    path("members/import/", roster_import.import_upload, name="import_upload"),
    path("members/import/history/", roster_import.import_history, name="import_history"),
    path("members/import/<int:pk>/sheet/", roster_import.import_sheet, name="import_sheet"),
    path("members/import/<int:pk>/", roster_import.import_mapping, name="import_mapping"),
    path("members/import/<int:pk>/preview/", roster_import.import_preview, name="import_preview"),
    path(
        "members/import/<int:pk>/changes.csv", roster_import.import_changes, name="import_changes"
    ),
    path(
        "members/import/<int:pk>/skipped.csv", roster_import.import_skipped, name="import_skipped"
    ),
    path("members/import/<int:pk>/run/", roster_import.import_run, name="import_run"),
    path("members/import/<int:pk>/done/", roster_import.import_detail, name="import_detail"),
    path("members/import/<int:pk>/undo/", roster_import.import_undo, name="import_undo"),
    path("members/<int:pk>/", members.member_detail, name="member"),
    path("members/<int:pk>/edit/", members.member_edit, name="member_edit"),
    path("members/<int:pk>/conversation/", organize.conversation_log, name="conversation_log"),
    path(
        "tests/<int:test_pk>/members/<int:member_pk>/toggle/",
        organize.participation_toggle,
        name="participation_toggle",
    ),
    path("milestones/<int:pk>/edit/", plan.milestone_edit, name="milestone_edit"),
    path("milestones/<int:pk>/toggle/", plan.milestone_toggle, name="milestone_toggle"),
    path("teams/<int:pk>/", plan.team_detail, name="team"),
    path("teams/<int:pk>/edit/", plan.team_edit, name="team_edit"),
    path("teams/<int:pk>/tasks/", plan.task_add, name="task_add"),
    path("tasks/<int:pk>/toggle/", plan.task_toggle, name="task_toggle"),
    path("<slug:slug>/", plan.campaign_detail, name="detail"),
    path("<slug:slug>/plan/", plan.plan_edit, name="plan_edit"),
    path("<slug:slug>/milestones/new/", plan.milestone_add, name="milestone_add"),
    path(
        "<slug:slug>/structure-tests/new/",
        organize.structure_test_add,
        name="structure_test_add",
    ),
    path("<slug:slug>/dashboard/", progress.organizing_dashboard, name="dashboard"),
    path("<slug:slug>/assessment/", progress.assessment, name="assessment"),
]
