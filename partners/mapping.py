"""Community mapping: which union members know an organisation or a power-map target.

One page serves both, since only the relation differs. Names are searched by POST so they
never appear in URLs or access logs."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Member

from .forms import MemberSearchForm, search_members


def member_mapping(request, *, subject, relation, local_id: int, url_name: str, added: str):
    """The page for ``subject``, whose members are ``relation`` (a many-to-many manager);
    ``added`` is the message once a member is added, with ``%(name)s`` for the name."""
    members = Member.objects.visible_to(request.user).filter(local_id=local_id)
    form = MemberSearchForm(request.POST or None)
    query = ""
    if request.method == "POST" and request.POST.get("member"):
        if not request.POST["member"].isdigit():
            raise Http404
        member = get_object_or_404(members, pk=request.POST["member"])
        if request.POST.get("remove"):
            relation.remove(member)
            messages.success(request, _("%(name)s removed.") % {"name": member.name})
        else:
            relation.add(member)
            messages.success(request, added % {"name": member.name})
        return redirect(url_name, pk=subject.pk)
    if request.method == "POST" and form.is_valid():
        query = form.cleaned_data["q"]
    known = relation.select_related("building")
    return render(
        request,
        "partners/mapping.html",
        {
            "subject": subject,
            "form": form,
            "query": query,
            "known": known,
            "results": search_members(members.exclude(pk__in=known.values("pk")), query),
            "action": reverse(url_name, args=[subject.pk]),
            "back": subject.get_absolute_url(),
        },
    )
