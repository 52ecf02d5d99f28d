"""The county's offices: who holds which named position, since when, and the history.

Everyone in the county reads the page: who holds an office is what the manual prints
under a signature (a name and an office, nothing more personal), and every member
needs to know whom a step waits for. Only the secretariat (``MANAGE_MEMBERS``) is
offered and allowed the assign and end actions; the rules are in
``counties.services.offices``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.forms import OfficeChoiceForm, OfficeEndForm, OfficeHolderForm
from counties.models import Office, OfficeHolding
from counties.offices import office_board, office_find
from counties.services.offices import office_holding_end, office_slot_assign
from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from jwp.roles import Capability, role_can


def _offices_url(county) -> str:
    return reverse("counties:offices", args=[county.slug])


@county_view()
def office_list(request):
    today = timezone.localdate()
    return render(
        request,
        "counties/offices.html",
        {
            "slots": office_board(county=request.county, on=today),
            "today": today,
            "can_manage": role_can(request.membership.role, Capability.MANAGE_MEMBERS),
        },
    )


@county_view(Capability.MANAGE_MEMBERS)
def office_assign(request):
    """Choose the office (query string), then its holder and dates (POST)."""
    county = request.county
    choice = OfficeChoiceForm(request.GET if "kind" in request.GET else None, county=county)
    if not choice.is_valid():
        return render(request, "counties/offices_choose.html", {"choice": choice})
    slot = choice.cleaned_data
    office = office_find(
        county=county, kind=slot["kind"], sector=slot["sector"], organization=slot["organization"]
    )
    title = (office or Office(**slot)).title
    form = OfficeHolderForm(
        request.POST if request.method == "POST" else None,
        county=county,
        kind=slot["kind"],
        organization=slot["organization"],
    )
    if request.method == "POST" and form.is_valid():
        try:
            holding = office_slot_assign(
                county=county, by=request.membership, **slot, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s holds the office of %(office)s from %(day)s.")
                % {"name": holding.user, "office": title, "day": holding.starts_on},
            )
            return redirect(_offices_url(county))
    current = None
    if office is not None:
        current = (
            OfficeHolding.objects.for_county(county)
            .filter(office=office, ends_on__isnull=True)
            .select_related("user")
            .first()
        )
    return render(
        request,
        "counties/offices_assign.html",
        {
            "form": form,
            "title": title,
            "slot": slot,
            "current": current,
            "has_holders": form.fields["holder"].queryset.exists(),
        },
    )


@county_view(Capability.MANAGE_MEMBERS)
def office_end(request, holding_id: int):
    """Confirm the last day in office (GET), then end the holding (POST)."""
    county = request.county
    holding = get_in_county(
        OfficeHolding.objects.select_related(
            "user", "office", "office__county", "office__sector", "office__organization"
        ),
        county,
        pk=holding_id,
    )
    form = OfficeEndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            office_holding_end(
                holding=holding, ends_on=form.cleaned_data["ends_on"], by=request.membership
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is no longer %(office)s after %(day)s.")
                % {"name": holding.user, "office": holding.office.title, "day": holding.ends_on},
            )
            return redirect(_offices_url(county))
    return render(request, "counties/offices_end.html", {"form": form, "holding": holding})
