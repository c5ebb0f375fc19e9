"""The access matrix: every route, as every member of the cast, for GET and POST.

The URL configuration is walked, so a new view with no rule here fails the suite. A refused
request must leave the database exactly as it was; every view that accepts POST refuses a request
without a CSRF token; and fields a form does not offer (``building``, ``published``, ``role``) are
ignored when smuggled into an allowed POST.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import Membership

from . import factories as f
from .conftest import ROLES

OK = "ok"  # 200, or a redirect that is not to the sign-in page (after a successful POST)
LOGIN = "login"  # sent to sign in
DENY = "deny"  # 403 or 404, and nothing changed

PUBLIC = dict.fromkeys(ROLES, OK)
SIGNED_IN = {**dict.fromkeys(ROLES, OK), "anonymous": LOGIN}
LOCAL = {**SIGNED_IN, "other_leader": DENY}
STAFF = {**LOCAL, "partner_x": DENY, "partner_y": DENY}
LEADERS = {**dict.fromkeys(ROLES, DENY), "anonymous": LOGIN, "leader": OK}
ANY_LEADER = {**LEADERS, "other_leader": OK}  # a list scoped to the leader's own locals
BUILDING_A = {**LEADERS, "steward_a": OK}
ORGANISATION_X = {**LEADERS, "partner_x": OK}
OWN = "own"  # a page about the signed-in user's own invitation or roles: tested in its own file

# Routes outside the matrix: third-party views with their own tests upstream, and the
# language switch, which changes nothing but a cookie.
EXEMPT_NAMESPACES = {"admin", "djdt"}
EXEMPT_PREFIXES = ("account_", "mfa_", "socialaccount_", "set_language")


@dataclass(frozen=True)
class Route:
    kwargs: Callable = lambda cast: {}
    get: dict | None = None  # None: GET is not allowed (405 for everyone)
    post: dict | None = None  # None: POST is not allowed
    data: Callable = lambda cast: {}
    changes_roles: bool = False  # the view's job is to change memberships


def _invitation(cast):
    invitation, _token = _issue_invitation(cast)
    return {"pk": invitation.pk}


def _issue_invitation(cast):
    from accounts.models import Invitation, Role

    return Invitation.issue(
        local=cast.local,
        email="new-person@test.example",
        role=Role.STEWARD,
        invited_by=cast.leader,
        buildings=[cast.building_a],
    )


def _token(cast):
    _invitation, token = _issue_invitation(cast)
    return {"token": token}


def _steward_a_membership(cast):
    return {"pk": Membership.objects.get(user=cast.steward_a).pk}


ROUTES: dict[str, Route] = {
    # Foundation
    "home": Route(get=PUBLIC),
    "healthz": Route(get=PUBLIC),
    "robots_txt": Route(get=PUBLIC),
    "accounts:team": Route(lambda c: {"slug": c.local.slug}, get=LEADERS),
    "accounts:invite": Route(
        lambda c: {"slug": c.local.slug},
        get=LEADERS,
        post=LEADERS,
        data=lambda c: {"email": "invitee@test.example", "role": "leader"},
        changes_roles=True,
    ),
    "accounts:resend_invitation": Route(_invitation, post=LEADERS, changes_roles=True),
    "accounts:revoke_invitation": Route(_invitation, post=LEADERS, changes_roles=True),
    "accounts:remove_membership": Route(_steward_a_membership, post=LEADERS, changes_roles=True),
    "accounts:accept_invitation": Route(_token, get=OWN, post=OWN, changes_roles=True),
    "audit:trail": Route(get=ANY_LEADER),
    # Campaign HQ
    "campaigns:detail": Route(lambda c: {"slug": c.campaign.slug}, get=LOCAL),
    "campaigns:buildings": Route(get=SIGNED_IN),  # a list of what each may see
    "campaigns:building": Route(lambda c: {"pk": c.building_a.pk}, get=BUILDING_A),
    # Partners
    "partners:list": Route(get=SIGNED_IN),
    "partners:detail": Route(lambda c: {"pk": c.organisation_x.pk}, get=ORGANISATION_X),
}


def named_routes() -> list[str]:
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner not in EXEMPT_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                if pattern.name.startswith(EXEMPT_PREFIXES):
                    continue
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


def test_every_route_has_a_rule():
    missing = [name for name in named_routes() if name not in ROUTES]
    assert not missing, f"Add these routes to the access matrix: {missing}"


def test_no_rule_for_a_route_that_is_gone():
    assert not set(ROUTES) - set(named_routes())


def snapshot() -> dict:
    """Every row of the project's own tables: what a refused request must not change."""
    ours = {"accounts", "campaigns", "partners", "demands", "actions", "bargaining", "audit"}
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in ours and not model._meta.auto_created:
            state[model._meta.label] = list(model.objects.order_by("pk").values())
    return state


def roles_and_publication() -> tuple:
    published = []
    for model in apps.get_models():
        names = {field.name for field in model._meta.fields}
        for name in ("published_at", "is_published", "is_public"):
            if name in names and model._meta.app_label != "accounts":
                published.append(list(model.objects.order_by("pk").values_list("pk", name)))
    memberships = list(Membership.objects.order_by("pk").values("user", "role", "local"))
    through = list(Membership.buildings.through.objects.order_by("pk").values())
    return memberships, through, published


def check(cast, name: str, method: str, who: str, expected: str) -> None:
    route = ROUTES[name]
    with transaction.atomic():
        url = reverse(name, kwargs=route.kwargs(cast))
        data = route.data(cast)
        client = cast.client_for(who)
        before = snapshot() if expected != OK else None
        smuggled = roles_and_publication()
        if method == "get":
            response = client.get(url)
        else:
            extra = {"building": cast.building_b.pk, "published": "on", "role": "leader"}
            response = client.post(url, {**extra, **data})
        where = f"{method.upper()} {url} as {who}"
        status = response.status_code
        if expected == OK:
            assert status == 200 or (
                status in (301, 302) and "/accounts/login/" not in response["Location"]
            ), f"{where}: {status}"
            if method == "post" and not route.changes_roles:
                assert roles_and_publication() == smuggled, f"{where}: smuggled fields took"
        elif expected == LOGIN:
            assert status == 302 and "/accounts/login/" in response["Location"], (
                f"{where}: {status}"
            )
            assert snapshot() == before, f"{where} changed the database"
        else:
            assert status in (403, 404), f"{where}: {status}"
            assert snapshot() == before, f"{where} changed the database"
        transaction.set_rollback(True)


def matrix(method: str) -> list[str]:
    # OWN routes (the invitee's own link) are proven in tests/accounts/test_invitations.py.
    return sorted(n for n, r in ROUTES.items() if getattr(r, method) != OWN)


@pytest.mark.parametrize("name", matrix("get"))
def test_get_as_each_role(cast, name):
    rules = ROUTES[name].get
    for who in ROLES:
        if rules is None:
            url = reverse(name, kwargs=ROUTES[name].kwargs(cast))
            status = cast.client_for(who).get(url).status_code
            assert status in (302, 403, 404, 405), f"GET {url} as {who}: {status}"
        else:
            check(cast, name, "get", who, rules[who])


@pytest.mark.parametrize("name", matrix("post"))
def test_post_as_each_role(cast, name):
    rules = ROUTES[name].post
    for who in ROLES:
        if rules is None:
            with transaction.atomic():
                url = reverse(name, kwargs=ROUTES[name].kwargs(cast))
                client = cast.client_for(who)
                before = snapshot()
                status = client.post(url, ROUTES[name].data(cast)).status_code
                assert status in (302, 403, 404, 405), f"POST {url} as {who}: {status}"
                assert snapshot() == before
                transaction.set_rollback(True)
        else:
            check(cast, name, "post", who, rules[who])


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.post not in (None, OWN)))
def test_post_without_csrf_token_is_refused(cast, name):
    route = ROUTES[name]
    url = reverse(name, kwargs=route.kwargs(cast))
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.leader)
    before = snapshot()
    response = client.post(url, route.data(cast))
    assert response.status_code == 403
    assert snapshot() == before


def test_matrix_covers_a_member_of_building_b(cast):
    """The same rules hold from the other side: B's steward reaches B's building, not A's."""
    f.make_member(cast.building_b)
    client = cast.client_for("steward_b")
    assert client.get(reverse("campaigns:building", args=[cast.building_b.pk])).status_code == 200
    assert client.get(reverse("campaigns:building", args=[cast.building_a.pk])).status_code == 404
