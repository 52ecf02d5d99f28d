"""Writes and rules of the sector plan workflow. One place per rule.

Who may complete a step is read from the step's *specific actor* in the seed table
(``ACTOR_ROLES``); the secretariat may act for anyone, and is then recorded as acting
on the actor's behalf. Rules that refuse raise ``PermissionDenied`` (wrong person:
403) or ``ValidationError`` with a message that says what to do (wrong moment: 400).
"""

from sectorplans.services.documents import plan_document_upload
from sectorplans.services.participation import (
    participation_window_close,
    participation_window_open,
    public_comment_moderate,
    public_comment_respond,
    public_comment_submit,
)
from sectorplans.services.plans import plan_lay_out, sector_plan_create, sector_plan_revise
from sectorplans.services.rules import (
    ACTOR_ROLES,
    actor_roles,
    acts_as,
    can_edit_plan,
    default_role,
)
from sectorplans.services.steps import (
    plan_step_complete,
    plan_step_reopen,
    plan_step_skip,
    plan_step_start,
    plan_step_update,
)

__all__ = [
    "ACTOR_ROLES",
    "actor_roles",
    "acts_as",
    "can_edit_plan",
    "default_role",
    "participation_window_close",
    "participation_window_open",
    "plan_document_upload",
    "plan_lay_out",
    "plan_step_complete",
    "plan_step_reopen",
    "plan_step_skip",
    "plan_step_start",
    "plan_step_update",
    "public_comment_moderate",
    "public_comment_respond",
    "public_comment_submit",
    "sector_plan_create",
    "sector_plan_revise",
]
