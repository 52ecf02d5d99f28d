"""Roles of a county membership and what each may do (DESIGN.md, "Roles").

One table answers "may this role do this?"; partner and sector-lead rights
that depend on *which* organization or sector are checked by the access
helpers with the object in hand.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SECRETARIAT = "secretariat", _("JWP Secretariat")
    EXECUTIVE = "executive", _("County Executive (CEC)")
    SECTOR_LEAD = "sector_lead", _("Sector lead")
    PARTNER = "partner", _("Partner")
    ASSEMBLY = "assembly", _("County Assembly")
    OBSERVER = "observer", _("Observer")


class Capability(models.TextChoices):
    VIEW = "view", _("Read the county's workspace")
    MANAGE_MEMBERS = "manage_members", _("Invite members and change or revoke roles")
    MANAGE_SECTORS = "manage_sectors", _("Edit the county's sectors")
    EDIT_ORGANIZATION = "edit_organization", _("Edit an organization's profile")
    MANAGE_STAKEHOLDERS = (
        "manage_stakeholders",
        _("Map stakeholders, set up structures, run meetings, manage contacts"),
    )
    EDIT_SECTOR_WORK = "edit_sector_work", _("Edit a sector's plan and activities")
    COMMENT = "comment", _("Comment on plans")
    APPROVE = "approve", _("Approve and sign plans")
    RECORD_ASSEMBLY_DECISION = "record_assembly_decision", _("Record assembly decisions")
    MANAGE_REMINDERS = "manage_reminders", _("See and resend the county's reminder e-mails")
    MANAGE_CALENDAR = (
        "manage_calendar",
        _("Schedule JWP process events and manage the county's calendar feed"),
    )


C = Capability
CAPABILITIES: dict[str, frozenset[str]] = {
    Role.SECRETARIAT: frozenset(
        {
            C.VIEW,
            C.MANAGE_MEMBERS,
            C.MANAGE_SECTORS,
            C.EDIT_ORGANIZATION,
            C.EDIT_SECTOR_WORK,
            C.COMMENT,
            C.MANAGE_STAKEHOLDERS,
            C.MANAGE_REMINDERS,
            C.MANAGE_CALENDAR,
        }
    ),
    Role.EXECUTIVE: frozenset({C.VIEW, C.COMMENT, C.APPROVE}),
    # Sector leads and partners hold these only for their own sector / organization;
    # the object-level half of the check lives in jwp.access.
    Role.SECTOR_LEAD: frozenset({C.VIEW, C.COMMENT, C.EDIT_SECTOR_WORK}),
    Role.PARTNER: frozenset({C.VIEW, C.COMMENT, C.EDIT_ORGANIZATION}),
    Role.ASSEMBLY: frozenset({C.VIEW, C.COMMENT, C.RECORD_ASSEMBLY_DECISION}),
    Role.OBSERVER: frozenset({C.VIEW}),
}


def role_can(role: str, capability: str) -> bool:
    return capability in CAPABILITIES.get(role, frozenset())


# Roles that approve, sign and manage members: their sessions idle out sooner
# (JWP_SESSION_IDLE_PRIVILEGED) and a county may require two-factor sign-in for them.
PRIVILEGED_ROLES: frozenset[str] = frozenset({Role.SECRETARIAT, Role.EXECUTIVE})
