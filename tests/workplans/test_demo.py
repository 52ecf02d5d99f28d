"""The demo: Samburu has a signed plan (design year 2024/25) and the next year's plan in
co-creation with overlaps to resolve (one resolved as complementary); Turkana has a draft."""

from io import StringIO

import pytest
from django.core.management import call_command

from counties.demo_clock import fiscal_year
from jwp.tenancy import county_context
from workplans.models import (
    Commitment,
    CommitmentStatus,
    JointWorkPlan,
    OverlapFlag,
    OverlapReason,
    PlanStatus,
    Signature,
)

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_signed_plan_and_one_in_co_creation_with_overlaps(county, neighbour):
    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plans = {p.fiscal_year: p for p in JointWorkPlan.objects.for_county(county)}
        signed, co_creation = plans[fiscal_year("2024/25")], plans[fiscal_year("2025/26")]
        assert signed.status == PlanStatus.SIGNED and signed.is_locked
        signatures = Signature.objects.for_county(county).filter(plan=signed)
        assert signatures.count() == 5 and not signatures.filter(signed_at=None).exists()
        states = set(
            Commitment.objects.for_county(county)
            .filter(activity__plan=signed)
            .values_list("status", flat=True)
        )
        assert states == set(CommitmentStatus.values)
        assert signed.activities.count() == 8
        assert co_creation.status == PlanStatus.CO_CREATION
        flags = list(OverlapFlag.objects.for_county(county).filter(plan=co_creation))
        open_flags = [f for f in flags if f.resolution == "open"]
        assert len(open_flags) == 3
        assert {f.reason for f in open_flags} == {
            OverlapReason.SAME_PLACE_AND_TIME,
            OverlapReason.SIMILAR_TITLE,
        }
        assert [f.resolution for f in flags if f.resolution != "open"] == ["complementary"]
        assert not OverlapFlag.objects.for_county(county).filter(plan=signed).exists()
    with county_context([neighbour]):
        [draft] = JointWorkPlan.objects.for_county(neighbour)
        assert draft.status == PlanStatus.DRAFT


def test_the_demo_signed_plan_walked_the_chain_with_its_office_holders(county):
    from workplans.models import PlanDecision
    from workplans.services import workflow

    call_command("seed_demo", stdout=StringIO())
    with county_context([county]):
        plans = {p.fiscal_year: p for p in JointWorkPlan.objects.for_county(county)}
        signed, co_creation = plans[fiscal_year("2024/25")], plans[fiscal_year("2025/26")]
        decisions = [
            (d.stage, d.outcome, d.by.email, d.office_title)
            for d in PlanDecision.objects.for_county(county).filter(plan=signed)
        ]
        signatures = {
            s.signed_by.email: s.signer_title
            for s in Signature.objects.for_county(county).filter(plan=signed)
        }
        readiness = workflow.workplan_step_readiness(plan=co_creation, step="consolidate")
    chair = "Chair of the JWP Technical Working Group"
    assert decisions == [
        ("consolidate", "consolidated", "secretariat@samburu.demo", "JWP Secretariat"),
        ("twg_review", "returned", "sectorlead@samburu.demo", chair),
        ("consolidate", "consolidated", "secretariat@samburu.demo", "JWP Secretariat"),
        ("twg_review", "endorsed", "sectorlead@samburu.demo", chair),
        (
            "cec_approval",
            "approved",
            "executive@samburu.demo",
            "CEC Member for Finance and Economic Planning",
        ),
    ]
    assert signatures["secretary@samburu.demo"] == "County Secretary"
    assert signatures["executive@samburu.demo"] == "CEC Member for Finance and Economic Planning"
    assert set(signatures) >= {"partner@nawiri.demo", "signatory@wvk.demo", "signatory@unicef.demo"}
    blocking = " ".join(c.detail for c in readiness.blocking)
    assert "no objectives" in blocking and "overlap" in blocking
