"""The API's calls on the audit trail: a source the API registers with the trail when it is
ready (the audit app comes first in the import order and cannot read this one). A leader sees
who called (the token's person and the token's name), what (the method, the address with the
values of secret-looking parameters hidden, the answer's status) and when."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from audit.trail import Change, Source

from .models import ApiCall

SECRET = re.compile(r"token|secret|key|password|signature|auth", re.IGNORECASE)
HIDDEN = "…"


def shown_path(full_path: str) -> str:
    """The address without what might be a secret: such parameters keep their name only."""
    parts = urlsplit(full_path)
    if not parts.query:
        return parts.path
    query = [
        (name, HIDDEN if SECRET.search(name) else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    return parts.path + "?" + "&".join(f"{name}={value}" for name, value in query)


def changes(ids: list[int]) -> dict[int, Change]:
    """The calls as the trail's lines, in one query."""
    calls = ApiCall.objects.filter(pk__in=ids).select_related("token", "user")
    found = {}
    for call in calls:
        token = call.token.name if call.token else _("a deleted token")
        found[call.pk] = Change(
            at=call.at,
            kind=_("called"),
            label="call",
            source=str(SOURCE.label),
            name=_("API call %(method)s %(path)s, answered %(status)s, with the token “%(token)s”")
            % {
                "method": call.method,
                "path": shown_path(call.path),
                "status": call.status,
                "token": token,
            },
            url="",
            who=call.user.display_name if call.user else "",
        )
    return found


# The calls in the shape of the trail's event tables; the index on (local, at) serves it.
SOURCE = Source(
    key="api_call",
    model=ApiCall,
    label=gettext_lazy("API call"),
    join="",
    local_column="e.local_id",
    table=(
        f"(SELECT c.id AS pgh_id, c.at AS pgh_created_at, NULL::uuid AS pgh_context_id,"  # noqa: S608
        f" 'call'::text AS pgh_label, c.id AS pgh_obj_id, c.local_id, c.user_id"
        f" FROM {ApiCall._meta.db_table} c) e"
    ),
    user_column="e.user_id",
    changes=changes,
)
