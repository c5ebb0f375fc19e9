from django.urls import path

from . import public_views, views

app_name = "surveys"
urlpatterns = [
    path("campaign/<slug:slug>/", views.survey_list, name="list"),
    path("campaign/<slug:slug>/new/", views.survey_create, name="create"),
    path("<int:pk>/", views.survey_detail, name="detail"),
    path("<int:pk>/edit/", views.survey_edit, name="edit"),
    path("<int:pk>/questions/", views.question_add, name="question_add"),
    path("questions/<int:pk>/delete/", views.question_delete, name="question_delete"),
    path("<int:pk>/open/", views.survey_open, name="open"),
    path("<int:pk>/close/", views.survey_close, name="close"),
    path("<int:pk>/results/", views.survey_results, name="results"),
    path("answers/<int:pk>/finding/", views.answer_finding, name="answer_finding"),
    path("<int:pk>/links/", views.survey_links, name="links"),
    path("member/<int:pk>/", views.member_surveys, name="member"),
    path("<int:pk>/member/<int:member_pk>/", views.record, name="record"),
    # A member's personal link: its random token names no person (surveys.SurveyLink).
    path("s/<str:token>/", public_views.personal, name="personal"),
]
