from django.urls import path

from . import views

app_name = "demands"

urlpatterns = [
    path("", views.demand_list, name="list"),
    path("new/", views.demand_create, name="create"),
    path("<int:pk>/", views.demand_detail, name="detail"),
    path("<int:pk>/edit/", views.demand_edit, name="edit"),
    path("<int:pk>/translations/", views.demand_translations, name="translations"),
    path("<int:pk>/history/", views.demand_history, name="history"),
    path("<int:pk>/status/", views.demand_transition, name="transition"),
    path("<int:pk>/comments/", views.demand_comment, name="comment"),
    path("<int:pk>/endorse/", views.demand_endorse, name="endorse"),
    path("<int:pk>/unendorse/", views.demand_unendorse, name="unendorse"),
    path("<int:pk>/publish/", views.demand_publish, name="publish"),
    path("<int:pk>/unpublish/", views.demand_unpublish, name="unpublish"),
    path("<int:pk>/decisions/new/", views.decision_ask, name="decision_ask"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/close/", views.decision_close, name="decision_close"),
    path("decisions/<int:pk>/cancel/", views.decision_cancel, name="decision_cancel"),
    path("adoption-rule/<slug:slug>/", views.adoption_rule, name="adoption_rule"),
    path("<int:pk>/amendments/new/", views.amendment_propose, name="amendment_propose"),
    path("amendments/<int:pk>/", views.amendment_detail, name="amendment"),
    path("amendments/<int:pk>/accept/", views.amendment_accept, name="amendment_accept"),
    path("amendments/<int:pk>/decline/", views.amendment_decline, name="amendment_decline"),
    path("amendments/<int:pk>/withdraw/", views.amendment_withdraw, name="amendment_withdraw"),
    path("amendments/<int:pk>/rebase/", views.amendment_rebase, name="amendment_rebase"),
    path("<int:pk>/merge/", views.demand_merge, name="merge"),
    path("from-finding/<int:pk>/", views.demand_from_finding, name="from_finding"),
    path("power-map/", views.target_list, name="targets"),
    path("power-map/new/", views.target_create, name="target_create"),
    path("power-map/<int:pk>/", views.target_detail, name="target"),
    path("power-map/<int:pk>/edit/", views.target_edit, name="target_edit"),
    path("power-map/<int:pk>/members/", views.target_mapping, name="target_mapping"),
]
