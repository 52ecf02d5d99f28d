"""Joint monitoring visit pages: list, detail with findings, photos and follow-up actions."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county, require
from jwp.pagination import paginate
from jwp.uploads import serve_file
from learning import forms, services
from learning.models import (
    ActionStatus,
    MonitoringVisit,
    VisitAction,
    VisitFinding,
    VisitPhoto,
)
from learning.views.common import context, plan_of, post_and_back, submit


def _visit_action(request, plan, visit=None):
    def action(data):
        data = dict(data)
        services.visit_save(
            membership=request.membership,
            plan=plan,
            visit=visit,
            row_version=data.pop("row_version"),
            wards=list(data.pop("wards")),
            sectors=list(data.pop("sectors")),
            organizations=list(data.pop("organizations")),
            **data,
        )

    return action


@county_view()
def visits(request, plan_id: int):
    plan = plan_of(request, plan_id)
    form = forms.VisitForm(request.POST or None, county=request.county)
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _visit_action(request, plan),
            success=_(
                "Joint monitoring visit recorded. Add findings, photos and follow-up actions."
            ),
            to=reverse("learning:visits", args=[request.county.slug, plan.pk]),
        )
        if done:
            return done
    open_actions = Q(actions__status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
    rows = (
        MonitoringVisit.objects.for_county(request.county)
        .filter(plan=plan)
        .annotate(
            photo_count=Count("photos", distinct=True),
            finding_count=Count("findings", distinct=True),
            open_action_count=Count("actions", filter=open_actions, distinct=True),
        )
        .prefetch_related("wards", "organizations")
        .order_by("-visited_on", "-pk")
    )
    filters = forms.VisitFilterForm(request.GET or None, county=request.county)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if chosen.get("ward"):
        rows = rows.filter(wards=chosen["ward"])
    if chosen.get("sector"):
        rows = rows.filter(sectors=chosen["sector"])
    return render(
        request,
        "learning/visit_list.html",
        context(
            request,
            plan,
            "visits",
            page=paginate(request, rows),
            form=form,
            filters=filters,
            filtered=any(chosen.values()),
        ),
    )


def _visit(request, visit_id: int) -> MonitoringVisit:
    return get_in_county(
        MonitoringVisit.objects.select_related("plan", "county"), request.county, pk=visit_id
    )


@county_view()
def visit_detail(request, visit_id: int):
    visit = _visit(request, visit_id)
    plan = visit.plan
    wards = list(visit.wards.order_by("name"))
    sectors = list(visit.sectors.all())
    organizations = list(visit.organizations.order_by("name"))
    form = forms.VisitForm(
        request.POST or None,
        county=request.county,
        initial={
            "title": visit.title,
            "visited_on": visit.visited_on,
            "sites": visit.sites,
            "summary": visit.summary,
            "wards": wards,
            "sectors": sectors,
            "organizations": organizations,
            "row_version": visit.row_version,
        },
    )
    if request.method == "POST":
        require(services.is_secretariat(request.membership))
        done = submit(
            request,
            form,
            _visit_action(request, plan, visit),
            success=_("Visit saved."),
            to=visit.get_absolute_url(),
        )
        if done:
            return done
    can_contribute = services.can_contribute_to_visit(
        request.membership,
        visit,
        organization_ids={o.pk for o in organizations},
        sector_ids={s.pk for s in sectors},
    )
    county = request.county
    return render(
        request,
        "learning/visit_detail.html",
        context(
            request,
            plan,
            "visits",
            visit=visit,
            wards=wards,
            sectors=sectors,
            organizations=organizations,
            findings=list(
                VisitFinding.objects.for_county(county)
                .filter(visit=visit)
                .select_related("organization", "created_by")
            ),
            photos=list(
                VisitPhoto.objects.for_county(county).filter(visit=visit).select_related("county")
            ),
            actions=list(VisitAction.objects.for_county(county).filter(visit=visit)),
            status_choices=ActionStatus.choices,
            form=form,
            can_contribute=can_contribute,
            finding_form=forms.FindingForm(),
            photo_form=forms.PhotoForm(),
            action_form=forms.ActionForm(),
        ),
    )


@county_view()
@require_POST
def finding_add(request, visit_id: int):
    visit = _visit(request, visit_id)
    return post_and_back(
        request,
        forms.FindingForm(request.POST),
        lambda d: services.finding_add(membership=request.membership, visit=visit, **d),
        success=_("Finding added."),
        to=visit.get_absolute_url() + "#findings",
    )


@county_view()
@require_POST
def photo_add(request, visit_id: int):
    visit = _visit(request, visit_id)
    form = forms.PhotoForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a photo to upload."))
    else:
        try:
            services.photo_add(
                membership=request.membership,
                visit=visit,
                upload=form.cleaned_data["image"],
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Photo added (resized, location data removed)."))
    return redirect(visit.get_absolute_url() + "#photos")


def _photo(request, photo_id: int) -> VisitPhoto:
    return get_in_county(
        VisitPhoto.objects.select_related("visit__county"), request.county, pk=photo_id
    )


@county_view()
def photo(request, photo_id: int):
    """The photo file, to members of the county only (the media folder is never served)."""
    row = _photo(request, photo_id)
    if not row.image or not row.image.storage.exists(row.image.name):
        raise Http404
    response = serve_file(row.image, download_name=f"visit-{row.visit_id}-photo-{row.pk}.jpg")
    # Shown in the page; private to members: no shared caches.
    response["Content-Disposition"] = response["Content-Disposition"].replace(
        "attachment", "inline", 1
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response


@county_view()
@require_POST
def photo_delete(request, photo_id: int):
    row = _photo(request, photo_id)
    services.photo_delete(membership=request.membership, photo=row)
    messages.success(request, _("Photo removed."))
    return redirect(row.visit.get_absolute_url() + "#photos")


@county_view()
@require_POST
def action_add(request, visit_id: int):
    visit = _visit(request, visit_id)
    if not services.is_secretariat(request.membership):
        raise PermissionDenied
    return post_and_back(
        request,
        forms.ActionForm(request.POST),
        lambda d: services.action_add(membership=request.membership, visit=visit, **d),
        success=_("Follow-up action added."),
        to=visit.get_absolute_url() + "#actions",
    )


@county_view()
@require_POST
def action_status(request, visit_action_id: int):
    row = get_in_county(
        VisitAction.objects.select_related("visit__county"), request.county, pk=visit_action_id
    )
    return post_and_back(
        request,
        forms.ActionStatusForm(request.POST),
        lambda d: services.action_set_status(membership=request.membership, action=row, **d),
        success=_("Follow-up action updated."),
        to=row.visit.get_absolute_url() + "#actions",
    )
