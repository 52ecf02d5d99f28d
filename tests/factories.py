"""factory_boy factories that keep an object graph inside one county."""

import factory
from django.utils import timezone

from counties.models import (
    Contact,
    County,
    Invitation,
    Membership,
    Organization,
    OrganizationCategory,
    Sector,
)
from jwp.models import User
from jwp.roles import Role
from jwp.tenancy import county_context

PASSWORD = "a-Good-test-passw0rd"


def samburu() -> County:
    return County.objects.get(code="025")


def turkana() -> County:
    return County.objects.get(code="023")


class CountyOwnedFactory(factory.django.DjangoModelFactory):
    """Creates rows inside the county's context, as services do (RLS admits them)."""

    class Meta:
        abstract = True

    county = factory.LazyFunction(samburu)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with county_context([kwargs["county"]]):
            return super()._create(model_class, *args, **kwargs)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["email"]

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    full_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    acronym = factory.Sequence(lambda n: f"ORG{n}")
    category = OrganizationCategory.IMPLEMENTING_PARTNER


class SectorFactory(CountyOwnedFactory):
    class Meta:
        model = Sector

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.Sequence(lambda n: f"sector-{n}")


class MembershipFactory(CountyOwnedFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.OBSERVER
    sector = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.SECTOR_LEAD),
        yes_declaration=factory.SubFactory(SectorFactory, county=factory.SelfAttribute("..county")),
        no_declaration=None,
    )
    organization = factory.Maybe(
        factory.LazyAttribute(lambda o: o.role == Role.PARTNER),
        yes_declaration=factory.SubFactory(OrganizationFactory),
        no_declaration=None,
    )


class ContactFactory(CountyOwnedFactory):
    class Meta:
        model = Contact

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Faker("name")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")


class InvitationFactory(CountyOwnedFactory):
    class Meta:
        model = Invitation

    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    full_name = factory.Faker("name")
    role = Role.OBSERVER
    token_hash = factory.Sequence(lambda n: f"unsent-{n:032d}")
    expires_at = factory.LazyFunction(lambda: timezone.now() + timezone.timedelta(days=7))


def refresh(obj):
    """Reload a county-owned object (row-level security needs its county's context)."""
    with county_context([obj.county_id]):
        obj.refresh_from_db()
    return obj
