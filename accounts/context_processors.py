from .access import roles_for


def roles(request) -> dict:
    """The signed-in user's roles, for the navigation; never used to decide access."""
    return {"roles": roles_for(getattr(request, "user", None))}
