"""Counties (the tenants), their geography and sectors, organizations, members."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jwp.roles import Role
from jwp.tenancy import CountyOwned
from jwp.uploads import county_upload_to

# --- reference geography (public facts, identical for everyone) -------------


class County(models.Model):
    """One of the 47 counties of the Constitution's First Schedule: the tenant."""

    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=60, unique=True)
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    former_province = models.CharField(_("former province"), max_length=40)
    require_two_factor = models.BooleanField(
        _("require two-factor sign-in"),
        default=False,
        help_text=_("The JWP Secretariat and the County Executive must use two-factor sign-in."),
    )

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
    # The county whose secretariat recorded it: it may edit the profile while no other
    # county uses the organization (counties.services.organizations).
    created_in = models.ForeignKey(
        "counties.County",
        verbose_name=_("recorded by county"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

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


class LawfulBasis(models.TextChoices):
    """Data Protection Act 2019, s.30: why the county may hold a person's data."""

    CONSENT = "consent", _("Consent of the person")
    CONTRACT = "contract", _("Performance of a contract")
    LEGAL_OBLIGATION = "legal_obligation", _("Compliance with a legal obligation")
    PUBLIC_TASK = "public_task", _("Public interest / official function")
    LEGITIMATE_INTEREST = "legitimate_interest", _("Legitimate interest")
    VITAL_INTEREST = "vital_interest", _("Vital interest of the person")


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNSPECIFIED = "unspecified", _("Prefer not to say")


class Contact(CountyOwned):
    """A person at an organization, held by a county (personal data: county-owned)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.CharField(_("position"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default="unspecified"
    )
    lawful_basis = models.CharField(
        _("lawful basis"),
        max_length=20,
        choices=LawfulBasis.choices,
        default="legitimate_interest",
        help_text=_("Data Protection Act 2019, s.30: why the county may hold this person's data."),
    )
    consent_recorded_at = models.DateTimeField(
        _("consent recorded"),
        null=True,
        blank=True,
        help_text=_("When the person agreed, if the basis is consent."),
    )
    consent_note = models.CharField(
        _("how consent was given"),
        max_length=300,
        blank=True,
        help_text=_("E.g. signed attendance form, e-mail of 3 March."),
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["county", "organization"], name="contact_county_org")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(lawful_basis="consent") | Q(consent_recorded_at__isnull=False),
                name="contact_consent_has_date",
            )
        ]

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


# --- preparatory phase: stakeholder mapping (manual §9.1) -------------------


class Level(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Quadrant(models.TextChoices):
    """The influence/interest matrix of the manual's stakeholder mapping."""

    MANAGE_CLOSELY = "manage_closely", _("Manage closely")
    KEEP_SATISFIED = "keep_satisfied", _("Keep satisfied")
    KEEP_INFORMED = "keep_informed", _("Keep informed")
    MONITOR = "monitor", _("Monitor")


class Stakeholder(CountyOwned):
    """One row of the county's stakeholder register: an organization engaged here."""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    role = models.TextField(_("role / responsibility"), blank=True)
    interest = models.CharField(_("interest in JWP"), max_length=6, choices=Level.choices)
    influence = models.CharField(_("level of influence"), max_length=6, choices=Level.choices)
    involvement = models.CharField(
        _("level of involvement"),
        max_length=200,
        blank=True,
        help_text=_("How actively to engage them, e.g. “Active participant in all phases”."),
    )
    communication_strategy = models.TextField(_("communication strategy"), blank=True)
    key_contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("key contact person"),
    )
    remarks = models.TextField(_("remarks"), blank=True)
    is_preg_partner = models.BooleanField(
        _("USAID/PREG partner"),
        default=False,
        help_text=_("Partnership for Resilience and Economic Growth; otherwise another partner."),
    )
    sectors = models.ManyToManyField(
        Sector,
        through="StakeholderSector",
        related_name="+",
        blank=True,
        verbose_name=_("sectors"),
    )
    wards = models.ManyToManyField(
        Ward, through="StakeholderWard", related_name="+", blank=True, verbose_name=_("wards")
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "organization"], name="stakeholder_unique_organization"
            )
        ]

    def __str__(self) -> str:
        return str(self.organization)

    @property
    def quadrant(self) -> str:
        high_influence = self.influence == Level.HIGH
        high_interest = self.interest == Level.HIGH
        if high_influence:
            return Quadrant.MANAGE_CLOSELY if high_interest else Quadrant.KEEP_SATISFIED
        return Quadrant.KEEP_INFORMED if high_interest else Quadrant.MONITOR

    def get_quadrant_display(self) -> str:
        return Quadrant(self.quadrant).label


class StakeholderSector(CountyOwned):
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "stakeholder", "sector"], name="stakeholdersector_unique"
            )
        ]


class StakeholderWard(CountyOwned):
    stakeholder = models.ForeignKey(Stakeholder, on_delete=models.CASCADE, related_name="+")
    ward = models.ForeignKey(Ward, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["county", "stakeholder", "ward"], name="stakeholderward_unique"
            )
        ]


# --- coordination structures (manual §4.1, §5, §6.5) ------------------------


class StructureKind(models.TextChoices):
    INCEPTION_TEAM = "inception_team", _("JWP Inception Team")
    TWG = "twg", _("Technical Working Group / Steering Committee")
    SECRETARIAT = "secretariat", _("JWP Secretariat")
    SWG = "swg", _("Sector Working Group")
    STEERING_GROUP = "steering_group", _("County Steering Group")


class CoordinationStructure(CountyOwned):
    """A JWP structure of one cycle (fiscal year), e.g. the 2025/26 TWG."""

    kind = models.CharField(_("kind"), max_length=16, choices=StructureKind.choices)
    cycle = models.CharField(
        _("JWP cycle"), max_length=7, help_text=_("Kenyan fiscal year, e.g. 2025/26.")
    )
    name = models.CharField(_("name"), max_length=200)
    sector = models.ForeignKey(
        Sector,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("sector"),
        help_text=_("Sector Working Groups only."),
    )
    mandate = models.TextField(_("mandate"), blank=True)
    terms_of_reference = models.FileField(
        _("terms of reference"), upload_to=county_upload_to, blank=True, max_length=300
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-cycle", "kind", "sector__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "cycle", "kind"],
                condition=Q(sector__isnull=True),
                name="structure_unique_per_cycle",
            ),
            models.UniqueConstraint(
                fields=["county", "cycle", "kind", "sector"],
                condition=Q(sector__isnull=False),
                name="structure_unique_swg_per_sector",
            ),
            models.CheckConstraint(
                condition=Q(kind="swg", sector__isnull=False)
                | (~Q(kind="swg") & Q(sector__isnull=True)),
                name="structure_sector_iff_swg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.cycle})"


class StructureMember(CountyOwned):
    """A person sitting on a structure: a contact, or a user of the platform."""

    structure = models.ForeignKey(
        CoordinationStructure, on_delete=models.CASCADE, related_name="members"
    )
    contact = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("contact"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("platform user"),
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    has_decision_authority = models.BooleanField(_("has decision-making authority"), default=False)
    is_chair = models.BooleanField(_("chair"), default=False)
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    class Meta:
        ordering = ["-is_chair", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(contact__isnull=False, user__isnull=True)
                | Q(contact__isnull=True, user__isnull=False),
                name="structuremember_contact_xor_user",
            ),
            models.UniqueConstraint(
                fields=["county", "structure", "contact"],
                condition=Q(contact__isnull=False),
                name="structuremember_unique_contact",
            ),
            models.UniqueConstraint(
                fields=["county", "structure", "user"],
                condition=Q(user__isnull=False),
                name="structuremember_unique_user",
            ),
        ]

    def __str__(self) -> str:
        return self.person_name

    @property
    def person_name(self) -> str:
        return self.contact.name if self.contact_id else str(self.user)


class NominationStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    NOMINATED = "nominated", _("Nominated")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Nomination(CountyOwned):
    """The secretariat asks an organization to nominate someone to a structure."""

    structure = models.ForeignKey(
        CoordinationStructure, on_delete=models.CASCADE, related_name="nominations"
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=NominationStatus.choices,
        default=NominationStatus.INVITED,
    )
    due_date = models.DateField(_("nomination due by"))
    message = models.TextField(_("message to the organization"), blank=True)
    nominee = models.ForeignKey(
        Contact,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nominee"),
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    invited_at = models.DateTimeField(default=timezone.now)
    nominated_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "structure", "organization"],
                condition=Q(status__in=["invited", "nominated"]),
                name="nomination_one_pending_per_organization",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} → {self.structure}"

    @property
    def is_overdue(self) -> bool:
        return self.status == NominationStatus.INVITED and self.due_date < timezone.localdate()


# --- meetings and workshops -------------------------------------------------


class MeetingKind(models.TextChoices):
    INCEPTION = "inception", _("Inception meeting")
    CO_CREATION = "co_creation", _("Co-creation workshop")
    TWG = "twg", _("TWG meeting")
    SWG = "swg", _("Sector Working Group meeting")
    PAUSE_AND_REFLECT = "pause_and_reflect", _("Pause and reflect")
    CLOSE_OUT = "close_out", _("Close-out meeting")
    OTHER = "other", _("Other meeting")


class Meeting(CountyOwned):
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    title = models.CharField(_("title"), max_length=200)
    structure = models.ForeignKey(
        CoordinationStructure,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("convened by"),
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    is_virtual = models.BooleanField(_("virtual"), default=False)
    virtual_link = models.URLField(_("meeting link"), blank=True)
    agenda = models.TextField(_("agenda"), blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    decisions = models.TextField(_("decisions"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["county", "-starts_at"], name="meeting_county_start")]

    def __str__(self) -> str:
        return self.title


class Attendance(CountyOwned):
    """One line of a meeting's attendance register."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    name = models.CharField(_("name"), max_length=200)
    contact = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("organization"),
    )
    position = models.CharField(_("position"), max_length=200, blank=True)
    gender = models.CharField(
        _("gender"), max_length=12, choices=Gender.choices, default=Gender.UNSPECIFIED
    )
    is_youth = models.BooleanField(_("youth (18–35)"), default=False)
    has_disability = models.BooleanField(_("person with disability"), default=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ActionItem(CountyOwned):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="action_items")
    description = models.CharField(_("action"), max_length=300)
    owner_name = models.CharField(_("owner"), max_length=200)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("A platform user to remind, if the owner has an account."),
    )
    owner_organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner's organization"),
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"), max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_date", "id"]

    def __str__(self) -> str:
        return self.description

    @property
    def is_overdue(self) -> bool:
        open_ = self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
        return open_ and self.due_date < timezone.localdate()


# Offices live in their own module; imported last, as they refer to the models above.
from counties.office_models import Office, OfficeHolding, OfficeKind  # noqa: E402, F401
