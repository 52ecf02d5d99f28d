"""HTML views for a county's workspace: home, members, sectors, organizations."""

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counties import selectors, services
from counties.forms import (
    AcceptInvitationForm,
    InvitationForm,
    MembershipForm,
    OrganizationForm,
    SectorForm,
)
from counties.models import (
    Invitation,
    Membership,
    Organization,
    OrganizationCategory,
    Quadrant,
    Sector,
)
from counties.offices import offices_by_user
from counties.services.structures import structure_warnings
from jwp.access import (
    county_view,
    get_county_or_404,
    get_in_county,
    require,
)
from jwp.fiscal import kenyan_fy_label
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, Role, role_can
from jwp.tenancy import county_context
from sectorplans import selectors as sectorplan_selectors


@county_view()
def county_home(request):
    county = request.county
    return render(
        request,
        "counties/home.html",
        {
            "members": selectors.preview(
                selectors.county_members(county=county, active_only=True), limit=8
            ),
            "organizations": selectors.preview(
                selectors.county_organizations(county=county), limit=12
            ),
            "sectors": selectors.county_sectors(county=county, active_only=True),
            **_planning_summary(county),
        },
    )


def _planning_summary(county) -> dict:
    """Where the county's JWP stands: the register, structures, meetings, sector plans."""
    cycle = kenyan_fy_label()
    structures = [
        (s, structure_warnings(s, list(s.members.all())))
        for s in selectors.county_structures(county=county, cycle=cycle)
    ]
    quadrants = selectors.quadrant_counts(selectors.county_stakeholders(county=county))
    return {
        "cycle": cycle,
        "quadrants": [(Quadrant(q).label, n) for q, n in quadrants.items()],
        "stakeholder_count": sum(quadrants.values()),
        "structures": structures,
        "structures_with_warnings": sum(1 for _s, warnings in structures if warnings),
        "upcoming_meetings": selectors.county_meetings(county=county, when="upcoming")[:3],
        "sector_plans": sectorplan_selectors.county_plans(county=county)[:4],
    }


@county_view()
def member_list(request):
    county = request.county
    role = request.GET.get("role", "")
    query = request.GET.get("q", "").strip()
    page = paginate(request, selectors.county_members(county=county, role=role, query=query))
    held = offices_by_user(county=county, users=[m.user_id for m in page.object_list])
    for m in page.object_list:
        m.offices_held = held.get(m.user_id, [])
    can_manage = role_can(request.membership.role, Capability.MANAGE_MEMBERS)
    return render(
        request,
        "counties/member_list.html",
        {
            "page": page,
            "roles": Role.choices,
            "role": role,
            "q": query,
            "can_manage": can_manage,
            "invitations": selectors.open_invitations(county=county) if can_manage else [],
            "form": InvitationForm(county=county) if can_manage else None,
        },
    )


@county_view(Capability.MANAGE_MEMBERS)
def member_invite(request):
    county = request.county
    form = InvitationForm(request.POST or None, county=county)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                county=county, invited_by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("Invitation e-mailed to %(email)s.") % {"email": invitation.email}
            )
            return redirect("counties:members", county_slug=county.slug)
    return render(request, "counties/member_invite.html", {"form": form})


@county_view(Capability.MANAGE_MEMBERS)
def member_edit(request, member_id: int):
    county = request.county
    membership = get_in_county(
        Membership.objects.select_related("user", "county"), county, pk=member_id
    )
    initial = {
        "role": membership.role,
        "sector": membership.sector_id,
        "organization": membership.organization_id,
    }
    form = MembershipForm(request.POST or None, county=county, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                membership=membership, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Role of %(name)s changed.") % {"name": membership.user})
            return redirect("counties:members", county_slug=county.slug)
    return render(request, "counties/member_edit.html", {"form": form, "membership": membership})


@require_POST
@county_view(Capability.MANAGE_MEMBERS)
def member_revoke(request, member_id: int):
    county = request.county
    membership = get_in_county(
        Membership.objects.select_related("user", "county"), county, pk=member_id
    )
    try:
        services.membership_revoke(membership=membership, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("%(name)s is no longer a member.") % {"name": membership.user})
    return redirect("counties:members", county_slug=county.slug)


@require_POST
@county_view(Capability.MANAGE_MEMBERS)
def invitation_action(request, invitation_id: int, action: str):
    county = request.county
    invitation = get_in_county(
        Invitation.objects.select_related("county"), county, pk=invitation_id
    )
    service = {"resend": services.invitation_resend, "revoke": services.invitation_revoke}.get(
        action
    )
    require(service is not None)
    try:
        service(invitation=invitation, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        done = _("resent") if action == "resend" else _("revoked")
        messages.success(
            request,
            _("Invitation to %(email)s %(done)s.") % {"email": invitation.email, "done": done},
        )
    return redirect("counties:members", county_slug=county.slug)


def invitation_accept(request, county_slug: str, token: str):
    """Public: the one-time link from the invitation e-mail."""
    county = get_county_or_404(county_slug)
    with county_context([county]):
        try:
            invitation = services.invitation_for_token(county=county, token=token)
        except ValidationError as exc:
            return render(
                request,
                "counties/invitation_invalid.html",
                {"county": county, "problem": " ".join(exc.messages)},
                status=410,
            )
        user = request.user if request.user.is_authenticated else None
        form = (
            None
            if user
            else AcceptInvitationForm(
                request.POST or None,
                email=invitation.email,
                initial={"full_name": invitation.full_name},
            )
        )
        if request.method == "POST" and (form is None or form.is_valid()):
            try:
                services.invitation_accept(
                    invitation=invitation,
                    user=user,
                    full_name=form.cleaned_data["full_name"] if form else "",
                    password=form.cleaned_data["password1"] if form else "",
                )
            except ValidationError as exc:
                if form is None:
                    return render(
                        request,
                        "counties/invitation_invalid.html",
                        {"county": county, "problem": " ".join(exc.messages)},
                        status=409,
                    )
                add_service_errors(form, exc)
            else:
                if user is None:
                    from jwp.models import User

                    new_user = User.objects.get(email__iexact=invitation.email)
                    login(request, new_user, backend="jwp.auth_backends.ThrottledModelBackend")
                messages.success(request, _("Welcome to %(county)s County.") % {"county": county})
                return redirect("counties:home", county_slug=county.slug)
        return render(
            request,
            "counties/invitation_accept.html",
            {"county": county, "invitation": invitation, "form": form},
        )


invitation_accept.public = True


@county_view()
def sector_list(request):
    sectors = selectors.county_sectors(county=request.county)
    return render(
        request,
        "counties/sector_list.html",
        {"sectors": sectors, "can_manage": request.membership.role == Role.SECRETARIAT},
    )


@county_view(Capability.MANAGE_SECTORS)
def sector_edit(request, sector_id: int | None = None):
    county = request.county
    sector = get_in_county(Sector, county, pk=sector_id) if sector_id else None
    form = SectorForm(request.POST or None, instance=sector)
    if request.method == "POST" and form.is_valid():
        try:
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            services.sector_save(county=county, actor=request.user, sector=sector, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sector saved."))
            return redirect("counties:sectors", county_slug=county.slug)
    return render(request, "counties/sector_edit.html", {"form": form, "sector": sector})


@county_view()
def organization_list(request):
    category = request.GET.get("category", "")
    query = request.GET.get("q", "").strip()
    organizations = selectors.county_organizations(
        county=request.county, category=category, query=query
    )
    return render(
        request,
        "counties/organization_list.html",
        {
            "page": paginate(request, organizations),
            "categories": OrganizationCategory.choices,
            "category": category,
            "q": query,
        },
    )


def _county_organization(request, organization_id: int) -> Organization:
    """An organization engaged in this county; 404 otherwise (it is global)."""
    organization = (
        selectors.county_organizations(county=request.county).filter(pk=organization_id).first()
    )
    if organization is None:
        from django.http import Http404

        raise Http404
    return organization


@county_view()
def organization_detail(request, organization_id: int):
    organization = _county_organization(request, organization_id)
    return render(
        request,
        "counties/organization_detail.html",
        {
            "organization": organization,
            "contacts": selectors.organization_contacts(
                county=request.county, organization=organization
            ),
            "members": selectors.county_members(county=request.county).filter(
                organization=organization
            ),
            "edit_readiness": services.organization_edit_readiness(
                user=request.user, membership=request.membership, organization=organization
            ),
        },
    )


@county_view()
def organization_edit(request, organization_id: int):
    """A shared profile: only who ``organization_edit_readiness`` admits (403 otherwise)."""
    organization = _county_organization(request, organization_id)
    readiness = services.organization_edit_readiness(
        user=request.user, membership=request.membership, organization=organization
    )
    if not readiness.ready:
        raise PermissionDenied(readiness.message())
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        services.organization_update(
            membership=request.membership, organization=organization, actor=request.user, **fields
        )
        messages.success(request, _("Organization profile saved."))
        return redirect(
            "counties:organization",
            county_slug=request.county.slug,
            organization_id=organization.pk,
        )
    used_by = [c.name for c in selectors.organization_counties(organization=organization)]
    return render(
        request,
        "counties/organization_edit.html",
        {"form": form, "organization": organization, "used_by": used_by},
    )


@county_view(Capability.MANAGE_MEMBERS)
def audit_log(request):
    events = selectors.county_audit_events(county=request.county)
    return render(request, "counties/audit_log.html", {"page": paginate(request, events)})
