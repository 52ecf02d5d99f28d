"""Counties (the tenants), their geography and sectors, organizations, members."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwp.roles import Role
from jwp.tenancy import CountyOwned

# --- reference geography (public facts, identical for everyone) -------------


class County(models.Model):
    """One of the 47 counties of the Constitution's First Schedule: the tenant."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    former_province = models.CharField(_("former province"), max_length=40)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("counties:home", kwargs={"county_slug": self.slug})


class SubCounty(models.Model):
    """A sub-county, which in the county governments' usage is the constituency (IEBC)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="subcounties")
    code = models.CharField(_("IEBC constituency code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name_plural = _("sub-counties")

    def __str__(self) -> str:
        return self.name


class Ward(models.Model):
    """A county assembly ward (IEBC)."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="wards")
    subcounty = models.ForeignKey(SubCounty, on_delete=models.PROTECT, related_name="wards")
    code = models.CharField(_("IEBC ward code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


# --- county-owned -----------------------------------------------------------


class MtefSector(models.TextChoices):
    """The ten national Medium-Term Expenditure Framework sectors."""

    ARUD = "arud", _("Agriculture, Rural and Urban Development")
    EII = "eii", _("Energy, Infrastructure and ICT")
    GECA = "geca", _("General Economic and Commercial Affairs")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    GJLO = "gjlo", _("Governance, Justice, Law and Order")
    PAIR = "pair", _("Public Administration and International Relations")
    SECURITY = "security", _("National Security")
    SPCR = "spcr", _("Social Protection, Culture and Recreation")
    EPWNR = "epwnr", _("Environment Protection, Water and Natural Resources")


class Sector(CountyOwned):
    """A county's planning sector. Seeded from the MTEF sectors; the county edits them."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=60)
    mtef_sector = models.CharField(
        _("MTEF sector"), max_length=12, choices=MtefSector.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "slug"], name="sector_unique_slug"),
            models.UniqueConstraint(fields=["county", "name"], name="sector_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class OrganizationCategory(models.TextChoices):
    COUNTY_DEPARTMENT = "county_department", _("County department")
    NATIONAL_GOVERNMENT = "national_government", _("National government")
    DONOR = "donor", _("Development partner / donor")
    IMPLEMENTING_PARTNER = "implementing_partner", _("Implementing partner")
    CSO = "cso", _("CSO / NGO")
    FAITH_BASED = "faith_based", _("Faith-based organization")
    PRIVATE_SECTOR = "private_sector", _("Private sector")
    COMMUNITY = "community", _("Community")
    RESEARCH = "research", _("Research & learning")
    BACKBONE = "backbone", _("Backbone organization")


class Organization(models.Model):
    """A stakeholder organization. Global: one NGO works in many counties."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    category = models.CharField(_("category"), max_length=24, choices=OrganizationCategory.choices)
    iati_identifier = models.CharField(
        _("IATI organisation identifier"),
        max_length=100,
        blank=True,
        help_text=_("For example KE-NCB-123456 or US-GOV-1."),
    )
    website = models.URLField(_("website"), blank=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["iati_identifier"],
                condition=~Q(iati_identifier=""),
                name="organization_unique_iati_identifier",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class Contact(CountyOwned):
    """A person at an organization, held by a county (personal data: county-owned)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["county", "organization"], name="contact_county_org")]

    def __str__(self) -> str:
        return self.name


class Membership(CountyOwned):
    """A user's role in one county. One membership per user and county."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    sector = models.ForeignKey(
        Sector,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["user__full_name"]
        constraints = [
            models.UniqueConstraint(fields=["county", "user"], name="membership_unique_user"),
            models.CheckConstraint(
                condition=~Q(role="sector_lead") | Q(sector__isnull=False),
                name="membership_sector_lead_has_sector",
            ),
            models.CheckConstraint(
                condition=~Q(role="partner") | Q(organization__isnull=False),
                name="membership_partner_has_organization",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}"

    @property
    def role_detail(self) -> str:
        if self.role == Role.SECTOR_LEAD and self.sector_id:
            return str(self.sector)
        if self.organization_id:
            return self.organization.short_name
        return ""


class Invitation(CountyOwned):
    """An e-mailed, one-time link to join a county with a role."""

    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    sector = models.ForeignKey(
        Sector, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    organization = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "email"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.get_role_display()}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at
