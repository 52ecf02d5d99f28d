"""HTML views for meetings and workshops: list, page, attendance register, action items.

Everyone in the county reads; the secretariat (``MANAGE_STAKEHOLDERS``) writes.
The attendance register works as a plain form and, with htmx, swaps only the
register and its figures.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from counties import selectors, services
from counties.forms.meetings import ActionItemForm, ActionStatusForm, AttendanceForm, MeetingForm
from counties.models import ActionItem, ActionStatus, Attendance, Meeting, MeetingKind
from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from jwp.pagination import paginate
from jwp.roles import Capability, role_can

MANAGE = Capability.MANAGE_STAKEHOLDERS
WHEN_CHOICES = [("upcoming", gettext_lazy("Upcoming")), ("past", gettext_lazy("Past"))]


def _can_manage(request) -> bool:
    return role_can(request.membership.role, MANAGE)


def _meeting(request, meeting_id: int) -> Meeting:
    return get_in_county(
        Meeting.objects.select_related("county", "structure"), request.county, pk=meeting_id
    )


def _meeting_url(meeting: Meeting, anchor: str = "") -> str:
    url = reverse(
        "counties:meeting",
        kwargs={"county_slug": meeting.county.slug, "meeting_id": meeting.pk},
    )
    return f"{url}#{anchor}" if anchor else url


def _parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@county_view()
def meeting_list(request):
    kind = request.GET.get("kind", "")
    when = request.GET.get("when", "")
    after = _parse_date(request.GET.get("after", ""))
    before = _parse_date(request.GET.get("before", ""))
    meetings = selectors.county_meetings(
        county=request.county, kind=kind, when=when, after=after, before=before
    )
    return render(
        request,
        "counties/meetings/meeting_list.html",
        {
            "page": paginate(request, meetings),
            "kinds": MeetingKind.choices,
            "kind": kind,
            "whens": WHEN_CHOICES,
            "when": when,
            "after": after,
            "before": before,
            "filtered": bool(kind or when or after or before),
            "can_manage": _can_manage(request),
        },
    )


@county_view(MANAGE)
def meeting_edit(request, meeting_id: int | None = None):
    county = request.county
    meeting = _meeting(request, meeting_id) if meeting_id else None
    form = MeetingForm(request.POST or None, instance=meeting, county=county)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.fields}
        try:
            if meeting is None:
                meeting = services.meeting_create(county=county, actor=request.user, **fields)
            else:
                services.meeting_update(meeting=meeting, actor=request.user, **fields)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect(_meeting_url(meeting))
    return render(
        request, "counties/meetings/meeting_edit.html", {"form": form, "meeting": meeting}
    )


def _attendance_context(request, meeting: Meeting, form: AttendanceForm | None = None) -> dict:
    county = request.county
    can_manage = _can_manage(request)
    return {
        "meeting": meeting,
        "can_manage": can_manage,
        "attendance": selectors.meeting_attendance(county=county, meeting=meeting),
        "participation": selectors.meeting_participation(county=county, meeting=meeting),
        "attendance_form": (form or AttendanceForm(county=county)) if can_manage else None,
    }


def _meeting_page(
    request,
    meeting: Meeting,
    *,
    attendance_form: AttendanceForm | None = None,
    action_form: ActionItemForm | None = None,
):
    county = request.county
    context = _attendance_context(request, meeting, attendance_form)
    can_manage = context["can_manage"]
    context.update(
        {
            "action_items": selectors.meeting_action_items(county=county, meeting=meeting),
            "action_form": (action_form or ActionItemForm(county=county)) if can_manage else None,
            "statuses": ActionStatus.choices,
        }
    )
    return render(request, "counties/meetings/meeting_detail.html", context)


@county_view()
def meeting_detail(request, meeting_id: int):
    return _meeting_page(request, _meeting(request, meeting_id))


def _attendance_response(request, meeting: Meeting, form=None, notice: str = ""):
    """htmx: the register and its figures; otherwise back to the meeting page."""
    if request.htmx:
        form = form or AttendanceForm(county=request.county)
        # Focus follows the swap: the field to fix, or the name of the next person.
        first = next((name for name in form.fields if name in form.errors), "name")
        form.fields[first].widget.attrs["autofocus"] = True
        context = _attendance_context(request, meeting, form)
        context["notice"] = notice
        return render(request, "counties/meetings/_attendance.html", context)
    if form is not None:
        return _meeting_page(request, meeting, attendance_form=form)
    messages.success(request, notice)
    return redirect(_meeting_url(meeting, "attendance"))


@require_POST
@county_view(MANAGE)
def attendance_add(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    form = AttendanceForm(request.POST, county=request.county)
    if form.is_valid():
        try:
            attendance = services.attendance_add(
                meeting=meeting, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            notice = _("%(name)s added to the register.") % {"name": attendance.name}
            return _attendance_response(request, meeting, notice=notice)
    return _attendance_response(request, meeting, form=form)


@require_POST
@county_view(MANAGE)
def attendance_remove(request, meeting_id: int, attendance_id: int):
    meeting = _meeting(request, meeting_id)
    attendance = get_in_county(
        Attendance.objects.filter(meeting=meeting), request.county, pk=attendance_id
    )
    name = attendance.name
    services.attendance_remove(attendance=attendance, actor=request.user)
    notice = _("%(name)s removed from the register.") % {"name": name}
    return _attendance_response(request, meeting, notice=notice)


@require_POST
@county_view(MANAGE)
def action_item_add(request, meeting_id: int):
    meeting = _meeting(request, meeting_id)
    form = ActionItemForm(request.POST, county=request.county)
    if form.is_valid():
        try:
            services.action_item_add(meeting=meeting, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Action item added."))
            return redirect(_meeting_url(meeting, "actions"))
    return _meeting_page(request, meeting, action_form=form)


@require_POST
@county_view(MANAGE)
def action_item_status(request, meeting_id: int, action_id: int):
    meeting = _meeting(request, meeting_id)
    item = get_in_county(
        ActionItem.objects.filter(meeting=meeting).select_related("meeting__county"),
        request.county,
        pk=action_id,
    )
    form = ActionStatusForm(request.POST)
    if form.is_valid():
        services.action_item_set_status(
            action_item=item, actor=request.user, status=form.cleaned_data["status"]
        )
        messages.success(
            request,
            _("“%(action)s” is now %(status)s.")
            % {"action": item.description, "status": item.get_status_display().lower()},
        )
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(_meeting_url(meeting, "actions"))
