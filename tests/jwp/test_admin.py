"""Platform admins use Django admin across every county."""

import pytest
from django.contrib import admin
from django.urls import reverse

from jwp.tenancy import CountyOwned
from tests import factories

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda m: m._meta.label)


@pytest.fixture
def platform_admin(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda m: m._meta.label)
def test_every_admin_list_loads_for_a_platform_admin(
    client, platform_admin, county, neighbour, model
):
    factories.MembershipFactory(county=county)
    factories.MembershipFactory(county=neighbour)
    client.force_login(platform_admin)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = client.get(url)
    assert response.status_code == 200
    if issubclass(model, CountyOwned) and model._meta.model_name == "membership":
        assert response.context["cl"].result_count == 2  # both counties


def test_county_members_cannot_use_the_admin(client, county, make_member):
    client.force_login(make_member(county))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
