"""Contacts: personal data held by a county (Data Protection Act 2019).

Every member of the county reads them (the issue: "visible only to members of
the counties that hold them"); the secretariat edits any, a partner those of
its own organization; only the secretariat exports or erases a person.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from counties import selectors, services
from counties.forms import ContactForm
from counties.models import Contact, LawfulBasis, Organization
from jwp.access import county_view, get_in_county, require
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, Role, role_can


def _may_manage(membership) -> bool:
    return role_can(membership.role, Capability.MANAGE_STAKEHOLDERS)


def _may_edit(membership, organization_id: int | None) -> bool:
    """Secretariat: any contact; partner: its own organization's contacts."""
    if _may_manage(membership):
        return True
    return membership.role == Role.PARTNER and membership.organization_id == organization_id


def _form_organizations(membership):
    """The organizations the member may file a contact under (None: any)."""
    if _may_manage(membership):
        return None
    return Organization.objects.filter(pk=membership.organization_id)


def _int_or_none(value: str) -> int | None:
    return int(value) if value.isdigit() else None


@county_view()
def contact_list(request):
    county, membership = request.county, request.membership
    organization_id = _int_or_none(request.GET.get("organization", ""))
    lawful_basis = request.GET.get("lawful_basis", "")
    query = request.GET.get("q", "").strip()
    contacts = selectors.county_contacts(
        county=county, organization_id=organization_id, lawful_basis=lawful_basis, query=query
    )
    return render(
        request,
        "counties/contacts/list.html",
        {
            "page": paginate(request, contacts),
            "organizations": selectors.contact_organizations(county=county),
            "organization_id": organization_id,
            "lawful_bases": LawfulBasis.choices,
            "lawful_basis": lawful_basis,
            "q": query,
            "can_add": _may_manage(membership) or membership.role == Role.PARTNER,
            "can_manage": _may_manage(membership),
        },
    )


def _contact(request, contact_id: int) -> Contact:
    return get_in_county(
        Contact.objects.select_related("organization"), request.county, pk=contact_id
    )


@county_view()
def contact_detail(request, contact_id: int):
    contact = _contact(request, contact_id)
    membership = request.membership
    return render(
        request,
        "counties/contacts/detail.html",
        {
            "contact": contact,
            "footprint": selectors.contact_footprint(county=request.county, contact=contact),
            "can_edit": _may_edit(membership, contact.organization_id),
            "can_manage": _may_manage(membership),
        },
    )


@county_view()
def contact_edit(request, contact_id: int | None = None):
    county, membership = request.county, request.membership
    contact = _contact(request, contact_id) if contact_id else None
    if contact is not None:
        require(_may_edit(membership, contact.organization_id))
    else:
        require(_may_manage(membership) or membership.role == Role.PARTNER)
    form = ContactForm(
        request.POST or None,
        instance=contact,
        county=county,
        organizations=_form_organizations(membership),
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        # The form's choices already hold a partner to its organization; say it again here.
        require(_may_edit(membership, fields["organization"].pk))
        try:
            contact = services.contact_save(
                county=county, actor=request.user, contact=contact, **fields
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Contact %(name)s saved.") % {"name": contact.name})
            return redirect("counties:contact", county_slug=county.slug, contact_id=contact.pk)
    return render(request, "counties/contacts/edit.html", {"form": form, "contact": contact})


@require_GET
@county_view(Capability.MANAGE_STAKEHOLDERS)
def contact_export(request, contact_id: int, fmt: str):
    """Subject access (DPA s.26): everything held about the person, as a download."""
    contact = _contact(request, contact_id)
    content, content_type = services.contact_export(
        county=request.county, actor=request.user, contact=contact, fmt=fmt
    )
    response = HttpResponse(content, content_type=f"{content_type}; charset=utf-8")
    filename = f"contact-{contact.pk}-{request.county.slug}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@county_view(Capability.MANAGE_STAKEHOLDERS)
def contact_erase(request, contact_id: int):
    """Erasure on request (DPA s.40): a confirm page, then one POST erases everywhere."""
    county = request.county
    contact = _contact(request, contact_id)
    if request.method == "POST":
        counts = services.contact_erase(county=county, actor=request.user, contact=contact)
        messages.success(
            request,
            _(
                "The contact was erased: %(attendance)d attendance line(s) anonymised, "
                "%(memberships)d structure membership(s) removed."
            )
            % {
                "attendance": counts["attendance_anonymised"],
                "memberships": counts["structure_memberships_deleted"],
            },
        )
        return redirect("counties:contacts", county_slug=county.slug)
    return render(
        request,
        "counties/contacts/erase.html",
        {
            "contact": contact,
            "footprint": selectors.contact_footprint(county=county, contact=contact),
        },
    )
