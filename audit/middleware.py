from django.db import connection
from pghistory.middleware import HistoryMiddleware


class AuditMiddleware(HistoryMiddleware):
    """Attach the signed-in user and the address to every change the request makes.

    The context travels to the triggers as PostgreSQL session variables, so on SQLite (where
    there are no triggers) the request passes through untouched.
    """

    def __call__(self, request):
        if connection.vendor != "postgresql":
            return self.get_response(request)
        return super().__call__(request)
