from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import pages, petitions, resources, surveys, tags, writes

app_name = "api"

urlpatterns = [
    path("v1/", resources.Aep.as_view(), name="aep"),
    path("v1/people/", resources.People.as_view(), name="people"),
    path(
        "v1/people/person_signup_helper/",
        writes.PersonSignupHelper.as_view(),
        name="person_signup_helper",
    ),
    path("v1/people/<uuid:uuid>/", resources.Person.as_view(), name="person"),
    path(
        "v1/people/supporters/<uuid:uuid>/",
        resources.SupporterPerson.as_view(),
        name="supporter",
    ),
    path("v1/tags/", tags.Tags.as_view(), name="tags"),
    path("v1/tags/<uuid:uuid>/", tags.Tag.as_view(), name="tag"),
    path("v1/tags/<uuid:uuid>/taggings/", tags.Taggings.as_view(), name="taggings"),
    path("v1/events/", resources.Events.as_view(), name="events"),
    path("v1/events/<uuid:uuid>/", resources.Event.as_view(), name="event"),
    path(
        "v1/events/<uuid:uuid>/attendances/",
        resources.Attendances.as_view(),
        name="attendances",
    ),
    path(
        "v1/events/<uuid:uuid>/attendances/<uuid:attendance>/",
        resources.Attendance.as_view(),
        name="attendance",
    ),
    path("v1/petitions/", petitions.Petitions.as_view(), name="petitions"),
    path("v1/petitions/<uuid:uuid>/", petitions.PetitionDetail.as_view(), name="petition"),
    path(
        "v1/petitions/<uuid:uuid>/signatures/",
        petitions.Signatures.as_view(),
        name="signatures",
    ),
    path(
        "v1/petitions/<uuid:uuid>/signatures/<uuid:signature>/",
        petitions.SignatureDetail.as_view(),
        name="signature",
    ),
    path("v1/forms/", surveys.Forms.as_view(), name="forms"),
    path("v1/forms/<uuid:uuid>/", surveys.Form.as_view(), name="form"),
    path("v1/forms/<uuid:uuid>/submissions/", surveys.Submissions.as_view(), name="submissions"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("tokens/", pages.tokens, name="tokens"),
    path("tokens/new/", pages.new_token, name="new_token"),
    path("tokens/<int:pk>/revoke/", pages.revoke_token, name="revoke_token"),
    path("webhooks/<slug:slug>/", pages.webhooks, name="webhooks"),
    path("webhooks/hook/<int:pk>/", pages.webhook, name="webhook"),
    path("webhooks/hook/<int:pk>/remove/", pages.remove_webhook, name="remove_webhook"),
]
