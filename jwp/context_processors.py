from functools import partial

from jwp.access import my_memberships


def navigation(request) -> dict:
    """The county switcher: the user's counties, read only if a template shows them
    (an htmx partial does not), and then once per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"my_memberships": []}
    return {
        "my_memberships": partial(my_memberships, request),
        "current_county": getattr(request, "county", None),
        "current_membership": getattr(request, "membership", None),
    }
