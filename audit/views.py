from django.contrib.auth.decorators import login_required
from django.db import connection
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.access import leader_required, roles_for

from .trail import recent_changes


@login_required
@leader_required
@require_GET
def trail(request):
    local_ids = roles_for(request.user).led_local_ids
    return render(
        request,
        "audit/trail.html",
        {
            "changes": recent_changes(local_ids),
            "recording": connection.vendor == "postgresql",
        },
    )
