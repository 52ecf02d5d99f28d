"""Coordination structures (TWG/SC, Secretariat, SWGs …), their members and nominations."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from counties import selectors, services
from counties.forms import (
    DecideForm,
    NominateForm,
    NominationInviteForm,
    StructureForm,
    StructureMemberForm,
)
from counties.models import CoordinationStructure, Nomination, NominationStatus, StructureMember
from counties.services.structures import structure_warnings
from jwp.access import county_view, get_in_county, require
from jwp.fiscal import kenyan_fy_choices, kenyan_fy_label
from jwp.forms import add_service_errors
from jwp.roles import Capability, Role
from jwp.uploads import serve_file


def _structure(request, structure_id: int) -> CoordinationStructure:
    return get_in_county(
        CoordinationStructure.objects.select_related("sector", "county"),
        request.county,
        pk=structure_id,
    )


def _back(structure):
    return redirect(
        "counties:structure", county_slug=structure.county.slug, structure_id=structure.pk
    )


@county_view()
def structure_list(request):
    county = request.county
    cycle = request.GET.get("cycle") or kenyan_fy_label()
    structures = list(selectors.county_structures(county=county, cycle=cycle))
    rows = [(s, list(s.members.all())) for s in structures]
    return render(
        request,
        "counties/structures/list.html",
        {
            "rows": [(s, members, structure_warnings(s, members)) for s, members in rows],
            "cycle": cycle,
            "cycles": kenyan_fy_choices(),
            "sectors_without_swg": selectors.sectors_without_swg(county=county, cycle=cycle),
            "can_manage": request.membership.role == Role.SECRETARIAT,
        },
    )


@county_view()
def structure_detail(request, structure_id: int):
    county = request.county
    structure = _structure(request, structure_id)
    members = list(
        StructureMember.objects.for_county(county)
        .filter(structure=structure)
        .select_related("contact", "user", "organization")
    )
    nominations = selectors.structure_nominations(county=county, structure=structure)
    can_manage = request.membership.role == Role.SECRETARIAT
    return render(
        request,
        "counties/structures/detail.html",
        {
            "structure": structure,
            "members": members,
            "nominations": nominations,
            "warnings": structure_warnings(structure, members),
            "can_manage": can_manage,
            "my_organization_id": request.membership.organization_id,
            "member_form": StructureMemberForm(county=county) if can_manage else None,
            "invite_form": NominationInviteForm(
                organizations=selectors.county_organizations(county=county)
            )
            if can_manage
            else None,
        },
    )


@county_view(Capability.MANAGE_STAKEHOLDERS)
def structure_edit(request, structure_id: int | None = None):
    county = request.county
    structure = _structure(request, structure_id) if structure_id else None
    initial = StructureForm.initial_for(structure) if structure else {"cycle": kenyan_fy_label()}
    form = StructureForm(
        request.POST or None, request.FILES or None, county=county, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.structure_save(
                county=county, actor=request.user, structure=structure, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": saved})
            return _back(saved)
    return render(request, "counties/structures/edit.html", {"form": form, "structure": structure})


@county_view()
def structure_tor(request, structure_id: int):
    structure = _structure(request, structure_id)
    if not structure.terms_of_reference:
        raise Http404
    return serve_file(structure.terms_of_reference)


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def structure_member_add(request, structure_id: int):
    structure = _structure(request, structure_id)
    form = StructureMemberForm(request.POST, county=request.county)
    if form.is_valid():
        data = dict(form.cleaned_data)
        membership = data.pop("user")
        try:
            services.structure_member_add(
                structure=structure,
                actor=request.user,
                user=membership.user if membership else None,
                **data,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Member added."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(structure)


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def structure_member_remove(request, structure_id: int, structure_member_id: int):
    structure = _structure(request, structure_id)
    member = get_in_county(
        StructureMember.objects.filter(structure=structure).select_related("structure", "county"),
        request.county,
        pk=structure_member_id,
    )
    services.structure_member_remove(member=member, actor=request.user)
    messages.success(request, _("Member removed."))
    return _back(structure)


@require_POST
@county_view(Capability.MANAGE_STAKEHOLDERS)
def nomination_invite(request, structure_id: int):
    county = request.county
    structure = _structure(request, structure_id)
    form = NominationInviteForm(
        request.POST, organizations=selectors.county_organizations(county=county)
    )
    if form.is_valid():
        try:
            services.nomination_invite(structure=structure, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("%(org)s is invited to nominate a member.")
                % {"org": form.cleaned_data["organization"]},
            )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return _back(structure)


def _nomination(request, nomination_id: int) -> Nomination:
    return get_in_county(
        Nomination.objects.select_related(
            "structure", "structure__county", "organization", "county", "nominee"
        ),
        request.county,
        pk=nomination_id,
    )


@county_view()
def nomination_nominate(request, nomination_id: int):
    """The invited organization (its partner members) or the secretariat names the nominee."""
    nomination = _nomination(request, nomination_id)
    m = request.membership
    require(
        m.role == Role.SECRETARIAT
        or (m.role == Role.PARTNER and m.organization_id == nomination.organization_id)
    )
    form = NominateForm(
        request.POST or None, county=request.county, organization=nomination.organization
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_nominate(
                nomination=nomination, actor=request.user, nominee=form.cleaned_data["nominee"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Nomination sent to the secretariat."))
            return _back(nomination.structure)
    return render(
        request,
        "counties/structures/nominate.html",
        {
            "form": form,
            "nomination": nomination,
            "waiting": nomination.status == NominationStatus.INVITED,
        },
    )


@county_view(Capability.MANAGE_STAKEHOLDERS)
def nomination_decide(request, nomination_id: int):
    nomination = _nomination(request, nomination_id)
    form = DecideForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.nomination_decide(
                nomination=nomination,
                actor=request.user,
                accept=form.cleaned_data["decision"] == "accept",
                note=form.cleaned_data["note"],
                has_decision_authority=form.cleaned_data["has_decision_authority"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return _back(nomination.structure)
    return render(
        request, "counties/structures/decide.html", {"form": form, "nomination": nomination}
    )
