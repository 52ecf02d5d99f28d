from functools import partial

from notifications.selectors import unread_count


def bell(request) -> dict:
    """The unread count in the header: counted only if a template shows the bell."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": partial(unread_count, request)}
