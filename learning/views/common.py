"""What every learning page shares: the plan lookup, the sub-navigation, form handling."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from jwp.access import get_in_county
from jwp.forms import add_service_errors
from learning.services import is_secretariat
from workplans.models import JointWorkPlan
from workplans.services.rules import EditConflict

CONFLICT = _("Someone else saved this meanwhile; nothing was overwritten. Check it and save again.")


def plan_of(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(JointWorkPlan.objects.select_related("county"), request.county, pk=plan_id)


def context(request, plan: JointWorkPlan, area: str, **extra) -> dict:
    """The plan's tab strip (tab "learning") and the learning area's own sub-navigation."""
    return {
        "plan": plan,
        "tab": "learning",
        "area": area,
        "editable": True,  # learning continues on signed plans: their lock is about the plan
        "is_secretariat": is_secretariat(request.membership),
        **extra,
    }


def submit(request, form, action: Callable, *, success: str, to: str):
    """On a valid POST call ``action(cleaned_data)``; errors go next to their fields.

    Returns a redirect after success, else None (the caller renders the form again).
    PermissionDenied from the service becomes 403.
    """
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        action(form.cleaned_data)
    except ValidationError as exc:
        add_service_errors(form, exc)
    except EditConflict:
        form.add_error(None, CONFLICT)
    else:
        messages.success(request, success)
        return redirect(to)
    return None


def post_and_back(request, form, action: Callable, *, success: str, to: str):
    """For small POST-only forms on a detail page: errors become a message."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except EditConflict:
            messages.error(request, CONFLICT)
        else:
            messages.success(request, success)
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(to)
