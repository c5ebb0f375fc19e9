from django.urls import path

from . import public_views

# The public listening surveys, under the campaign's open page: /open/<campaign>/surveys/<slug>/.
app_name = "open_surveys"
urlpatterns = [
    path("<slug:slug>/surveys/<slug:survey_slug>/", public_views.public_answer, name="answer"),
]
