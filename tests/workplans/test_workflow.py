"""The approval workflow of a joint work plan (manual §4.2 step 3): who moves it, when it
can be signed, the lock after the last signature, and amendments as new versions."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans import selectors
from workplans.models import Annex, JointActivity, PlanStatus, Signature
from workplans.services import plans as services


@pytest.fixture
def members(county):
    partner_org = factories.OrganizationFactory(name="World Vision Kenya")

    def member(role, **kw):
        return factories.MembershipFactory(county=county, role=role, **kw)

    return {
        "secretariat": member(Role.SECRETARIAT),
        "executive": member(Role.EXECUTIVE),
        "executive2": member(Role.EXECUTIVE),
        "partner": member(Role.PARTNER, organization=partner_org),
        "org": partner_org,
    }


@pytest.fixture
def plan(county, members):
    with county_context([county]):
        plan = services.workplan_create(
            county=county,
            membership=members["secretariat"],
            fiscal_year="2025/26",
            title="Samburu JWP",
            lead_agency=factories.OrganizationFactory(),
            start_date=factories.timezone.datetime(2025, 7, 1).date(),
            end_date=factories.timezone.datetime(2026, 6, 30).date(),
            partners=[members["org"]],
        )
    factories.JointActivityFactory(county=county, plan=plan, title="Borehole repair")
    return plan


def _advance_to(plan, members, status):
    order = [
        PlanStatus.CO_CREATION,
        PlanStatus.CONSOLIDATED,
        PlanStatus.TWG_REVIEWED,
        PlanStatus.CEC_APPROVED,
    ]
    for step in order[: order.index(status) + 1]:
        who = members["executive"] if step == PlanStatus.CEC_APPROVED else members["secretariat"]
        services.workplan_advance(plan=plan, membership=who, to=step)


def _sign_all(plan, members):
    county_signers = iter([members["executive"], members["executive2"]])
    for sig in selectors.plan_signatures(plan=plan):
        if sig.organization_id:
            services.signature_sign(signature=sig, membership=members["partner"])
        else:
            services.signature_sign(signature=sig, membership=next(county_signers))


def test_steps_go_in_order(county, members, plan):
    with county_context([county]):
        with pytest.raises(ValidationError):
            services.workplan_advance(
                plan=plan, membership=members["secretariat"], to=PlanStatus.CONSOLIDATED
            )
        _advance_to(plan, members, PlanStatus.TWG_REVIEWED)
    assert factories.refresh(plan).status == PlanStatus.TWG_REVIEWED


def test_only_the_executive_approves(county, members, plan):
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.TWG_REVIEWED)
        with pytest.raises(PermissionDenied):
            services.workplan_advance(
                plan=plan, membership=members["secretariat"], to=PlanStatus.CEC_APPROVED
            )
        services.workplan_advance(
            plan=plan, membership=members["executive"], to=PlanStatus.CEC_APPROVED
        )
        slots = list(selectors.plan_signatures(plan=plan))
    # County Secretary, CEC Finance, one per partner organization
    assert [(s.capacity, s.organization_id) for s in slots] == [
        ("county_secretary", None),
        ("cec_finance", None),
        ("partner", members["org"].pk),
    ]


def test_no_signing_before_cec_approval(county, members, plan):
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.TWG_REVIEWED)
        sig = Signature.objects.create(county=county, plan=plan, capacity="county_secretary")
        with pytest.raises(ValidationError, match="only after"):
            services.signature_sign(signature=sig, membership=members["executive"])


def test_one_person_signs_one_slot(county, members, plan):
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        secretary = selectors.plan_signatures(plan=plan).get(capacity="county_secretary")
        finance = selectors.plan_signatures(plan=plan).get(capacity="cec_finance")
        services.signature_sign(signature=secretary, membership=members["executive"])
        with pytest.raises(ValidationError, match="another capacity"):
            services.signature_sign(signature=finance, membership=members["executive"])
        services.signature_sign(signature=finance, membership=members["executive2"])


def test_partner_signs_only_its_own_organizations_slot(county, members, plan):
    other = factories.MembershipFactory(county=county, role=Role.PARTNER)
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        partner_slot = selectors.plan_signatures(plan=plan).get(capacity="partner")
        county_slot = selectors.plan_signatures(plan=plan).get(capacity="cec_finance")
        with pytest.raises(PermissionDenied):
            services.signature_sign(signature=partner_slot, membership=other)
        with pytest.raises(PermissionDenied):
            services.signature_sign(signature=county_slot, membership=members["partner"])
        services.signature_sign(signature=partner_slot, membership=members["partner"])
    partner_slot = factories.refresh(partner_slot)
    user = members["partner"].user
    assert partner_slot.signed_by == user
    assert partner_slot.signer_name == user.full_name
    assert partner_slot.signed_at is not None


def test_last_signature_signs_and_locks_the_plan(county, members, plan):
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        _sign_all(plan, members)
    plan = factories.refresh(plan)
    assert plan.status == PlanStatus.SIGNED
    assert plan.is_locked


def test_approved_and_signed_plans_refuse_changes(county, members, plan):
    with county_context([county]):
        activity = JointActivity.objects.for_county(county).get(plan=plan)
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        with pytest.raises(ValidationError, match="approved"):
            services.section_item_save(
                plan=plan,
                membership=members["secretariat"],
                kind="risk",
                description="Drought",
                likelihood="high",
                impact="high",
            )
        _sign_all(plan, members)
        plan = factories.refresh(plan)
        activity.plan = plan
        with pytest.raises(ValidationError, match="locked"):
            services.activity_update(
                activity=activity,
                membership=members["secretariat"],
                row_version=activity.row_version,
                title="Changed after signing",
            )
        with pytest.raises(ValidationError, match="locked"):
            services.workplan_update(
                plan=plan,
                membership=members["secretariat"],
                row_version=plan.row_version,
                title="Changed",
            )


def test_amendment_creates_version_2_with_copied_content(county, members, plan):
    with county_context([county]):
        services.section_item_save(
            plan=plan,
            membership=members["secretariat"],
            kind="risk",
            description="Drought",
            likelihood="high",
            impact="high",
        )
        with pytest.raises(ValidationError, match="Only a signed plan"):
            services.workplan_amend(plan=plan, membership=members["secretariat"])
        annex = factories.AnnexFactory(county=county, plan=plan)
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        _sign_all(plan, members)
        plan = factories.refresh(plan)
        with pytest.raises(PermissionDenied):
            services.workplan_amend(plan=plan, membership=members["executive"])
        new = services.workplan_amend(plan=plan, membership=members["secretariat"])
        assert (new.version, new.amends_id, new.status) == (2, plan.pk, PlanStatus.DRAFT)
        assert not new.is_locked
        assert [a.title for a in selectors.plan_activities(plan=new)] == ["Borehole repair"]
        assert [r.description for r in selectors.plan_risks(plan=new)] == ["Drought"]
        copied = Annex.objects.for_county(county).get(plan=new)
        assert (copied.title, copied.file.name) == (annex.title, annex.file.name)
        assert [o.pk for o in selectors.plan_partners(plan=new)] == [members["org"].pk]
        # the signed version is untouched
        assert selectors.plan_activities(plan=plan).count() == 1
        with pytest.raises(ValidationError, match="newer version"):
            services.workplan_amend(plan=plan, membership=members["secretariat"])


def test_differences_show_a_changed_added_and_removed_activity(county, members, plan):
    extra = factories.JointActivityFactory(county=county, plan=plan, title="Dropped")
    with county_context([county]):
        _advance_to(plan, members, PlanStatus.CEC_APPROVED)
        _sign_all(plan, members)
        plan = factories.refresh(plan)
        new = services.workplan_amend(plan=plan, membership=members["secretariat"])
        copies = {a.title: a for a in selectors.plan_activities(plan=new)}
        sec = members["secretariat"]
        services.activity_update(
            activity=copies["Borehole repair"],
            membership=sec,
            row_version=1,
            title="Borehole repair and fencing",
        )
        services.activity_delete(activity=copies["Dropped"], membership=sec)
        services.activity_create(
            plan=new,
            membership=sec,
            title="New water kiosk",
            sector=copies["Borehole repair"].sector,
            lead_organization=members["org"],
            start_date=new.start_date,
            end_date=new.start_date,
        )
        services.workplan_update(plan=new, membership=sec, row_version=1, title="Amended JWP")
        diff = selectors.plan_differences(county=county, old=plan, new=new)
    assert ("JWP title", "Samburu JWP", "Amended JWP") in diff["plan"]
    [(changed, changes)] = diff["changed"]
    assert changed.title == "Borehole repair and fencing"
    assert changes == [("activity", "Borehole repair", "Borehole repair and fencing")]
    assert [a.title for a in diff["added"]] == ["New water kiosk"]
    assert [a.pk for a in diff["removed"]] == [extra.pk]


# --- the same through the pages ------------------------------------------------


def _url(name, county, *args):
    from django.urls import reverse

    return reverse(f"workplans:{name}", args=[county.slug, *args])


def test_approval_signing_and_amendment_through_the_pages(client, county, members, plan):
    sec, exe, partner = (members[k].user for k in ("secretariat", "executive", "partner"))
    client.force_login(sec)
    for step in ("co_creation", "consolidated", "twg_reviewed"):
        client.post(_url("plan_advance", county, plan.pk), {"to": step})
    # the secretariat cannot approve in the CEC's place
    assert (
        client.post(_url("plan_advance", county, plan.pk), {"to": "cec_approved"}).status_code
        == 403
    )
    client.force_login(exe)
    client.post(_url("plan_advance", county, plan.pk), {"to": "cec_approved"})
    page = client.get(_url("plan", county, plan.pk))
    signable = [s for s in page.context["signatures"] if s.can_sign]
    assert [s.capacity for s in signable] == ["county_secretary", "cec_finance"]
    client.post(_url("signature_sign", county, signable[0].pk), {"title": "County Secretary"})
    client.force_login(members["executive2"].user)
    client.post(_url("signature_sign", county, signable[1].pk), {"title": "CEC Finance"})
    client.force_login(partner)
    [slot] = [
        s for s in client.get(_url("plan", county, plan.pk)).context["signatures"] if s.can_sign
    ]
    client.post(_url("signature_sign", county, slot.pk))
    assert factories.refresh(plan).is_locked

    client.force_login(sec)
    response = client.post(_url("plan_amend", county, plan.pk))
    assert response.status_code == 302
    with county_context([county]):
        new = selectors.plan_versions(plan=plan).get(version=2)
    assert not client.get(_url("plan", county, plan.pk)).context["can_amend"]  # v2 exists
    page = client.get(_url("plan_differences", county, new.pk))
    assert page.status_code == 200
    assert client.get(_url("plan_differences", county, plan.pk)).status_code == 404
    # the signed version's forms are gone, and a forged post is refused
    response = client.post(
        _url("risks", county, plan.pk),
        {"description": "Late", "likelihood": "low", "impact": "low"},
    )
    assert response.status_code == 200
    with county_context([county]):
        assert not selectors.plan_risks(plan=plan).exists()
