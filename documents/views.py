"""HTML views of generated documents: thin; rules in documents.kinds and services.

Every job is fetched with ``_job``: another county's job is a 404, and so is a
job whose content the member may not see, whoever made it: a work-plan document
for a partner who may not yet see every contribution of the plan, a quarterly
report printing a draft progress report (``documents.kinds.may_see_job``).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents import forms, selectors, services
from documents.kinds import (
    KINDS,
    kind_or_404,
    may_request,
    may_see,
    may_see_job,
    object_url,
    requestable_quarters,
    target_or_404,
)
from documents.models import DocumentJob, DocumentKind
from jwp.access import county_view, get_in_county
from jwp.fiscal import kenyan_fy_bounds, kenyan_quarter
from jwp.pagination import paginate
from jwp.uploads import serve_file


def _job(request, job_id: int) -> DocumentJob:
    job = get_in_county(
        DocumentJob.objects.select_related("requested_by"), request.county, pk=job_id
    )
    kind = KINDS[job.kind]
    target = kind.model.objects.for_county(request.county).filter(pk=job.target_id).first()
    if not may_see_job(request.membership, job, target):
        raise Http404
    return job


def _default_quarter(plan) -> int:
    """The quarter just ended (or under way) if today is in the plan's year, else Q4."""
    start, end = kenyan_fy_bounds(plan.fiscal_year)
    today = timezone.localdate()
    return kenyan_quarter(today) if start <= today <= end else 4


def _panel_context(request, kind, target, form=None) -> dict:
    can_request = may_request(kind, request.membership, target)
    if kind.key == DocumentKind.REPORT:
        # Only the quarters whose progress report the member may read are offered.
        quarters = requestable_quarters(request.membership, target)
        can_request = can_request and bool(quarters)
        if form is None:
            default = _default_quarter(target)
            form = forms.ReportRequestForm(
                quarters=quarters,
                initial={"quarter": default if default in quarters else (quarters or [None])[-1]},
            )
    return {
        "kind": kind,
        "target": target,
        "jobs": selectors.target_jobs(
            county=request.county,
            membership=request.membership,
            kind=kind.key,
            target_id=target.pk,
        ),
        "can_request": can_request,
        "form": form,
        "object_url": object_url(kind, request.county, target),
    }


@county_view()
def target_panel(request, kind: str, target_id: int):
    """An object's documents and the button that generates one. Object pages load
    it with htmx; without JavaScript it is a page of its own."""
    kind = kind_or_404(kind)
    target = target_or_404(kind, request.county, target_id)
    if not may_see(kind, request.membership, target):
        if request.htmx:  # the object's page loads it: show nothing rather than a link
            return HttpResponse("")
        raise Http404
    form = None
    if request.method == "POST":
        form = forms.ReportRequestForm(request.POST) if kind.key == DocumentKind.REPORT else None
        params = form.cleaned_data if form is not None and form.is_valid() else None
        if not may_request(kind, request.membership, target, params):
            raise PermissionDenied
        if form is None or form.is_valid():
            try:
                job, created = services.document_request(
                    membership=request.membership,
                    kind=kind,
                    target=target,
                    params=form.cleaned_data if form else None,
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                if not request.htmx:
                    if created:
                        messages.success(request, _("The document is being generated."))
                    else:
                        messages.info(
                            request,
                            _("This version was already requested: here is that document."),
                        )
                    return redirect("documents:job", request.county.slug, job.pk)
                form = None
    context = _panel_context(request, kind, target, form)
    template = "documents/_panel.html" if request.htmx else "documents/panel_page.html"
    return render(request, template, context)


@county_view()
def job_list(request):
    form = forms.JobFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    jobs = selectors.county_jobs(
        county=request.county,
        membership=request.membership,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
    )
    return render(
        request, "documents/job_list.html", {"form": form, "page": paginate(request, jobs)}
    )


def _job_context(request, job: DocumentJob) -> dict:
    kind = KINDS[job.kind]
    target = kind.model.objects.for_county(request.county).filter(pk=job.target_id).first()
    return {
        "job": job,
        "kind": kind,
        "target": target,
        "object_url": object_url(kind, request.county, target) if target is not None else "",
        "can_request": target is not None
        and may_request(kind, request.membership, target, job.params),
    }


@county_view()
def job_detail(request, job_id: int):
    job = _job(request, job_id)
    return render(request, "documents/job_detail.html", _job_context(request, job))


@county_view()
def job_status(request, job_id: int):
    """The small status partial htmx polls every 2 s until the job is done or failed."""
    job = _job(request, job_id)
    return render(request, "documents/_status.html", _job_context(request, job))


@county_view()
def job_download(request, job_id: int):
    job = _job(request, job_id)
    if not job.sha256 or not job.file:
        raise Http404
    response = serve_file(job.file, download_name=job.download_name)
    response["Content-Type"] = "application/pdf"
    response["X-Content-SHA256"] = job.sha256
    return response


@require_POST
@county_view()
def job_retry(request, job_id: int):
    job = _job(request, job_id)
    try:
        job = services.document_retry(membership=request.membership, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    if request.htmx:
        return render(request, "documents/_status.html", _job_context(request, job))
    return redirect(reverse("documents:job", args=[request.county.slug, job.pk]))
