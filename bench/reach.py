"""Benchmarks of petitions: the public petition page, the team's petition page, and how many
signatures a second the public sign form takes at 16 clients (each a different visitor, as
the production proxy reports them, so that the per-address limit is the one of real life)."""

from __future__ import annotations

import http.client
import re
import threading
import time
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

SLUG = "scale-campaign"
PETITION = "bench-petition"
SIGNATURES = 2_000
CLIENTS = 16
SECONDS = 10
LEADER = "leader@scale.example"


def _petition():
    """The large local's petition with 2,000 signatures, made here when the scale seed has
    none (kept for ``--reuse``)."""
    from django.utils import timezone

    from campaigns.models import Campaign
    from demands.models import Target
    from reach.models import Petition, Signature, Supporter

    campaign = Campaign.objects.select_related("local").get(slug=SLUG)
    petition = Petition.objects.filter(campaign=campaign, slug=PETITION).first()
    if petition is not None:
        return petition
    target = Target.objects.filter(campaign=campaign).first() or Target.objects.create(
        campaign=campaign, name="Board of Education"
    )
    texts = {
        "en": ("Fund counselors", "We ask the board to fund a counselor in every school."),
        "es": ("Financien consejeros", "Pedimos a la junta un consejero en cada escuela."),
    }
    petition = Petition.start(
        campaign,
        by=None,
        texts=texts,
        target=target,
        slug=PETITION,
        goal=50_000,
        ends_on=timezone.localdate() + timedelta(days=365),
    )
    petition.publish()
    supporters = Supporter.objects.bulk_create(
        Supporter(
            local=campaign.local,
            name=f"Signer {n}",
            email=f"bench-signer{n}@example.net",
            postcode=f"9{n % 10000:04d}",
        )
        for n in range(SIGNATURES)
    )
    now = timezone.now()
    Signature.objects.bulk_create(
        Signature(
            petition=petition,
            supporter=supporter,
            source="paper" if n % 3 else "online",
            confirmed_at=now,
        )
        for n, supporter in enumerate(supporters)
    )
    return petition


def pages(ctx) -> dict[str, tuple[str, str | None]]:
    petition = _petition()
    return {
        "petition_page": (f"/open/{SLUG}/petitions/{PETITION}/", None),
        "petition_detail": (f"/reach/petitions/{petition.pk}/", LEADER),
    }


def _signer(ctx, petition_pk: int, index: int, stop: float, done: list[int], errors: list):
    from reach.forms import SignForm

    parts = urlsplit(ctx.url)
    path = f"/open/{SLUG}/petitions/{PETITION}/"
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.request("GET", path)
    response = connection.getresponse()
    page = response.read().decode()
    cookie = response.getheader("Set-Cookie", "").split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    n = 0
    while time.monotonic() < stop:
        n += 1
        body = urlencode(
            {
                "csrfmiddlewaretoken": token,
                "name": f"Bench Visitor {index}-{n}",
                "email": f"bench-visitor-{index}-{n}-{time.monotonic_ns()}@example.net",
                "postcode": "95815",
                "issued": SignForm.stamp(petition_pk, at=time.time() - 10),
            }
        )
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            # A visitor of its own each time, as the proxy in front says.
            "X-Forwarded-For": f"10.{index}.{n // 250 % 250}.{n % 250 + 1}",
        }
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status == 302:
            done[index] += 1
        else:
            errors.append(response.status)
    connection.close()


def measure(ctx) -> dict[str, float]:
    from actions.models import Reminder
    from reach.models import Signature, Supporter

    petition = _petition()
    done = [0] * CLIENTS
    errors: list[int] = []
    stop = time.monotonic() + SECONDS
    threads = [
        threading.Thread(target=_signer, args=(ctx, petition.pk, i, stop, done, errors))
        for i in range(CLIENTS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    signed = Signature.objects.filter(
        petition=petition, supporter__email__startswith="bench-visitor-"
    )
    made = signed.count()
    # The signatures of the run and their confirmation emails go, so a --reuse run starts
    # from the same petition.
    Reminder.objects.filter(
        event_label="reach.Signature", event_id__in=signed.values("pk")
    ).delete()
    Supporter.objects.filter(
        local=petition.campaign.local, email__startswith="bench-visitor-"
    ).delete()
    if errors or made != sum(done):
        raise AssertionError(f"sign form: {len(errors)} refused ({set(errors)}), {made} saved")
    return {"petition_sign_rps": round(sum(done) / SECONDS, 1)}
