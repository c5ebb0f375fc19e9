from django.urls import path

from .views import public

# Under /open/<campaign>/petitions/: no sign-in.
app_name = "petition_public"

urlpatterns = [
    path("<slug:petition_slug>/", public.petition_page, name="page"),
    path("<slug:petition_slug>/confirm/<str:token>/", public.confirm, name="confirm"),
]
