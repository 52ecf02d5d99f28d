"""The data migration binds the signature slots that existed before offices to their
office (created where missing), and unbinds them on the way back."""

from importlib import import_module
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection

from counties.models import Office
from jwp.tenancy import county_context
from tests import factories
from workplans.models import Signature

migration = import_module("workplans.migrations.0007_signature_slots_bound_to_offices")
pytestmark = pytest.mark.django_db


def test_existing_slots_are_bound_to_their_office_and_unbound_on_reverse(county, neighbour):
    org = factories.OrganizationFactory()
    plan = factories.JointWorkPlanFactory(county=county)
    other = factories.JointWorkPlanFactory(county=neighbour)
    slots = [
        factories.SignatureFactory(county=county, plan=plan, capacity="county_secretary"),
        factories.SignatureFactory(county=county, plan=plan, capacity="partner", organization=org),
        factories.SignatureFactory(county=neighbour, plan=other, capacity="cec_finance"),
    ]
    editor = SimpleNamespace(connection=connection)
    with county_context([county, neighbour]):
        migration.bind(apps, editor)
        bound = {s.pk: Signature.objects.for_county(s.county_id).get(pk=s.pk) for s in slots}
        offices = {
            pk: (s.office.county_id, s.office.kind, s.office.organization_id)
            for pk, s in bound.items()
        }
        assert offices == {
            slots[0].pk: (county.pk, "county_secretary", None),
            slots[1].pk: (county.pk, "partner_signatory", org.pk),
            slots[2].pk: (neighbour.pk, "cec_finance", None),
        }
        migration.unbind(apps, editor)
        assert not Signature.objects.all_counties().filter(office__isnull=False).exists()
        assert Office.objects.for_county(county).count() == 2  # the offices stay
