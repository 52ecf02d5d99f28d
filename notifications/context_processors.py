from functools import partial

from notifications.selectors import header_waiting_count, unread_count


def bell(request) -> dict:
    """The unread count in the header: counted only if a template shows the bell; and
    in a county, the "waiting for you" count if one is cached (else None)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "unread_notifications": partial(unread_count, request),
        "waiting_count": partial(header_waiting_count, request),
    }
