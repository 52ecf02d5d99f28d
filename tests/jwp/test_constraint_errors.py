"""Database constraints are field errors in words, on every form: a check constraint at
its field, a unique constraint with the county included, and an IntegrityError the
database raised in a race (one mechanism: jwp.constraints / jwp.forms)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from counties.forms import SectorForm
from counties.models import Sector
from jwp.constraints import integrity_errors
from jwp.forms import add_service_errors
from jwp.roles import Role
from jwp.tenancy import county_context
from tests import factories
from workplans.forms_plans import ActivityForm, CidpProgrammeForm, PlanForm

pytestmark = pytest.mark.django_db


def _activity_data(activity, **changes):
    data = {
        "title": activity.title,
        "sector": activity.sector_id,
        "objective": "",
        "lead_organization": activity.lead_organization_id,
        "start_date": "2025-09-01",
        "end_date": "2025-08-01",
        "status": activity.status,
        "row_version": activity.row_version,
    }
    data.update(changes)
    return data


def test_activity_ending_before_its_start_is_an_error_at_the_end_field(county, neighbour):
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        form = ActivityForm(_activity_data(activity), instance=activity, plan=activity.plan)
        assert not form.is_valid()
    assert form.errors["end_date"] == ["The end is before the start."]
    assert not form.non_field_errors()
    assert "violated" not in str(form.errors)


def test_activity_page_shows_the_end_date_error_next_to_the_field(client, county, neighbour):
    with county_context([county]):
        activity = factories.JointActivityFactory(county=county)
        user = factories.MembershipFactory(county=county, role=Role.SECRETARIAT).user
    client.force_login(user)
    url = reverse("workplans:activity_edit", args=[county.slug, activity.pk])
    response = client.post(url, _activity_data(activity))
    assert response.status_code == 200
    assert response.context["form"].errors["end_date"] == ["The end is before the start."]
    assert "jointactivity_ends_after_start" not in response.content.decode()


def test_plan_form_end_before_start_is_at_the_end_field(county, neighbour):
    form = PlanForm(
        {
            "fiscal_year": "2025/26",
            "title": "JWP",
            "scope_level": "county",
            "lead_agency": factories.OrganizationFactory().pk,
            "start_date": "2026-06-30",
            "end_date": "2025-07-01",
            "reporting_frequency": "quarterly",
        },
        county=county,
    )
    assert not form.is_valid()
    assert form.errors["end_date"] == ["The end is before the start."]
    assert not form.non_field_errors()


def test_duplicate_programme_code_in_the_county_is_a_code_error(county, neighbour):
    with county_context([county, neighbour]):
        factories.CidpProgrammeFactory(county=county, code="P1")
        form = CidpProgrammeForm({"code": "P1", "name": "Water"}, county=county)
        assert not form.is_valid()
        assert "already exists in this county" in form.errors["code"][0]
        # The same code in the neighbour county is another county's business.
        other = CidpProgrammeForm({"code": "P1", "name": "Water"}, county=neighbour)
        other.is_valid()
        assert "code" not in other.errors


def test_service_full_clean_error_is_moved_to_its_field(county):
    """sector_save runs full_clean: Django says "Sector with this County and Name
    already exists." on top; the form shows it at Name."""
    with county_context([county]):
        factories.SectorFactory(county=county, name="Water")
        duplicate = Sector(county=county, name="Water", slug="water-2")
        with pytest.raises(ValidationError) as err:
            duplicate.full_clean()
    form = SectorForm({"name": "Water", "order": 1})
    form.is_valid()
    add_service_errors(form, err.value)
    assert "already exists in this county" in form.errors["name"][0]
    assert not form.non_field_errors()


def test_integrity_error_of_a_unique_constraint_becomes_a_field_error(county):
    with county_context([county]):
        factories.SectorFactory(county=county, name="Water", slug="water")
        with pytest.raises(ValidationError) as err, integrity_errors(), transaction.atomic():
            Sector.objects.create(county=county, name="Water", slug="water-2")
        assert "already exists in this county" in err.value.error_dict["name"][0].message
        # The transaction is still usable after the refusal.
        assert Sector.objects.for_county(county).filter(name="Water").count() == 1


def test_integrity_error_passed_to_a_form_lands_on_the_field(county):
    with county_context([county]):
        factories.SectorFactory(county=county, name="Water", slug="water")
        try:
            with transaction.atomic():
                Sector.objects.create(county=county, name="Other", slug="water")
        except IntegrityError as exc:
            error = exc
    form = SectorForm({"name": "Other", "order": 1})
    form.is_valid()
    add_service_errors(form, error)
    # The slug is not a form field: the error is shown on top, in words.
    assert "already exists in this county" in form.non_field_errors()[0]


def test_unknown_integrity_error_is_not_swallowed():
    with pytest.raises(IntegrityError), integrity_errors():
        raise IntegrityError("something else entirely")


def test_a_constraint_no_form_caught_is_a_400_in_words_not_a_500(rf, county):
    from jwp.constraints import ConstraintViolationMiddleware

    with county_context([county]):
        factories.SectorFactory(county=county, name="Water", slug="water")
        try:
            with transaction.atomic():
                Sector.objects.create(county=county, name="Water", slug="water-2")
        except IntegrityError as exc:
            error = exc
    request = rf.post("/samburu/sectors/new/", HTTP_REFERER="https://evil.example/")
    request.user = factories.UserFactory()
    from django.contrib.messages.storage.fallback import FallbackStorage

    request.session = {}
    request._messages = FallbackStorage(request)
    response = ConstraintViolationMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 400
    page = response.content.decode()
    assert "already exists in this county" in page and "evil.example" not in page
    assert (
        ConstraintViolationMiddleware(lambda r: None).process_exception(
            request, IntegrityError("unrelated")
        )
        is None
    )
