from django.urls import path

from . import views

app_name = "partners"

# The partner portal is also a page of this namespace, at "portal/": it reads demands and
# actions, which come after partners, so config/urls.py adds it from bargaining/portal.py.

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<int:pk>/", views.organisation_detail, name="detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="edit"),
    path("<int:pk>/mapping/", views.organisation_mapping, name="mapping"),
    path("<int:pk>/contacts/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", views.contact_delete, name="contact_delete"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/findings/", views.finding_create, name="finding_create"),
    path("<int:pk>/support/new/", views.support_create, name="support_create"),
    path("support/<int:pk>/document/", views.support_document, name="support_document"),
]
