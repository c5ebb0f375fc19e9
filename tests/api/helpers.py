"""Tokens for the cast and a client that follows the API's links."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.test import Client

from api.models import Token

HAL = "application/hal+json"


class Api:
    """A client that sends a token and reads HAL+JSON; ``follow`` goes by link only."""

    def __init__(self, raw: str | None):
        headers = {"OSDI-API-Token": raw} if raw else {}
        self.client = Client(headers={**headers, "Accept": HAL})

    @staticmethod
    def path(href: str) -> str:
        parts = urlsplit(href)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    def get(self, href: str, **params):
        return self.client.get(self.path(href), params)

    def post(self, href: str, body: dict):
        return self.client.post(self.path(href), body, content_type=HAL)

    def aep(self) -> dict:
        response = self.get("/api/v1/")
        assert response.status_code == 200, response.content
        return response.json()

    def every(self, href: str, collection: str, **params) -> list[dict]:
        """Every resource of a collection, page by page through the ``next`` links."""
        found = []
        response = self.get(href, **params)
        while True:
            assert response.status_code == 200, response.content
            body = response.json()
            found += body["_embedded"][f"osdi:{collection}"]
            if "next" not in body["_links"]:
                return found
            response = self.get(body["_links"]["next"]["href"])


def token_for(user, *, read_only: bool = False, days: int = 30) -> str:
    return Token.issue(user, name="Sync", read_only=read_only, days=days)[1]


def api_for(cast, who: str, **options) -> Api:
    if who == "anonymous":
        return Api(None)
    return Api(token_for(getattr(cast, who), **options))


def ours(resource: dict) -> str:
    return next(i for i in resource["identifiers"] if i.startswith("common_good:"))
