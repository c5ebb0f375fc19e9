from allauth.account.adapter import get_adapter
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import connection
from pghistory.middleware import HistoryMiddleware


def client_ip(request) -> str:
    """allauth's notion of the client's address: the one TRUSTED_PROXY_COUNT says (what a
    trusted proxy saw, never what a client claims), as for the rate limits."""
    try:
        return get_adapter(request).get_client_ip(request)
    except (PermissionDenied, ImproperlyConfigured):
        return ""  # no usable address: record the change without one rather than refuse it


class AuditMiddleware(HistoryMiddleware):
    """Attach the signed-in user and the client's address to every change the request makes.

    The context travels to the triggers as PostgreSQL session variables, so on SQLite (where
    there are no triggers) the request passes through untouched.
    """

    def get_context(self, request):
        return {**super().get_context(request), "ip": client_ip(request)}

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
