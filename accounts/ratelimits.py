"""Keys for the public forms' rate limits (allauth's, ``ACCOUNT_RATE_LIMITS``, in the default
cache). The cache holds only a keyed hash of the visitor's address or email, so it keeps
neither; the client's address is the one ``TRUSTED_PROXY_COUNT`` says."""

from __future__ import annotations

from allauth.account.adapter import get_adapter
from django.utils.crypto import salted_hmac


def hashed_key(purpose: str, *parts: object) -> str:
    """A rate limit's key for ``parts`` (an email, a survey's id...), hashed under a salt of
    its own for ``purpose`` so that two limits never share keys."""
    return salted_hmac(purpose, "\n".join(str(part) for part in parts)).hexdigest()


def address_key(request, purpose: str, *scope: object) -> str:
    """The key of the visitor's address for ``purpose`` (and ``scope``, e.g. one survey)."""
    return hashed_key(purpose, get_adapter().get_client_ip(request), *scope)
