from django.utils import timezone

from .zones import zone_for_request


class LocalTimeMiddleware:
    """Every date and time of a request (views, forms, templates, htmx fragments) is in the
    zone of the local whose object the page shows; the zone is forgotten when the request
    ends, so the next request on this thread starts from the default."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(self, request, view_func, view_args, view_kwargs):
        zone = zone_for_request(request, view_func, view_kwargs)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        return None
