"""Values by group, evidence files and the comments thread of a result (issue 6, point 2)."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jwp.models import AuditEvent
from jwp.roles import Role
from jwp.tenancy import county_context
from monitoring import services
from monitoring.models import Evidence, Measure, ResultComment, ResultStatus
from tests import factories

pytestmark = pytest.mark.django_db

D = Decimal
SEX = {"sex": {"female": D(50), "male": D(30)}}


@pytest.fixture
def indicator(county):
    return factories.IndicatorFactory(county=county, by_sex=True, by_age_group=True)


@pytest.fixture
def partner(county, indicator):
    return factories.MembershipFactory(
        county=county, role=Role.PARTNER, organization=indicator.responsible_organization
    )


@pytest.fixture
def secretariat(county):
    return factories.MembershipFactory(county=county, role=Role.SECRETARIAT)


AGES = {"age_group": {"0-14": D(10), "15-24": D(20), "25-35": D(30), "36+": D(20)}}


def save(membership, indicator, value="80", groups=None, quarter=1):
    with county_context([indicator.county]):
        return services.result_save_draft(
            membership=membership,
            indicator=indicator,
            fiscal_year=indicator.plan.fiscal_year,
            quarter=quarter,
            value=D(value),
            disaggregation=groups,
        )


# --- disaggregation -------------------------------------------------------------------


def test_groups_of_each_category_add_up_to_the_total(partner, indicator):
    with pytest.raises(ValidationError) as error:
        save(partner, indicator, groups={"sex": {"female": D(50), "male": D(20)}})
    assert "add up to 70, not to the total of 80" in error.value.message_dict["sex"][0]
    with pytest.raises(ValidationError) as error:
        save(partner, indicator, groups={"sex": {"female": D(80), "male": None}})
    assert "every sex group" in error.value.message_dict["sex"][0]
    result = save(partner, indicator, groups={**SEX, **AGES})
    with county_context([indicator.county]):
        stored = services.stored_values(result)
    assert stored["sex"] == {"female": D(50), "male": D(30)}
    assert sum(stored["age_group"].values()) == D(80)


def test_a_category_the_indicator_does_not_define_is_refused(partner, indicator):
    with pytest.raises(ValidationError):
        save(partner, indicator, groups={"disability": {"with": D(1), "without": D(79)}})


def test_submitting_needs_every_category(county, partner, indicator):
    result = save(partner, indicator, groups=SEX)  # a draft may be partial
    with county_context([county]), pytest.raises(ValidationError) as error:
        services.result_submit(membership=partner, result=result)
    assert "age group" in error.value.message_dict["age_group"][0]
    save(partner, indicator, groups={**SEX, **AGES})
    with county_context([county]):
        services.result_submit(membership=partner, result=factories.refresh(result))
    assert factories.refresh(result).status == ResultStatus.SUBMITTED


def test_a_changed_total_is_checked_again_on_submit(county, partner, indicator):
    result = save(partner, indicator, groups={**SEX, **AGES})
    save(partner, indicator, value="90")  # groups kept, total changed
    with county_context([county]), pytest.raises(ValidationError):
        services.result_submit(membership=partner, result=factories.refresh(result))


def test_percentage_groups_need_not_add_up_but_stay_within_100(county):
    indicator = factories.IndicatorFactory(county=county, measure=Measure.PERCENTAGE, by_sex=True)
    secretariat = factories.MembershipFactory(county=county, role=Role.SECRETARIAT)
    save(secretariat, indicator, value="40", groups={"sex": {"female": D(45), "male": D(35)}})
    with pytest.raises(ValidationError):
        save(secretariat, indicator, value="40", groups={"sex": {"female": D(145), "male": D(3)}})
    with pytest.raises(ValidationError):
        save(secretariat, indicator, value="140")


def test_the_result_page_shows_and_checks_the_groups(client, county, make_member, indicator):
    user = make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    client.force_login(user)
    url = reverse("monitoring:indicator", args=[county.slug, indicator.pk])
    bad = {"quarter": 1, "value": "80", "sex_0": "50", "sex_1": "20"}
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "add up to 70, not to the total of 80" in response.content.decode()
    good = {**bad, "sex_1": "30", "age_group_0": "80", "age_group_1": "0"}
    good.update({"age_group_2": "0", "age_group_3": "0"})
    assert client.post(url, good).status_code == 302
    with county_context([county]):
        result = indicator.results.get()
    body = client.get(reverse("monitoring:result", args=[county.slug, result.pk])).content
    assert b"Female" in body and b"50.00" in body and b"36 years and over" in body


# --- returned results --------------------------------------------------------------------


def test_a_returned_result_is_a_draft_the_reporter_corrects_and_resubmits(
    client, county, make_member, indicator, partner, secretariat
):
    result = save(partner, indicator, groups={**SEX, **AGES})
    with county_context([county]):
        services.result_submit(membership=partner, result=result)
        services.result_return(
            membership=secretariat, result=result, comment="Waso ward is missing"
        )
        events = set(
            AuditEvent.objects.for_county(county)
            .filter(target_type="monitoring.result", target_id=str(result.pk))
            .values_list("verb", flat=True)
        )
    assert "result.return" in events
    client.force_login(partner.user)
    page = reverse("monitoring:result", args=[county.slug, result.pk])
    body = client.get(page).content.decode()
    assert "Returned by the secretariat for correction" in body
    assert "Waso ward is missing" in body and "Submit again for verification" in body
    indicator_page = client.get(reverse("monitoring:indicator", args=[county.slug, indicator.pk]))
    assert "Waso ward is missing" in indicator_page.content.decode()
    fixed = {"quarter": 1, "value": "80", "sex_0": "40", "sex_1": "40"}
    fixed.update({"age_group_0": "80", "age_group_1": "0", "age_group_2": "0", "age_group_3": "0"})
    fixed["row_version"] = factories.refresh(result).row_version
    assert client.post(page, fixed).status_code == 302
    result = factories.refresh(result)
    submit = reverse("monitoring:result_submit", args=[county.slug, result.pk])
    client.post(submit, {"row_version": result.row_version})
    result = factories.refresh(result)
    assert result.status == ResultStatus.SUBMITTED and result.return_comment == ""
    assert "Returned by the secretariat" not in client.get(page).content.decode()


# --- evidence ------------------------------------------------------------------------------


def pdf(name="register.pdf", data=factories.PDF_BYTES):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_evidence_is_checked_by_content_and_size(county, partner, indicator, settings):
    result = save(partner, indicator)
    with county_context([county]):
        with pytest.raises(ValidationError) as error:
            services.evidence_add(
                membership=partner,
                result=result,
                title="Not a PDF",
                upload=pdf("fake.pdf", b"MZ\x90\x00 an executable"),
            )
        assert "content was checked" in error.value.message_dict["file"][0]
        big = pdf("big.pdf", factories.PDF_BYTES + b"0" * (services.MAX_EVIDENCE_BYTES + 1))
        with pytest.raises(ValidationError) as error:
            services.evidence_add(membership=partner, result=result, title="", upload=big)
        assert "the limit is 10 MB" in error.value.message_dict["file"][0]
        evidence = services.evidence_add(membership=partner, result=result, title="", upload=pdf())
        assert evidence.kind == "pdf" and evidence.title == "register.pdf"
        assert Evidence.objects.for_county(county).count() == 1


def test_only_reporters_attach_and_only_to_a_draft(county, partner, indicator, secretariat):
    result = save(partner, indicator, groups={**SEX, **AGES})
    other = factories.MembershipFactory(county=county, role=Role.PARTNER)
    with county_context([county]):
        with pytest.raises(PermissionDenied):
            services.evidence_add(membership=other, result=result, title="x", upload=pdf())
        services.result_submit(membership=partner, result=result)
        with pytest.raises(ValidationError):
            services.evidence_add(membership=partner, result=result, title="x", upload=pdf())


def test_evidence_downloads_only_for_the_county_and_not_for_another_partner(
    client, county, neighbour, make_member, indicator
):
    evidence = factories.EvidenceFactory(county=county, result__indicator=indicator)
    url = reverse("monitoring:evidence", args=[county.slug, evidence.pk])
    client.force_login(
        make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    )
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.get(url).status_code == 200
    client.force_login(make_member(county, Role.PARTNER))  # another organization
    assert client.get(url).status_code == 404
    page = client.get(reverse("monitoring:result", args=[county.slug, evidence.result_id]))
    assert evidence.title not in page.content.decode()
    client.force_login(make_member(neighbour, Role.SECRETARIAT))
    assert client.get(url).status_code == 404
    theirs = reverse("monitoring:evidence", args=[neighbour.slug, evidence.pk])
    assert client.get(theirs).status_code == 404


def test_upload_and_removal_through_the_page(client, county, make_member, indicator):
    result = factories.ResultFactory(county=county, indicator=indicator)
    client.force_login(
        make_member(county, Role.PARTNER, organization=indicator.responsible_organization)
    )
    add = reverse("monitoring:evidence_add", args=[county.slug, result.pk])
    response = client.post(add, {"title": "Tally", "file": pdf("x.pdf", b"plain text")})
    assert response.status_code == 302
    with county_context([county]):
        assert not Evidence.objects.for_county(county).exists()
    client.post(add, {"title": "Tally", "file": pdf()})
    with county_context([county]):
        evidence = Evidence.objects.for_county(county).get()
    delete = reverse("monitoring:evidence_delete", args=[county.slug, evidence.pk])
    assert client.post(delete).status_code == 302
    with county_context([county]):
        assert not Evidence.objects.for_county(county).exists()
        verbs = set(AuditEvent.objects.for_county(county).values_list("verb", flat=True))
    assert {"result.evidence_add", "result.evidence_delete"} <= verbs


# --- comments ------------------------------------------------------------------------------


def test_members_who_see_a_result_comment_on_it(client, county, make_member, indicator):
    result = factories.ResultFactory(county=county, indicator=indicator)
    url = reverse("monitoring:comment_add", args=[county.slug, result.pk])
    client.force_login(make_member(county, Role.PARTNER))  # any partner reads results
    assert client.post(url, {"body": "Is Waso included?"}).status_code == 302
    client.force_login(make_member(county, Role.EXECUTIVE))
    client.post(url, {"body": "  "})
    client.force_login(make_member(county, Role.OBSERVER))
    assert client.post(url, {"body": "Observers only read"}).status_code == 403
    with county_context([county]):
        bodies = list(
            ResultComment.objects.for_county(county)
            .filter(result=result)
            .values_list("body", flat=True)
        )
        assert AuditEvent.objects.for_county(county).filter(verb="result.comment").count() == 1
    assert bodies == ["Is Waso included?"]


def test_comments_cannot_cross_counties(county, neighbour):
    result = factories.ResultFactory(county=county)
    stranger = factories.MembershipFactory(county=neighbour, role=Role.SECRETARIAT)
    with county_context([county, neighbour]), pytest.raises(ValueError):
        services.comment_add(membership=stranger, result=result, body="hello")


def test_only_the_reporters_change_a_draft_on_its_page(client, county, make_member, indicator):
    result = factories.ResultFactory(county=county, indicator=indicator)
    url = reverse("monitoring:result", args=[county.slug, result.pk])
    data = {"quarter": 1, "value": "5", "row_version": result.row_version}
    for role in (Role.PARTNER, Role.SECTOR_LEAD, Role.EXECUTIVE, Role.OBSERVER):
        client.force_login(make_member(county, role))
        page = client.get(url).content.decode()
        assert "Correct the result" not in page and "Submit for verification" not in page
        assert client.post(url, data).status_code == 403
    assert factories.refresh(result).value == D(90)
