"""Honest M&E figures (issue 12, point 4): only verified results are rated, provisional
values are shown beside them, a quarter without a target is not rated, decrease-is-
better follows its legend, the year follows the indicator's aggregation, counts are
whole numbers; verify and return are confirmed decisions, refused to the wrong role or
person with a message, and the next person is told."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import selectors, services
from monitoring.models import Aggregation, Direction, Measure, ResultStatus
from monitoring.waiting import results_waiting
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
V, S, DR = ResultStatus.VERIFIED, ResultStatus.SUBMITTED, ResultStatus.DRAFT
WHOLE = "Enter a whole number: this indicator has no decimal places."


def one_quarter(county, *, direction, target, status, actual="14.2", **fields):
    indicator = factories.IndicatorFactory(county=county, direction=direction, **fields)
    if target is not None:
        factories.IndicatorTargetFactory(county=county, indicator=indicator, value=D(target))
    factories.ResultFactory(county=county, indicator=indicator, value=D(actual), status=status)
    with county_context([county]):
        (row,) = selectors.indicator_table(county=county, plan=indicator.plan)
    return row


# direction, target, status → the quarter's status, and the year's
STATUS_TABLE = [
    # verified results are rated against a target
    (Direction.INCREASE, "13", V, "green"),  # 14.2 / 13 = 109 %
    (Direction.INCREASE, "20", V, "amber"),  # 71 %
    (Direction.INCREASE, "30", V, "red"),  # 47 %
    # where a decrease is better, only at or below the target is on track
    (Direction.DECREASE, "13", V, "amber"),  # 14.2 against 13: 91.5 % achieved, above target
    (Direction.DECREASE, "15", V, "green"),  # below target
    (Direction.DECREASE, "9", V, "red"),  # 63.4 % achieved
    # without a target: not rated, whatever the state
    (Direction.INCREASE, None, V, "none"),
    (Direction.DECREASE, None, V, "none"),
    # provisional (submitted) and draft results never rate, with or without a target
    (Direction.INCREASE, "13", S, "none"),
    (Direction.DECREASE, "13", S, "none"),
    (Direction.INCREASE, None, S, "none"),
    (Direction.INCREASE, "13", DR, "none"),
    (Direction.DECREASE, "13", DR, "none"),
    (Direction.DECREASE, None, DR, "none"),
]


@pytest.mark.parametrize("direction,target,status,rag", STATUS_TABLE)
def test_status_is_rated_from_verified_results_against_a_target(
    county, direction, target, status, rag
):
    row = one_quarter(county, direction=direction, target=target, status=status, decimals=1)
    cell = row.cells[0]
    assert cell.rag == rag
    assert row.rag == rag  # the year so far, over one quarter
    assert (cell.variance is None) == (rag == "none")
    # the value shows where it belongs: rated, provisional beside, a draft nowhere
    assert cell.actual_text == ("14.2" if status == V else "")
    assert cell.provisional_text == ("14.2" if status == S else "")
    if status == S:
        assert row.provisional_year.actual == D("14.2") and row.year is None
    else:
        assert row.provisional_year is None
    if rag == "none":
        assert cell.rag_label == "Not rated" and cell.not_rated_reason


def test_achievement_reads_the_right_way_for_a_decrease(county):
    row = one_quarter(county, direction=Direction.DECREASE, target="13.0", status=V, decimals=1)
    v = row.cells[0].variance
    # 14.2 against 13.0 where lower is better: 13.0 / 14.2, below 100 %, not on track
    assert v.percent == D("91.5") and v.rag_label == "Needs attention"
    assert v.difference_label == "1.2 above target" and v.percent_label == "91.5% achieved"


def test_a_provisional_result_does_not_move_the_year(county):
    """The issue's case: one unverified result moved an indicator from 83 % to 124 %."""
    indicator = factories.IndicatorFactory(county=county, aggregation=Aggregation.SUM)
    for quarter, (value, status) in enumerate((("500", V), ("1000", S)), start=1):
        factories.IndicatorTargetFactory(
            county=county, indicator=indicator, quarter=quarter, value=D(600)
        )
        factories.ResultFactory(
            county=county, indicator=indicator, quarter=quarter, value=D(value), status=status
        )
    with county_context([county]):
        (row,) = selectors.indicator_table(county=county, plan=indicator.plan)
    assert (row.year.actual, row.year.target, row.year.percent) == (D(500), D(600), D("83.3"))
    assert row.provisional_year.actual == D(1500) and row.provisional_year_text == "1,500"


@pytest.mark.parametrize(
    "aggregation,year_actual,year_target,annual",
    [
        # verified Q1 100 (target 100), Q2 40 (target 80), Q3 submitted, Q4 none; targets
        # 100, 80, 120, 100
        (Aggregation.SUM, D(140), D(180), D(400)),
        (Aggregation.LATEST, D(40), D(80), D(100)),
        (Aggregation.AVERAGE, D(70), D(90), D(100)),
    ],
)
def test_the_year_so_far_and_annual_target_follow_the_aggregation(
    county, aggregation, year_actual, year_target, annual
):
    indicator = factories.IndicatorFactory(county=county, aggregation=aggregation)
    for quarter, target in enumerate(("100", "80", "120", "100"), start=1):
        factories.IndicatorTargetFactory(
            county=county, indicator=indicator, quarter=quarter, value=D(target)
        )
    for quarter, (value, status) in enumerate((("100", V), ("40", V), ("999", S)), start=1):
        factories.ResultFactory(
            county=county, indicator=indicator, quarter=quarter, value=D(value), status=status
        )
    with county_context([county]):
        (row,) = selectors.indicator_table(county=county, plan=indicator.plan)
    assert (row.year.actual, row.year.target) == (year_actual, year_target)
    assert row.annual_target == annual


def test_counts_are_whole_numbers_and_refuse_fractions(client, county, make_member):
    indicator = factories.IndicatorFactory(county=county, unit="children", decimals=0)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, value=D("600"))
    factories.ResultFactory(county=county, indicator=indicator, value=D("610"), status=V)
    client.force_login(make_member(county, Role.OBSERVER))
    body = client.get(reverse("monitoring:plan", args=[county.slug, indicator.plan_id])).content
    body = body.decode()
    assert "Target: 600<" in body and ">610<" in body and "600.00" not in body
    assert "610.00" not in body
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    client.force_login(secretariat.user)
    form = client.get(reverse("monitoring:targets", args=[county.slug, indicator.pk]))
    assert 'value="600"' in form.content.decode() and 'step="1"' in form.content.decode()
    with county_context([county]), pytest.raises(ValidationError) as refused:
        services.result_save_draft(
            membership=secretariat,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=2,
            value=D("12.5"),
        )
    assert refused.value.message_dict == {
        "value": ["Enter a whole number: this indicator has no decimal places."]
    }
    indicator.by_sex = True
    with county_context([county]), pytest.raises(ValidationError) as refused:
        services.result_save_draft(
            membership=secretariat,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=2,
            value=D("12"),
            disaggregation={"sex": {"female": D("6.5"), "male": D("5.5")}},
        )
    assert refused.value.message_dict == {
        "sex": ["Enter a whole number: this indicator has no decimal places."]
    }


def test_a_percentage_is_never_summed(county):
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    plan = factories.JointWorkPlanFactory(county=county)
    objective = factories.ObjectiveFactory(county=county, plan=plan)
    common = {
        "membership": secretariat,
        "plan": plan,
        "objective": objective,
        "responsible_organization": factories.OrganizationFactory(),
        "name": "GAM rate",
        "measure": Measure.PERCENTAGE,
    }
    with county_context([county]):
        rate = services.indicator_save(**common)
        assert (rate.aggregation, rate.decimals) == (Aggregation.LATEST, 1)
        with pytest.raises(ValidationError) as refused:
            services.indicator_save(**common, aggregation=Aggregation.SUM)
    assert "aggregation" in refused.value.message_dict


# --- verify and return: confirmed, refused to the wrong side, told to the next person ------


@pytest.fixture
def submitted(county, make_member):
    indicator = factories.IndicatorFactory(county=county, unit="children")
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=1, value=D(600))
    factories.ResultFactory(county=county, indicator=indicator, quarter=1, value=D(610), status=V)
    factories.IndicatorTargetFactory(county=county, indicator=indicator, quarter=2, value=D(700))
    reporter = make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    with county_context([county]):
        membership = reporter.memberships.get(county=county)
        result = services.result_save_draft(
            membership=membership,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=2,
            value=D(470),
        )
    return result, membership


def verbs(county, result) -> set[str]:
    with county_context([county]):
        events = AuditEvent.objects.for_county(county).filter(
            target_type="monitoring.result", target_id=str(result.pk)
        )
        return set(events.values_list("verb", flat=True))


def notified(county) -> list[tuple[str, str]]:
    with county_context([county]):
        return sorted(
            Notification.objects.for_county(county).values_list("recipient__email", "item_key")
        )


def test_submitting_tells_the_verifiers_and_verifying_tells_the_submitter(
    county, neighbour, make_member, submitted, django_capture_on_commit_callbacks
):
    result, reporter = submitted
    verifier = make_member(county, Role.SECRETARIAT)
    make_member(county, Role.OBSERVER)
    make_member(neighbour, Role.SECRETARIAT)
    with county_context([county]), django_capture_on_commit_callbacks(execute=True):
        services.result_submit(membership=reporter, result=result)
    assert [email for email, _key in notified(county)] == [verifier.email]
    with county_context([county]):
        (item,) = results_waiting(verifier.memberships.get(county=county), None)
        assert item.url.endswith(f"/results/{result.pk}/verify/")
        assert results_waiting(reporter, None) == []
        services.result_verify(membership=verifier.memberships.get(county=county), result=result)
    assert (reporter.user.email, f"result:{result.pk}:verified:3") in notified(county)
    assert notified(neighbour) == []


def test_a_return_tells_the_submitter_and_waits_for_resubmission(
    county, make_member, submitted, django_capture_on_commit_callbacks
):
    result, reporter = submitted
    verifier = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    with county_context([county]), django_capture_on_commit_callbacks(execute=True):
        services.result_submit(membership=reporter, result=result)
        with pytest.raises(ValidationError) as refused:
            services.result_return(membership=verifier, result=result, comment="  ")
        assert refused.value.message_dict == {"comment": ["Say what needs correcting."]}
        services.result_return(membership=verifier, result=result, comment="Add Waso ward")
        (item,) = results_waiting(reporter, None)
        assert "Add Waso ward" in item.why and item.since is not None
        assert results_waiting(verifier, None) == []
    assert (reporter.user.email, f"result:{result.pk}:returned:3") in notified(county)


def test_the_wrong_role_or_the_submitter_cannot_verify(county, make_member, submitted):
    result, reporter = submitted
    secretary = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    lead = factories.MembershipFactory(
        county=county, role=Role.SECTOR_LEAD, sector=factories.SectorFactory()
    )
    with county_context([county]):
        services.result_submit(membership=reporter, result=result)
        for who in (reporter, lead):
            for step in (services.result_verify, services.result_return):
                with pytest.raises(PermissionDenied) as refused:
                    step(
                        membership=who,
                        result=result,
                        **({"comment": "x"} if step is services.result_return else {}),
                    )
                assert str(refused.value) == "Only the JWP secretariat verifies or returns results."
        # the secretariat member who submitted a result does not verify it
        result.submitted_by = secretary.user
        result.save(update_fields=["submitted_by"])
        with pytest.raises(PermissionDenied) as refused:
            services.result_verify(membership=secretary, result=result)
    assert "another member of the secretariat verifies it" in str(refused.value)


def test_the_decision_pages_confirm_and_refuse_with_a_message(
    client, county, make_member, submitted
):
    result, reporter = submitted
    with county_context([county]):
        services.result_submit(membership=reporter, result=result)
    verify = reverse("monitoring:result_verify", args=[county.slug, result.pk])
    client.force_login(reporter.user)
    refused = client.get(verify)
    assert refused.status_code == 403
    assert "Only the JWP secretariat verifies or returns results." in refused.content.decode()
    assert client.post(verify, {"row_version": 2, "confirmed": "1"}).status_code == 403
    client.force_login(make_member(county, Role.SECRETARIAT))
    page = client.get(verify).content.decode()
    # the verify screen: target, actual marked provisional, variance once verified,
    # previous quarters, the checks (no evidence: a warning)
    for expected in (
        "Target",
        "700",
        "470",
        "provisional",
        "Variance once verified",
        "Off track",  # 470 / 700 = 67 %
        "Previous quarters",
        "610",
        "Evidence attached",
        "No evidence file",
        "Confirm: verify the result",
    ):
        assert expected in page, expected
    # a POST without the confirmation only shows the page again
    assert client.post(verify, {"row_version": 2}).status_code == 200
    assert factories.refresh(result).status == ResultStatus.SUBMITTED
    assert verbs(county, result) == {"result.create", "result.submit"}
    assert client.post(verify, {"row_version": 2, "confirmed": "1"}).status_code == 302
    assert factories.refresh(result).status == ResultStatus.VERIFIED
    assert "result.verify" in verbs(county, result)
    # once verified, neither decision is ready any more: not offered, refused if forced
    page = client.get(verify).content.decode()
    assert "Confirm: verify the result" not in page and "This result is verified." in page


def test_a_neighbour_county_reaches_no_decision_page(
    client, neighbour, make_member, submitted, county
):
    result, _reporter = submitted
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    for name in ("monitoring:result_verify", "monitoring:result_return"):
        assert client.get(reverse(name, args=[neighbour.slug, result.pk])).status_code == 404
        url = reverse(name, args=[neighbour.slug, result.pk])
        assert client.post(url, {"row_version": 1, "confirmed": "1"}).status_code == 404
    assert factories.refresh(result).status == ResultStatus.DRAFT


def test_the_signed_plan_me_plan_has_annual_targets(county):
    """The PDF's M&E plan rows (documents.renderers.workplan): annual targets written."""
    from documents.renderers.workplan import context

    indicator = factories.IndicatorFactory(
        county=county, aggregation=Aggregation.SUM, plan_target=D(8000)
    )
    for quarter in (1, 2):
        factories.IndicatorTargetFactory(
            county=county, indicator=indicator, quarter=quarter, value=D(2250)
        )
    with county_context([county]):
        (row,) = context(None, indicator.plan)["indicators"]
    assert (row.annual_target_text, row.plan_target_text) == ("4,500", "8,000")
