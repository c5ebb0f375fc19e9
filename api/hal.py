"""HAL+JSON for DRF: the media type, the OSDI paging envelope and the ``osdi:status`` error
shape. Built on DRF's JSON renderer and parser and its page-number pagination.

Paging keeps OSDI's envelope (``page``, ``per_page``, ``total_pages``, ``total_records``),
and any ``page`` can be asked for. But a ``next`` link of a collection in ``pk`` order also
carries a keyset cursor (``after``, the last ``pk`` of the page) and the count its first page
made (``of``, signed): a sync that follows ``next`` to the 360th page reads each page from the
index where the last one stopped, instead of skipping 36,000 rows, and counts once, not on
every page.

A collection of two tables (people: members, then supporters) is a ``Chain`` of querysets,
each in ``pk`` order, read one after the other: its cursor names the part and the ``pk``
(``after=s.42``), so a sync walks both tables from their indexes too.
"""

from __future__ import annotations

import math

from django.core import signing
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler

HAL = "application/hal+json"
CURIES = [
    {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
]
MAX_PAGESIZE = 100
CURSOR = "after"
TOTAL = "of"
TOTAL_SALT = "api.paging.total"


class HalJsonRenderer(JSONRenderer):
    media_type = HAL
    format = "hal"


class HalJsonParser(JSONParser):
    media_type = HAL


def link(href: str) -> dict:
    return {"href": href}


class Chain:
    """Querysets paged as one collection, one after the other, each in ``pk`` order; each
    part has a short key that its cursor carries."""

    def __init__(self, *parts: tuple[str, QuerySet]):
        self.parts = parts
        self._counts: list[int] | None = None

    def cursor(self, value) -> tuple[int, int] | None:
        """The part and ``pk`` a cursor (``m.12``) names, if it names one."""
        key, _dot, pk = str(value or "").partition(".")
        keys = [part_key for part_key, _rows in self.parts]
        after = _int(pk)
        return (keys.index(key), after) if key in keys and after is not None else None

    def counts(self) -> list[int]:
        if self._counts is None:
            self._counts = [rows.count() for _key, rows in self.parts]
        return self._counts

    def total(self) -> int:
        return sum(self.counts())

    def read(self, start: int, count: int, after: tuple[int, int] | None) -> list:
        """``count`` rows as ``(key, row)``: from the cursor when there is one, else from
        ``start`` rows in."""
        found: list = []
        first = after[0] if after else 0
        for index, (key, rows) in enumerate(self.parts[first:], start=first):
            if after and index == after[0]:
                rows = rows.filter(pk__gt=after[1])
            if not after and start:
                size = self.counts()[index]
                if start >= size:
                    start -= size
                    continue
            found += [(key, row) for row in rows[start : start + count - len(found)]]
            start = 0
            if len(found) >= count:
                break
        return found


class OsdiPagination(PageNumberPagination):
    """``page`` and ``per_page`` in, ``total_pages`` and ``total_records`` out, the page's
    resources under ``_embedded["osdi:<collection>"]``."""

    page_size = 25
    page_size_query_param = "per_page"
    max_page_size = MAX_PAGESIZE
    collection = ""

    @classmethod
    def of(cls, collection: str) -> type[OsdiPagination]:
        return type(f"{collection.title()}Pagination", (cls,), {"collection": collection})

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        if isinstance(queryset, Chain):
            return self.paginate_chain(queryset, request)
        self.keyed = isinstance(queryset, QuerySet) and tuple(queryset.query.order_by) == ("pk",)
        after = _int(request.query_params.get(CURSOR)) if self.keyed else None
        if after is None:
            self.page = None
            rows = super().paginate_queryset(queryset, request, view)
            self.total, self.per_page = self.page.paginator.count, self.page.paginator.per_page
            self.number = self.page.number
            self.more = self.page.has_next()
            self._last_pk = rows[-1].pk if self.keyed and rows else None
            return rows
        # A page after the cursor: the index from there, one row more to know if another
        # page follows; the count from the first page's link, else counted.
        self.per_page = self.get_page_size(request)
        self.number = max(1, _int(request.query_params.get(self.page_query_param)) or 1)
        rows = list(queryset.filter(pk__gt=after)[: self.per_page + 1])
        self.more = len(rows) > self.per_page
        self.total = _unsign_total(request.query_params.get(TOTAL))
        if self.total is None:
            self.total = queryset.count()
        rows = rows[: self.per_page]
        self._last_pk = rows[-1].pk if rows else None
        return rows

    def paginate_chain(self, chain: Chain, request) -> list:
        """A page of a chain: from the cursor when the address has one, else by number."""
        self.keyed = True
        self.per_page = self.get_page_size(request)
        self.number = max(1, _int(request.query_params.get(self.page_query_param)) or 1)
        after = chain.cursor(request.query_params.get(CURSOR))
        self.total = _unsign_total(request.query_params.get(TOTAL)) if after else None
        if self.total is None:
            self.total = chain.total()
        start = 0 if after else (self.number - 1) * self.per_page
        if start and start >= self.total:
            raise exceptions.NotFound(self.invalid_page_message)
        rows = chain.read(start, self.per_page + 1, after)
        self.more = len(rows) > self.per_page
        rows = rows[: self.per_page]
        self._last_pk = f"{rows[-1][0]}.{rows[-1][1].pk}" if rows else None
        return [row for _key, row in rows]

    def get_next_link(self):
        if not self.more:
            return None
        url = self.request.build_absolute_uri()
        url = replace_query_param(url, self.page_query_param, self.number + 1)
        if not self.keyed or not self._last_pk:
            return remove_query_param(remove_query_param(url, CURSOR), TOTAL)
        url = replace_query_param(url, CURSOR, self._last_pk)
        return replace_query_param(url, TOTAL, _sign_total(self.total))

    def get_previous_link(self):
        if self.number <= 1:
            return None
        url = remove_query_param(
            remove_query_param(self.request.build_absolute_uri(), CURSOR), TOTAL
        )
        if self.number == 2:
            return remove_query_param(url, self.page_query_param)
        return replace_query_param(url, self.page_query_param, self.number - 1)

    def get_paginated_response(self, data):
        count = self.total
        per_page = self.per_page
        links = {"self": link(self.request.build_absolute_uri()), "curies": CURIES}
        next_link, previous_link = self.get_next_link(), self.get_previous_link()
        if next_link:
            links["next"] = link(next_link)
        if previous_link:
            links["previous"] = link(previous_link)
        links[f"osdi:{self.collection}"] = [
            {"href": item["_links"]["self"]["href"]} for item in data if "self" in item["_links"]
        ]
        return Response(
            {
                "total_pages": max(1, math.ceil(count / per_page)),
                "per_page": per_page,
                "page": self.number,
                "total_records": count,
                "_links": links,
                "_embedded": {f"osdi:{self.collection}": data},
            }
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "properties": {
                "total_pages": {"type": "integer"},
                "per_page": {"type": "integer"},
                "page": {"type": "integer"},
                "total_records": {"type": "integer"},
                "_links": {"type": "object"},
                "_embedded": {
                    "type": "object",
                    "properties": {f"osdi:{self.collection}": schema},
                },
            },
        }


def _int(value) -> int | None:
    try:
        return int(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def _sign_total(total: int) -> str:
    return signing.Signer(salt=TOTAL_SALT, sep=".").sign(str(total))


def _unsign_total(value) -> int | None:
    try:
        return int(signing.Signer(salt=TOTAL_SALT, sep=".").unsign(value or ""))
    except (signing.BadSignature, ValueError):
        return None


def osdi_status(code: int, description: str) -> dict:
    """The OSDI error shape: ``{"osdi:status": {"code", "description"}}``."""
    return {
        "request_type": "atomic",
        "response_code": code,
        "osdi:status": {"code": code, "description": description},
    }


def osdi_exception_handler(exc, context):
    """DRF's handler, with its answer put in the ``osdi:status`` shape."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        description = _("The request is not valid.")
        response.data = {**osdi_status(response.status_code, description), "errors": exc.detail}
        return response
    detail = getattr(exc, "detail", "")
    response.data = osdi_status(response.status_code, str(detail))
    return response


def not_found() -> Response:
    return Response(osdi_status(404, _("Not found.")), status=status.HTTP_404_NOT_FOUND)
