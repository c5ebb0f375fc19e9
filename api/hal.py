"""HAL+JSON for DRF: the media type, the OSDI paging envelope and the ``osdi:status`` error
shape. Built on DRF's JSON renderer and parser and its page-number pagination.

Paging keeps OSDI's envelope (``page``, ``per_page``, ``total_pages``, ``total_records``),
and any ``page`` can be asked for. But a ``next`` link of a collection in ``pk`` order also
carries a keyset cursor (``after``, the last ``pk`` of the page) and the count its first page
made (``of``, signed): a sync that follows ``next`` to the 360th page reads each page from the
index where the last one stopped, instead of skipping 36,000 rows, and counts once, not on
every page.
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
