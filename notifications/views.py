"""Pages of notifications: the user's list and preferences (global), and the county's
reminder e-mails for the secretariat. Thin; rules in services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county
from jwp.pagination import paginate
from jwp.roles import Capability
from jwp.tenancy import county_context
from notifications import forms, selectors
from notifications import waiting as waiting_module
from notifications.models import EmailDelivery
from notifications.services import delivery as delivery_services
from notifications.services import inbox


def _back(request, default: str):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return HttpResponseRedirect(target)  # a URL, never a view name to reverse
    return redirect(default)


@login_required
def notification_list(request):
    counties = [m.county for m in selectors.read_memberships(request)]
    county_ids = [c.pk for c in counties]
    form = forms.NotificationFilterForm(request.GET or None, counties=counties)
    data = form.cleaned_data if form.is_valid() else {}
    by_slug = {c.slug: c.pk for c in counties}
    with county_context(county_ids):
        page = paginate(
            request,
            selectors.user_notifications(
                user=request.user,
                county_ids=county_ids,
                unread=data.get("state", "") != "all",
                county_id=by_slug.get(data.get("county", "")),
                kind=data.get("kind", ""),
            ),
        )
        return render(
            request,
            "notifications/list.html",
            {
                "page": page,
                "form": form,
                "filtered": bool(request.GET.get("kind") or request.GET.get("county")),
            },
        )


def _bell_response(request, template: str, context: dict):
    """An htmx answer that also refreshes the bell in the header (out-of-band)."""
    context["unread_notifications"] = selectors.unread_count(request)
    context["bell_oob"] = True
    return render(request, template, context)


@login_required
@require_POST
def notification_read(request, notification_id: int):
    county_ids = selectors.member_county_ids(request)
    with county_context(county_ids):
        notification = inbox.notification_mark_read(
            user=request.user, county_ids=county_ids, notification_id=notification_id
        )
        if request.htmx:
            return _bell_response(
                request, "notifications/_row.html", {"notification": notification}
            )
    return _back(request, reverse("notifications:list"))


@login_required
@require_POST
def notification_read_all(request):
    county_ids = selectors.member_county_ids(request)
    with county_context(county_ids):
        count = inbox.notifications_mark_all_read(user=request.user, county_ids=county_ids)
    messages.success(request, _("%(n)d notifications marked read.") % {"n": count})
    return _back(request, reverse("notifications:list"))


@login_required
def preferences(request):
    form = forms.PreferencesForm(
        request.POST or None, modes=selectors.preference_modes(request.user)
    )
    if request.method == "POST" and form.is_valid():
        inbox.preferences_save(user=request.user, modes=form.cleaned_data)
        messages.success(request, _("Your reminder preferences are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})


@county_view(Capability.MANAGE_REMINDERS)
def county_deliveries(request):
    form = forms.DeliveryFilterForm(request.GET or None)
    status = form.cleaned_data.get("status", "") if form.is_valid() else ""
    page = paginate(request, selectors.county_deliveries(county=request.county, status=status))
    return render(request, "notifications/deliveries.html", {"page": page, "form": form})


@county_view(Capability.MANAGE_REMINDERS)
@require_POST
def delivery_retry(request, delivery_id: int):
    delivery = get_in_county(EmailDelivery, request.county, pk=delivery_id)
    try:
        delivery_services.delivery_retry(delivery=delivery, actor=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("The e-mail to %(to)s is queued again.") % {"to": delivery.to_email}
        )
    return _back(request, reverse("notifications_county:deliveries", args=[request.county.slug]))


@county_view()
def waiting(request):
    """What waits for the member in this county, grouped by area."""
    rows = selectors.waiting_rows(request.membership, today=timezone.localdate())
    page = paginate(request, rows)
    return render(
        request,
        "notifications/waiting.html",
        {
            "page": page,
            "groups": selectors.group_by_area(page.object_list),
            "waiting_count": len(rows),
        },
    )


@county_view()
def waiting_count(request):
    """The header's count, asked for after the page loaded when none was cached."""
    count = waiting_module.count_for(request.membership, today=timezone.localdate())
    return render(request, "notifications/_waiting.html", {"waiting_count": count})
