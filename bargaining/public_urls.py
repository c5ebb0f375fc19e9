from django.urls import path  # noqa: F401

# The public open-bargaining pages under /open/: no sign-in, only what leaders published.
app_name = "open"

urlpatterns: list = []
