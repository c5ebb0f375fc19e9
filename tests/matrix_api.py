"""Objects and bodies for the OSDI API's rows of the access matrix (tests/test_access_matrix.py):
URL kwargs are uuids, bodies are JSON."""

from __future__ import annotations

from actions.models import Action, Participation
from api.models import Token, Webhook

from . import factories as f
from .actions.factories import make_action


def token_form(cast, kwargs) -> dict:
    return {"name": "Action Network", "days": "30", "read_only": "on"}


def leader_token_kwargs(cast) -> dict:
    token, _raw = Token.issue(cast.leader, name="Sync", read_only=True, days=30)
    return {"pk": token.pk}


def webhook_form(cast, kwargs) -> dict:
    return {"url": "https://hooks.example.org/commongood", "events": ["person", "rsvp"]}


def webhook_kwargs(cast) -> dict:
    hook, _secret = Webhook.register(
        local=cast.local, url="https://hooks.example.org/in", events=["rsvp"], by=cast.leader
    )
    return {"pk": hook.pk}


def member_a_kwargs(cast) -> dict:
    return {"uuid": f.make_member(cast.building_a).uuid}


def supporter_x_kwargs(cast) -> dict:
    from .reach.factories import make_supporter

    return {"uuid": make_supporter(cast.local, brought_by=cast.organisation_x).uuid}


def action_x_kwargs(cast) -> dict:
    action = make_action(cast.campaign, invited_organisations=[cast.organisation_x])
    return {"uuid": action.uuid}


def attendance_kwargs(cast) -> dict:
    """An action X is invited to, and a member of building A to mark at it."""
    kwargs = action_x_kwargs(cast)
    f.make_member(cast.building_a, work_email="marked-a@test.example")
    return kwargs


def attendance_body(cast, kwargs) -> dict:
    member = cast.building_a.members.get(work_email="marked-a@test.example")
    return {"identifiers": [f"common_good:{member.uuid}"], "status": "accepted"}


def participation_a_kwargs(cast) -> dict:
    action = Action.objects.get(uuid=action_x_kwargs(cast)["uuid"])
    record, _new = Participation.mark(
        action, f.make_member(cast.building_a), by=cast.leader, coming=True
    )
    return {"uuid": action.uuid, "attendance": record.uuid}


def signup_body(cast, kwargs) -> dict:
    """A member of building A, found again by their email; another local's leader adds them
    to their own local; a partner's token is told it was recorded, and nothing of the
    member's changes."""
    member = f.make_member(cast.building_a, work_email="signup-a@test.example")
    return {
        "person": {
            "given_name": member.first_name,
            "family_name": "Updated",
            "email_addresses": [{"address": member.work_email}],
        }
    }


def tag_kwargs(cast) -> dict:
    from api.views.tags import TAGS

    f.make_member(cast.building_a, support_level=1)
    return {"uuid": next(iter(TAGS))}


def petition_kwargs(cast) -> dict:
    from .reach.factories import make_petition

    return {"uuid": make_petition(cast.campaign).uuid}


def signature_body(cast, kwargs) -> dict:
    return {"person": {"family_name": "Lee", "email_addresses": [{"address": "lee@x.example"}]}}


def signature_a_kwargs(cast) -> dict:
    """A member of building A's signature: the union's leaders and A's steward read it."""
    from reach.models import Petition

    kwargs = petition_kwargs(cast)
    petition = Petition.objects.get(uuid=kwargs["uuid"])
    member = f.make_member(cast.building_a, work_email="signed-a@test.example")
    signature, _new = petition.record_signature(
        {"name": "", "email": member.work_email}, by=cast.leader
    )
    return {**kwargs, "signature": signature.uuid}


def form_kwargs(cast) -> dict:
    """The bargaining survey: the local's leaders and stewards read it."""
    from api.views.surveys import form_uuid

    from .matrix_surveys import _members_survey

    return {"uuid": form_uuid(_members_survey(cast))}
