"""Input that can never reach the database: refused at the door with a 400.

PostgreSQL refuses a NUL character in text, so a ``%00`` in a filter or a form field
would otherwise surface as a 500 wherever a raw value reaches a query. No field of the
product takes a NUL, so the request is refused as a whole, before any view runs.
"""

from __future__ import annotations

from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

# The database's integer columns: every integer the product reads from a request fits.
INT_MAX = 2**31 - 1
ID_MAX = 2**63 - 1


def int_param(value, *, maximum: int = ID_MAX) -> int | None:
    """A positive integer from a query or form value, or None for anything else
    (letters, signs, numbers larger than the column can hold)."""
    text = str(value or "").strip()
    if not text.isascii() or not text.isdigit():
        return None
    number = int(text)
    return number if 0 < number <= maximum else None


def _has_nul(querydict) -> bool:
    return any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in querydict.lists()
    )


class RejectNulMiddleware:
    """400 for a NUL character in the query string or in a form body's fields.

    Runs after the CSRF middleware, which has already read a protected view's form body;
    a ``csrf_exempt`` view may still set its own upload handlers, so its multipart body is
    left alone here (the API's serializers refuse NUL in text themselves)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "\x00" in request.path or _has_nul(request.GET):
            return self._refuse()
        if request.method != "POST":
            return None
        content_type = request.content_type or ""
        form_body = content_type == "application/x-www-form-urlencoded" or (
            content_type == "multipart/form-data" and not getattr(view_func, "csrf_exempt", False)
        )
        if form_body and _has_nul(request.POST):
            return self._refuse()
        return None

    @staticmethod
    def _refuse():
        return HttpResponseBadRequest(
            _("The request contains a NUL character, which no field accepts."),
            content_type="text/plain; charset=utf-8",
        )
