"""Demo notifications: turns in workflows, then this morning's reminder sweep, so that
`make run` shows both under the bell and on the "Waiting for you" pages.

Two nominations are sent through their services, so the next actors are told as in
real use: USAID Nawiri is invited to nominate a member of the Health Sector Working
Group (partner@nawiri.demo's turn), and World Vision names its nominee to the
Environment SWG (the secretariat's turn to accept or decline). With the progress
report in TWG review (progress.demo) and the open action items (counties.demo_meetings)
something waits for each of them.

The meetings demo dates its action items relative to today (one overdue, one due in
5 days, one in 12 whose owner has no account): the owners — or, for the one without
an account, Samburu's secretariat — find them under the bell, and the Celery worker
prints the e-mails on the console. Runs last: the sweep reads every provider's items.
"""

from datetime import timedelta

from django.utils import timezone

from counties.models import Contact, CoordinationStructure, StructureKind
from counties.services import structures
from jwp.fiscal import kenyan_fy_label
from jwp.tenancy import county_context
from notifications.services.reminders import reminders_sweep


def _swg(county, slug: str) -> CoordinationStructure:
    return CoordinationStructure.objects.for_county(county).get(
        kind=StructureKind.SWG, cycle=kenyan_fy_label(), sector__slug=slug
    )


def _turns(demo) -> None:
    county, today = demo.samburu, timezone.localdate()
    secretariat = demo.users["secretariat@samburu.demo"]
    structures.nomination_invite(
        structure=_swg(county, "health"),
        actor=secretariat,
        organization=demo.organizations["Nawiri"],
        due_date=today + timedelta(days=10),
        message="Please nominate your nutrition advisor to the Health SWG.",
    )
    world_vision = demo.organizations["WVK"]
    invited = structures.nomination_invite(
        structure=_swg(county, "environment-water-natural-resources"),
        actor=secretariat,
        organization=world_vision,
        due_date=today + timedelta(days=7),
    )
    structures.nomination_nominate(
        nomination=invited,
        actor=demo.users["signatory@wvk.demo"],
        nominee=Contact.objects.for_county(county).filter(organization=world_vision).first(),
    )


def seed(demo) -> None:
    with county_context([demo.samburu]):
        _turns(demo)
    reminders_sweep(today=timezone.localdate())
