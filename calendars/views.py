"""Pages of the county calendar: month, list, clash timeline, JWP events, feed links.

Reading is for every member; JWP events and the county feed are the secretariat's
(``MANAGE_CALENDAR``). The token feeds (``feed``) are the only views without a
login: the secret in the URL is the credential.
"""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from calendars import ics, selectors, services
from calendars.forms import EventForm, FilterForm
from calendars.items import dated_items
from calendars.models import CalendarEvent, FeedToken
from counties.selectors import memberships_for_user
from jwp.access import county_view, get_in_county, require
from jwp.fiscal import KENYA, FiscalYear, InvalidFiscalLabel, parse_year
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, role_can
from jwp.tenancy import county_context

MANAGE = Capability.MANAGE_CALENDAR
PER_PAGE = 30
CONFLICT = gettext_lazy(
    "Someone else changed this event meanwhile; nothing was overwritten. Check it again."
)


def _can_manage(request) -> bool:
    return role_can(request.membership.role, MANAGE)


def _filters(request) -> FilterForm:
    form = FilterForm(request.GET or None, county=request.county)
    form.is_valid()
    return form


def _clean(form: FilterForm, name: str):
    return form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None


def _common(request, form: FilterForm, **extra) -> dict:
    return {"form": form, "can_manage": _can_manage(request), **extra}


@county_view()
def month_view(request):
    today = timezone.localdate()
    first = selectors.parse_month(request.GET.get("month", ""), today)
    form = _filters(request)
    sector = _clean(form, "sector")
    kind = _clean(form, "kind")
    month = selectors.month(
        request.county,
        first,
        kinds=[kind] if kind else None,
        sector_id=sector.pk if sector else None,
        status=_clean(form, "status") or "",
        mine=request.membership if _clean(form, "mine") else None,
    )
    query = request.GET.copy()
    query.pop("month", None)
    return render(
        request,
        "calendars/month.html",
        _common(
            request,
            form,
            month=month,
            today=today,
            this_month=today.replace(day=1),
            filters=query.urlencode(),
            tab="month",
        ),
    )


@county_view()
def list_view(request):
    today = timezone.localdate()
    form = _filters(request)
    # Unfiltered, the list starts today and runs to the end of the Kenyan fiscal year.
    start, end = form.range((today, FiscalYear.of(KENYA, today).end))
    kind = _clean(form, "kind")
    sector = _clean(form, "sector")
    items = selectors.filtered(
        dated_items(request.county, start, end, kinds=[kind] if kind else None, today=today),
        sector_id=sector.pk if sector else None,
        status=_clean(form, "status") or "",
        mine=request.membership if _clean(form, "mine") else None,
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "calendars/list.html",
        _common(
            request,
            form,
            page=paginate(request, items, per_page=PER_PAGE),
            start=start,
            end=end,
            today=today,
            filters=query.urlencode(),
            filtered=bool(form.is_bound and any(form.cleaned_data.values())),
            years=selectors.year_choices(today),
            tab="list",
        ),
    )


@county_view()
def clash_view(request):
    today = timezone.localdate()
    label = request.GET.get("year", "")
    error = ""
    try:
        year = parse_year(label) if label else FiscalYear.of(KENYA, today)
    except InvalidFiscalLabel as exc:
        year, error = FiscalYear.of(KENYA, today), str(exc)
    rows = selectors.timeline(request.county, year)
    return render(
        request,
        "calendars/clash.html",
        {
            "year": year,
            "rows": rows,
            "clash_count": sum(1 for r in rows if r.is_clash and r.column == "county"),
            "clash_days": selectors.CLASH_DAYS,
            "columns": (
                ("county", _("County PFM calendar")),
                ("usaid", _("USAID cycle")),
                ("jwp", _("JWP process")),
            ),
            "years": selectors.year_choices(today),
            "error": error,
            "previous": year.previous(),
            "next": year.next(),
            "can_manage": _can_manage(request),
            "tab": "clash",
        },
    )


# --- JWP process events -------------------------------------------------------------------


def _event(request, event_id: int) -> CalendarEvent:
    return get_in_county(
        CalendarEvent.objects.select_related("sector", "created_by"), request.county, pk=event_id
    )


def _month_url(request, day) -> str:
    url = reverse("calendars:month", args=[request.county.slug])
    return f"{url}?month={day:%Y-%m}"


@county_view()
def event_detail(request, event_id: int):
    event = _event(request, event_id)
    return render(
        request,
        "calendars/event_detail.html",
        {"event": event, "can_manage": _can_manage(request)},
    )


@county_view(MANAGE)
def event_edit(request, event_id: int | None = None):
    county = request.county
    event = _event(request, event_id) if event_id else None
    form = EventForm(request.POST or None, instance=event, county=county)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        row_version = data.pop("row_version", None)
        try:
            if event is None:
                event = services.event_create(county=county, actor=request.user, **data)
            else:
                event = services.event_update(
                    event=event,
                    actor=request.user,
                    row_version=row_version or event.row_version,
                    **data,
                )
        except ValidationError as exc:
            add_service_errors(form, exc)
        except services.EditConflict:
            form.add_error(None, CONFLICT)
        else:
            messages.success(request, _("JWP event saved."))
            return redirect(_month_url(request, event.starts_on))
    return render(request, "calendars/event_edit.html", {"form": form, "event": event})


@require_POST
@county_view(MANAGE)
def event_delete(request, event_id: int):
    event = _event(request, event_id)
    day = event.starts_on
    services.event_delete(event=event, actor=request.user)
    messages.success(request, _("JWP event removed from the calendar."))
    return redirect(_month_url(request, day))


# --- feeds ----------------------------------------------------------------------------------

SESSION_KEY = "calendars_new_feed_url"


@county_view()
def feeds(request):
    """The user's personal feed link and (for the secretariat) the county's."""
    can_manage = _can_manage(request)
    if request.method == "POST":
        which, action = request.POST.get("which"), request.POST.get("action")
        if which == "county":
            require(can_manage)
        token = None
        if (which, action) == ("personal", "issue"):
            token = services.user_feed_issue(user=request.user)
        elif (which, action) == ("personal", "revoke"):
            services.user_feed_revoke(user=request.user)
            messages.success(request, _("Your calendar feed link no longer works."))
        elif (which, action) == ("county", "issue"):
            token = services.county_feed_issue(county=request.county, actor=request.user)
        elif (which, action) == ("county", "revoke"):
            services.county_feed_revoke(county=request.county, actor=request.user)
            messages.success(request, _("The county's calendar feed link no longer works."))
        else:
            return HttpResponse(status=400)
        if token:
            url = request.build_absolute_uri(reverse("calendar_feed", args=[token]))
            request.session[SESSION_KEY] = {"which": which, "url": url}
        return redirect("calendars:feeds", county_slug=request.county.slug)
    live = {
        "personal": FeedToken.objects.filter(user=request.user, revoked_at__isnull=True).first(),
        "county": FeedToken.objects.filter(county=request.county, revoked_at__isnull=True).first()
        if can_manage
        else None,
    }
    return render(
        request,
        "calendars/feeds.html",
        {
            "live": live,
            "new": request.session.pop(SESSION_KEY, None),
            "can_manage": can_manage,
            "tab": "feeds",
        },
    )


FEED_PAST_DAYS = 92
FEED_FUTURE_DAYS = 400


@never_cache
@require_GET
def feed(request, token: str):
    """An ICS feed: no login, the token is the credential; unknown or revoked → 404."""
    found = services.feed_for_token(token)
    if found is None:
        raise Http404
    if found.county_id:
        counties = [found.county]
        name = _("JWP calendar · %(county)s") % {"county": found.county.name}
    else:
        if not found.user.is_active:
            raise Http404
        counties = [m.county for m in memberships_for_user(found.user)]
        name = _("JWP calendar · %(name)s") % {"name": found.user.full_name or found.user.email}
    today = timezone.localdate()
    start, end = today - timedelta(days=FEED_PAST_DAYS), today + timedelta(days=FEED_FUTURE_DAYS)
    items = []
    if counties:
        with county_context(counties):
            for county in counties:
                items += dated_items(county, start, end, today=today)
    now = timezone.now()
    FeedToken.objects.filter(pk=found.pk).update(last_used_at=now)
    body = ics.calendar(items, name=name, stamp=now, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="jwp.ics"'
    return response
