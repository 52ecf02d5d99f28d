"""The stakeholder register, the influence/interest matrix, and organizations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counties import matrix, selectors, services
from counties.forms import CoverageForm, NewOrganizationForm, RegisterFilterForm, StakeholderForm
from counties.models import Quadrant, Stakeholder
from jwp.access import county_view, get_in_county, require
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, Role


def _may_manage(request) -> bool:
    return request.membership.role == Role.SECRETARIAT


def _is_own_partner_row(request, stakeholder: Stakeholder) -> bool:
    m = request.membership
    return m.role == Role.PARTNER and m.organization_id == stakeholder.organization_id


@county_view()
def stakeholder_list(request):
    county = request.county
    filters = RegisterFilterForm(request.GET or None, county=county)
    stakeholders = selectors.county_stakeholders(county=county, **filters.filters())
    page = paginate(request, stakeholders)
    counts = selectors.quadrant_counts(stakeholders)
    return render(
        request,
        "counties/stakeholders/list.html",
        {
            "page": page,
            "filters": filters,
            "can_manage": _may_manage(request),
            "quadrants": [(Quadrant(q).label, counts[q]) for q in Quadrant.values],
        },
    )


@county_view()
def stakeholder_matrix(request):
    county = request.county
    filters = RegisterFilterForm(request.GET or None, county=county)
    chosen = filters.filters()
    stakeholders = selectors.county_stakeholders(
        county=county, category=chosen.get("category", ""), sector=chosen.get("sector")
    ).prefetch_related(None)
    points = matrix.matrix_points(stakeholders)
    return render(
        request,
        "counties/stakeholders/matrix.html",
        {
            "filters": filters,
            "points": points,
            "quadrants": matrix.quadrant_boxes(),
            "legend": matrix.legend(points),
            "svg": matrix.SVG_SIZE,
        },
    )


@county_view()
def stakeholder_detail(request, stakeholder_id: int):
    stakeholder = get_in_county(
        Stakeholder.objects.select_related("organization", "key_contact"),
        request.county,
        pk=stakeholder_id,
    )
    return render(
        request,
        "counties/stakeholders/detail.html",
        {
            "stakeholder": stakeholder,
            "can_manage": _may_manage(request),
            "can_edit_coverage": _may_manage(request) or _is_own_partner_row(request, stakeholder),
        },
    )


@county_view(Capability.MANAGE_STAKEHOLDERS)
def stakeholder_edit(request, stakeholder_id: int | None = None):
    county = request.county
    stakeholder = (
        get_in_county(Stakeholder.objects.select_related("organization"), county, pk=stakeholder_id)
        if stakeholder_id
        else None
    )
    initial = {"organization": request.GET.get("organization")} if not stakeholder else None
    form = StakeholderForm(
        request.POST or None, instance=stakeholder, county=county, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.stakeholder_save(
                county=county, actor=request.user, stakeholder=stakeholder, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Register updated: %(org)s.") % {"org": saved})
            return redirect(
                "counties:stakeholder", county_slug=county.slug, stakeholder_id=saved.pk
            )
    return render(
        request, "counties/stakeholders/edit.html", {"form": form, "stakeholder": stakeholder}
    )


@county_view()
def stakeholder_coverage(request, stakeholder_id: int):
    """Sectors and wards: the secretariat, or the partner for its own organization."""
    county = request.county
    stakeholder = get_in_county(
        Stakeholder.objects.select_related("organization", "county"), county, pk=stakeholder_id
    )
    require(_may_manage(request) or _is_own_partner_row(request, stakeholder))
    form = CoverageForm(request.POST or None, county=county, stakeholder=stakeholder)
    if request.method == "POST" and form.is_valid():
        try:
            services.stakeholder_set_coverage(
                stakeholder=stakeholder,
                actor=request.user,
                sectors=list(form.cleaned_data["sectors"]),
                wards=list(form.cleaned_data["wards"]),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Where %(org)s works is updated.") % {"org": stakeholder.organization}
            )
            return redirect(
                "counties:stakeholder", county_slug=county.slug, stakeholder_id=stakeholder.pk
            )
    return render(
        request, "counties/stakeholders/coverage.html", {"form": form, "stakeholder": stakeholder}
    )


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def stakeholder_remove(request, stakeholder_id: int):
    stakeholder = get_in_county(
        Stakeholder.objects.select_related("organization", "county"),
        request.county,
        pk=stakeholder_id,
    )
    services.stakeholder_remove(stakeholder=stakeholder, actor=request.user)
    messages.success(
        request, _("%(org)s removed from the register.") % {"org": stakeholder.organization}
    )
    return redirect("counties:stakeholders", county_slug=request.county.slug)


@county_view(Capability.MANAGE_STAKEHOLDERS)
def organization_new(request):
    """Record an organization not yet known to jwp, then map it in the register."""
    form = NewOrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = services.organization_create(
            county=request.county, actor=request.user, **form.cleaned_data
        )
        messages.success(
            request, _("%(org)s recorded. Now map it in the register.") % {"org": organization}
        )
        url = reverse("counties:stakeholder_new", kwargs={"county_slug": request.county.slug})
        return redirect(f"{url}?organization={organization.pk}")
    return render(request, "counties/stakeholders/organization_new.html", {"form": form})
