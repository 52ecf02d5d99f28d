"""Offices: the named positions the manual binds decisions and signatures to, and who
holds them when (DESIGN.md, Offices). Kept apart from ``counties.models``, which
imports them, so that module stays a readable size; the app label is the same."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counties.models import Organization, Sector
from jwp.tenancy import CountyOwned


class OfficeKind(models.TextChoices):
    """The named positions the manual binds decisions and signatures to (DESIGN.md, Offices)."""

    COUNTY_SECRETARY = "county_secretary", _("County Secretary")
    CEC_FINANCE = "cec_finance", _("CEC Member for Finance and Economic Planning")
    CEC_SECTOR = "cec_sector", _("CEC Member responsible for the sector")
    CHIEF_OFFICER_PLANNING = "co_planning", _("Chief Officer, Economic Planning")
    TWG_CHAIR = "twg_chair", _("Chair of the JWP Technical Working Group")
    ASSEMBLY_CHAIR = "assembly_chair", _("Chair of the Assembly sectoral committee")
    PARTNER_SIGNATORY = (
        "partner_signatory",
        _("Authorized signatory (Chief of Party / Country Director)"),
    )


class Office(CountyOwned):
    """A position in the county: one per kind, or per kind and sector / organization.

    ``cec_sector`` and ``assembly_chair`` exist once per sector, ``partner_signatory``
    once per organization, every other kind once per county.
    """

    kind = models.CharField(_("office"), max_length=20, choices=OfficeKind.choices)
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
        related_name="+",
        verbose_name=_("organization"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "sector_id", "organization_id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind__in=["cec_sector", "assembly_chair"], sector__isnull=False)
                    | (~Q(kind__in=["cec_sector", "assembly_chair"]) & Q(sector__isnull=True))
                ),
                name="office_sector_only_for_sector_offices",
                violation_error_message=_("This office needs a sector, and only it does."),
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind="partner_signatory", organization__isnull=False)
                    | (~Q(kind="partner_signatory") & Q(organization__isnull=True))
                ),
                name="office_organization_only_for_signatories",
                violation_error_message=_("A partner's signatory office needs its organization."),
            ),
            models.UniqueConstraint(
                fields=["county", "kind"],
                condition=Q(sector__isnull=True, organization__isnull=True),
                name="office_unique_county_kind",
            ),
            models.UniqueConstraint(
                fields=["county", "kind", "sector"],
                condition=Q(sector__isnull=False),
                name="office_unique_sector_kind",
            ),
            models.UniqueConstraint(
                fields=["county", "kind", "organization"],
                condition=Q(organization__isnull=False),
                name="office_unique_organization_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """ "CEC Member responsible for the sector — Health", "Authorized signatory — UNICEF"."""
        label = self.get_kind_display()
        if self.sector_id:
            return f"{label} — {self.sector}"
        if self.organization_id:
            return f"{label} — {self.organization.short_name}"
        return str(label)


class OfficeHolding(CountyOwned):
    """Who held an office, from when to when. History is kept: a holding is ended, not
    deleted. At most one holder at a time (an open holding is unique; dated overlaps
    are refused by ``counties.services.offices``)."""

    office = models.ForeignKey(
        Office, on_delete=models.PROTECT, related_name="holdings", verbose_name=_("office")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="office_holdings",
        verbose_name=_("holder"),
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["office_id", "-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="officeholding_ends_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.UniqueConstraint(
                fields=["county", "office"],
                condition=Q(ends_on__isnull=True),
                name="officeholding_one_open_holder",
                violation_error_message=_("This office already has a current holder."),
            ),
        ]
        indexes = [
            models.Index(fields=["county", "user"], name="officeholding_county_user"),
        ]

    def __str__(self) -> str:
        return f"{self.office} — {self.user}"

    def held_on(self, day) -> bool:
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)
