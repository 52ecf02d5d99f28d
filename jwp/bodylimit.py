"""Request bodies refused by their declared size, before anything reads them.

Django reads no more of a request than its ``Content-Length`` says, but it reads
all of that: an anonymous 100 MB POST to ``/verify/`` was spooled to disk before
the form refused the file. This middleware answers 413 from the header alone. It
sits before ``CsrfViewMiddleware``, whose ``process_view`` would parse the body.
A request without a length (chunked) has no body as far as Django is concerned.

Every view takes a file of ``settings.MAX_REQUEST_BODY_BYTES`` (and its form); a
view declares a smaller limit, and its own answer, with ``@body_limit``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

# Room for the multipart boundaries and the form's other fields around a file.
FORM_OVERHEAD_BYTES = 64 * 1024

TooLarge = Callable[[HttpRequest, str], HttpResponse]


def body_limit(max_file_bytes: int, *, too_large: TooLarge | None = None):
    """Refuse a request to this view whose body is bigger than a file of
    ``max_file_bytes`` and its form; ``too_large(request, message)`` answers it."""

    def decorate(view):
        view.max_file_bytes = max_file_bytes
        view.body_too_large = too_large
        return view

    return decorate


def declared_length(request: HttpRequest) -> int:
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def too_large_message(size: int, limit: int) -> str:
    return _(
        "What you sent is %(size).1f MB; this page accepts at most %(limit)d MB. "
        "Choose a smaller file."
    ) % {"size": size / 1024 / 1024, "limit": max(limit // 1024 // 1024, 1)}


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        limit = getattr(view_func, "max_file_bytes", settings.MAX_REQUEST_BODY_BYTES)
        size = declared_length(request)
        if size <= limit + FORM_OVERHEAD_BYTES:
            return None
        message = too_large_message(size, limit)
        answer = getattr(view_func, "body_too_large", None)
        if answer is not None:
            return answer(request, message)
        return render(request, "413.html", {"message": message}, status=413)
