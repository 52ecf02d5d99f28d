"""The county's sign-in rule (two-factor for the secretariat and the executive)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from counties.selectors import privileged_members_two_factor
from counties.services.security import county_two_factor_readiness, county_two_factor_set
from jwp.access import county_view
from jwp.roles import Capability


@county_view(Capability.MANAGE_MEMBERS)
def security(request):
    county = request.county
    if request.method == "POST":
        required = request.POST.get("require_two_factor") == "on"
        try:
            county_two_factor_set(county=county, actor=request.user, required=required)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Two-factor sign-in is now required for the secretariat and the executive.")
                if required
                else _("Two-factor sign-in is optional."),
            )
        return redirect("counties:security", county_slug=county.slug)
    readiness = county_two_factor_readiness(county=county, actor=request.user)
    members = privileged_members_two_factor(county=county)
    return render(
        request,
        "counties/security.html",
        {
            "readiness": readiness,
            "enrolled": sum(1 for m in members if m.has_two_factor),
            "total": len(members),
        },
    )
