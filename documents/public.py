"""The public /verify/ page: is this PDF one that jwp issued, unaltered?

Anyone may check a file they hold (or its SHA-256). The answer names the kind of
document, the county, its title and when it was generated — what the PDF itself
already says — or that it is not a document issued by jwp. Nothing else is
revealed, and checks are rate-limited per client.
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from documents import forms, selectors
from jwp.bodylimit import body_limit
from jwp.ratelimit import allow_request
from jwp.tenancy import all_counties_context

VERIFY_LIMIT = 20  # checks per client
VERIFY_PERIOD = 10 * 60  # seconds


def _too_large(request, message: str):
    """The page again, with the refusal where the file goes; nothing of the body read."""
    context = {"form": forms.VerifyForm(), "outcome": None, "too_large": message}
    return render(request, "documents/verify.html", context, status=413)


@body_limit(forms.MAX_VERIFY_BYTES, too_large=_too_large)
@require_http_methods(["GET", "POST"])
def verify(request):
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    outcome, limited = None, False
    if request.method == "POST":
        limited = not allow_request(
            request, "documents-verify", limit=VERIFY_LIMIT, period=VERIFY_PERIOD
        )
        if not limited and form.is_valid():
            with all_counties_context():
                job = selectors.issued_document(form.cleaned_data["digest"])
                outcome = {
                    "authentic": job is not None,
                    "digest": form.cleaned_data["digest"],
                    "kind": job.get_kind_display() if job else "",
                    "county": job.county.name if job else "",
                    "title": job.title if job else "",
                    "generated": job.finished_at if job else None,
                }
    if limited:
        form = forms.VerifyForm()
    context = {"form": form, "outcome": outcome, "limited": limited}
    return render(request, "documents/verify.html", context, status=429 if limited else 200)


verify.public = True
