"""Delivering a petition: the packet (PDF and CSV) and the record of the delivery."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from campaigns.zones import shows

from ..forms import DeliveryForm
from ..models import Petition
from ..packet import packet_csv, packet_pdf
from .petitions import editable_petition


def _download(body, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@shows(Petition)
@login_required
@require_GET
def packet_pdf_view(request, pk):
    petition = editable_petition(request, pk)
    return _download(packet_pdf(petition), "application/pdf", f"{petition.slug}.pdf")


@shows(Petition)
@login_required
@require_GET
def packet_csv_view(request, pk):
    petition = editable_petition(request, pk)
    return _download(packet_csv(petition), "text/csv; charset=utf-8", f"{petition.slug}.csv")


@shows(Petition)
@login_required
@require_http_methods(["GET", "POST"])
def record_delivery(request, pk):
    petition = editable_petition(request, pk)
    if petition.is_delivered:
        messages.info(request, _("This petition's delivery is recorded already."))
        return redirect(petition)
    form = DeliveryForm(request.POST or None, petition=petition)
    if request.method == "POST" and form.is_valid():
        petition.record_delivery(by=request.user, **form.cleaned_data)
        messages.success(
            request, _("Delivery recorded; it is on the escalation ladder and the public page.")
        )
        return redirect(petition)
    return render(request, "reach/delivery_form.html", {"petition": petition, "form": form})
