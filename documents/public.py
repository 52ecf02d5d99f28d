"""The public /verify/ page: is this PDF one that jwp issued, unaltered?

Anyone may check a file they hold (or its SHA-256). The answer names the kind of
document, the county, its title and when it was generated — what the PDF itself
already says — or that it is not a document issued by jwp. Nothing else is
revealed, and checks are rate-limited per client.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from documents import forms, selectors
from jwp.ratelimit import allow_request
from jwp.tenancy import all_counties_context

VERIFY_LIMIT = 20  # checks per client
VERIFY_PERIOD = 10 * 60  # seconds


@require_http_methods(["GET", "POST"])
def verify(request):
    form = forms.VerifyForm(request.POST or None, request.FILES or None)
    outcome = None
    status = 200
    if request.method == "POST":
        if not allow_request(request, "documents-verify", limit=VERIFY_LIMIT, period=VERIFY_PERIOD):
            form = forms.VerifyForm()
            form.add_error(
                None, _("Too many checks from your connection. Try again in a few minutes.")
            )
            status = 429
        elif form.is_valid():
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
    return render(
        request, "documents/verify.html", {"form": form, "outcome": outcome}, status=status
    )


verify.public = True
