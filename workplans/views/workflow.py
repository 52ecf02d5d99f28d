"""The plan's checked steps (section 8): one page per step with its readiness, the
confirmation form and the return form; the rules are in workplans/services/workflow.py."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jwp.access import county_view, get_in_county
from jwp.forms import add_service_errors
from workplans import forms_workflow as forms
from workplans import selectors
from workplans.models import DecisionOutcome, JointWorkPlan, PlanStep, Signature
from workplans.services import signatures
from workplans.services import workflow as services
from workplans.services.rules import is_editable


def _plan(request, plan_id: int) -> JointWorkPlan:
    return get_in_county(
        JointWorkPlan.objects.select_related("lead_agency", "county"), request.county, pk=plan_id
    )


def _step_form(request, plan, step: str, data, ready: bool):
    if step == PlanStep.CONSOLIDATE:
        return forms.ConsolidateForm(data)
    if step == PlanStep.TWG_REVIEW:
        form = forms.TwgReviewForm(data, meetings=services.held_twg_meetings(county=request.county))
        if not ready:  # only a return can be recorded on a plan that is not ready
            form.fields["outcome"].choices = [
                c for c in form.fields["outcome"].choices if c[0] == DecisionOutcome.RETURNED
            ]
        return form
    if step == PlanStep.CEC_APPROVAL:
        return forms.CecApprovalForm(data)
    return None


def _take(request, plan, step: str, form):
    membership, data = request.membership, form.cleaned_data
    if step == PlanStep.CONSOLIDATE:
        return services.workplan_consolidate(
            plan=plan, membership=membership, comments=data["comments"]
        )
    if step == PlanStep.TWG_REVIEW:
        return services.workplan_twg_review(
            plan=plan,
            membership=membership,
            meeting=data["meeting"],
            outcome=data["outcome"],
            comments=data["comments"],
        )
    return services.workplan_cec_approve(
        plan=plan,
        membership=membership,
        reference=data["reference"],
        decided_on=data["decided_on"],
        comments=data["comments"],
    )


@county_view()
def plan_step(request, plan_id: int, step: str):
    if step not in services.STEPS:
        raise Http404
    plan = _plan(request, plan_id)
    membership = request.membership
    spec = services.STEPS[step]
    at_step = plan.status == spec.source
    action = request.POST.get("action") if request.method == "POST" else None
    readiness = services.workplan_step_readiness(plan=plan, step=step)
    may_act = at_step and services.may_take_step(plan=plan, membership=membership, step=step)
    may_return = (
        at_step
        and step != PlanStep.TWG_REVIEW  # the TWG returns through its review
        and services.may_return(plan=plan, membership=membership)
    )
    form = _step_form(
        request, plan, step, request.POST if action == "take" else None, readiness.ready
    )
    return_form = forms.ReturnForm(request.POST if action == "return" else None)
    status = 200
    if action:
        target = return_form if action == "return" else form
        try:
            if target is None or not target.is_valid():
                raise ValidationError(_("Check the fields below."))
            if action == "return":
                services.workplan_return(
                    plan=plan, membership=membership, reason=target.cleaned_data["comments"]
                )
            else:
                decision = _take(request, plan, step, target)
        except PermissionDenied as exc:
            status = 403
            messages.error(request, str(exc))
        except ValidationError as exc:
            if target is not None and hasattr(exc, "error_dict"):
                add_service_errors(target, exc)
            else:
                messages.error(request, " ".join(exc.messages))
        else:
            if action == "return":
                messages.success(
                    request,
                    _("The plan was returned one step: %(s)s.") % {"s": plan.get_status_display()},
                )
            else:
                messages.success(
                    request,
                    _("%(step)s recorded: the plan is now %(s)s.")
                    % {"step": decision.get_stage_display(), "s": plan.get_status_display()},
                )
            return redirect(
                reverse("workplans:plan", args=[request.county.slug, plan.pk]) + "#decisions"
            )
    slots = []
    if step == PlanStep.SIGNING:
        slots = services.signature_slots(plan=plan)
        for slot in slots:
            slot.can_sign = (
                at_step and readiness.ready and signatures.can_sign(membership, slot, slot.holding)
            )
    return render(
        request,
        "workplans/plan_step.html",
        {
            "plan": plan,
            "tab": "overview",
            "editable": is_editable(plan),
            "step": step,
            "step_label": dict(services.PlanStep.choices)[step],
            "at_step": at_step,
            "readiness": readiness,
            "may_act": may_act
            and (
                readiness.ready
                # a TWG return needs no readiness, only the held meeting it was made in
                or (step == PlanStep.TWG_REVIEW and form.fields["meeting"].queryset.exists())
            ),
            "actor": services.step_actor_label(plan=plan, step=step),
            "form": form,
            "may_return": may_return,
            "return_form": return_form,
            "slots": slots,
            "decisions": selectors.plan_decisions(plan=plan),
        },
        status=status,
    )


@require_POST
@county_view()
def signature_sign(request, signature_id: int):
    """The office's holder signs the slot (the service checks who holds it today)."""
    signature = get_in_county(
        Signature.objects.select_related("plan__county"), request.county, pk=signature_id
    )
    try:
        signatures.signature_sign(signature=signature, membership=request.membership)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request, _("Signed as %(office)s. Thank you.") % {"office": signature.signer_title}
        )
    return redirect(
        reverse("workplans:plan_step", args=[request.county.slug, signature.plan_id, "signing"])
    )
