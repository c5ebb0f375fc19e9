"""HAL+JSON for DRF: the media type, the OSDI paging envelope and the ``osdi:status`` error
shape. Built on DRF's JSON renderer and parser and its page-number pagination."""

from __future__ import annotations

import math

from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

HAL = "application/hal+json"
CURIES = [
    {"name": "osdi", "href": "https://opensupporter.github.io/osdi-docs/{rel}", "templated": True}
]
MAX_PAGESIZE = 100


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

    def get_paginated_response(self, data):
        count = self.page.paginator.count
        per_page = self.page.paginator.per_page
        links = {"self": link(self.request.build_absolute_uri()), "curies": CURIES}
        if self.page.has_next():
            links["next"] = link(self.get_next_link())
        if self.page.has_previous():
            links["previous"] = link(self.get_previous_link())
        links[f"osdi:{self.collection}"] = [
            {"href": item["_links"]["self"]["href"]} for item in data if "self" in item["_links"]
        ]
        return Response(
            {
                "total_pages": max(1, math.ceil(count / per_page)),
                "per_page": per_page,
                "page": self.page.number,
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
