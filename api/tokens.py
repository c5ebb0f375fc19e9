"""Who is calling: the ``OSDI-API-Token`` header, what a read-only token may do, the rate
limit per token, and the record of every call."""

from __future__ import annotations

from datetime import timedelta

import pghistory
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from accounts.access import roles_for
from audit.middleware import client_ip

from .models import ApiCall, Token

HEADER = "OSDI-API-Token"
LAST_USED_GRAIN = timedelta(minutes=1)


class OsdiTokenAuthentication(authentication.BaseAuthentication):
    """The token in the ``OSDI-API-Token`` header stands for its person, with exactly their
    scope in the app."""

    def authenticate(self, request):
        raw = request.headers.get(HEADER)
        if not raw:
            return None
        token = Token.find(raw.strip())
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("The token is unknown, revoked or expired."))
        return token.user, token

    def authenticate_header(self, request):
        return HEADER


class OsdiTokenScheme(OpenApiAuthenticationExtension):
    """Tells the OpenAPI schema (and so the documentation's "Authorize") of the header."""

    target_class = OsdiTokenAuthentication
    name = "OSDI-API-Token"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": HEADER}


class TokenAllows(permissions.BasePermission):
    """Signed in with a token; a read-only token only reads."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = request.auth
        if not isinstance(token, Token):
            return False
        return request.method in permissions.SAFE_METHODS or not token.read_only


class PerTokenThrottle(throttling.SimpleRateThrottle):
    """So many calls a minute for each token, counted in the default cache."""

    scope = "osdi_token"

    def get_cache_key(self, request, view):
        token = request.auth
        if not isinstance(token, Token):
            return None
        return self.cache_format % {"scope": self.scope, "ident": token.pk}


class RecordedCalls:
    """A mixin for the API's views: each call made with a token is written to the API call
    log, and the changes it makes carry the token in the audit trail's context."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        writes = request.method not in permissions.SAFE_METHODS
        if writes and isinstance(request.auth, Token) and connection.vendor == "postgresql":
            # The token's person, whom the middleware (before the token was read) did not know.
            self._history = pghistory.context(api_token=request.auth.pk, user=request.auth.user_id)
            self._history.__enter__()

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        history = getattr(self, "_history", None)
        if history is not None:
            history.__exit__(None, None, None)
        token = request.auth if isinstance(request.auth, Token) else None
        if token is not None:
            now = timezone.now()
            memberships = roles_for(token.user).memberships
            ApiCall.objects.create(
                token=token,
                user=token.user,
                local_id=min((m.local_id for m in memberships), default=None),
                method=request.method,
                path=request.get_full_path()[:500],
                status=response.status_code,
                ip=client_ip(request._request) or None,
                at=now,
            )
            # To the minute is enough to tell a used token from a forgotten one, and spares a
            # sync an update per page.
            if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRAIN:
                Token.objects.filter(pk=token.pk).update(last_used_at=now)
        return response
