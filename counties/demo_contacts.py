"""Demo data: each demo contact gets a realistic lawful basis (Data Protection Act s.30).

County staff and national agencies are held for the county's official function;
partners' focal persons under the county's legitimate interest or their
agreement; civil society and community people by their consent, with the
date and the way they gave it.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from counties import services
from counties.models import Contact, LawfulBasis
from counties.models import OrganizationCategory as Cat
from jwp.tenancy import county_context

BASIS_BY_CATEGORY = {
    Cat.COUNTY_DEPARTMENT: LawfulBasis.PUBLIC_TASK,
    Cat.NATIONAL_GOVERNMENT: LawfulBasis.PUBLIC_TASK,
    Cat.DONOR: LawfulBasis.LEGITIMATE_INTEREST,
    Cat.IMPLEMENTING_PARTNER: LawfulBasis.CONTRACT,
    Cat.RESEARCH: LawfulBasis.LEGITIMATE_INTEREST,
    Cat.BACKBONE: LawfulBasis.LEGITIMATE_INTEREST,
    Cat.PRIVATE_SECTOR: LawfulBasis.LEGITIMATE_INTEREST,
}
CONSENT_NOTES = [
    "Signed the stakeholder forum register, Maralal",
    "Agreed by e-mail to be listed as focal person",
    "Signed the consent box on the inception meeting attendance form",
]
SECRETARIAT = {"025": "secretariat@samburu.demo", "023": "secretariat@turkana.demo"}


def seed(demo) -> None:
    today = timezone.localdate()
    for code, county in demo.counties.items():
        actor = demo.users.get(SECRETARIAT.get(code))
        with county_context([county]):
            contacts = Contact.objects.for_county(county).select_related("organization")
            for index, contact in enumerate(contacts.order_by("pk")):
                basis = BASIS_BY_CATEGORY.get(contact.organization.category, LawfulBasis.CONSENT)
                consent = {}
                if basis == LawfulBasis.CONSENT:
                    day = today - timedelta(days=30 + 11 * index)
                    consent = {
                        "consent_recorded_at": timezone.make_aware(datetime.combine(day, time(10))),
                        "consent_note": CONSENT_NOTES[index % len(CONSENT_NOTES)],
                    }
                services.contact_save(
                    county=county, actor=actor, contact=contact, lawful_basis=basis, **consent
                )
