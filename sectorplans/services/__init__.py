"""Writes and rules of the sector plan workflow. One place per rule.

Who may complete a step is read from the office the manual binds it to
(``STEP_OFFICES``: the sector's CEC member, the chair of the Assembly's sectoral
committee), else from the step's *specific actor* in the seed table (``ACTOR_ROLES``);
the secretariat may act for anyone but an office holder signing off
(``HOLDER_ONLY``), and is then recorded as acting on the actor's behalf. Rules that
refuse raise ``PermissionDenied`` (wrong person: 403) or ``ValidationError`` with a
message that says what to do (wrong moment: 400).
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
    HOLDER_ONLY,
    STEP_OFFICES,
    actor_label,
    actor_roles,
    acts_as,
    can_edit_plan,
    default_role,
    held_offices,
    step_actors,
)
from sectorplans.services.steps import (
    depends_on,
    may_return,
    plan_step_complete,
    plan_step_readiness,
    plan_step_reopen,
    plan_step_skip,
    plan_step_start,
    plan_step_update,
    steps_not_done_before,
)

__all__ = [
    "ACTOR_ROLES",
    "HOLDER_ONLY",
    "STEP_OFFICES",
    "actor_label",
    "actor_roles",
    "acts_as",
    "can_edit_plan",
    "default_role",
    "depends_on",
    "held_offices",
    "may_return",
    "participation_window_close",
    "participation_window_open",
    "plan_document_upload",
    "plan_lay_out",
    "plan_step_complete",
    "plan_step_readiness",
    "plan_step_reopen",
    "plan_step_skip",
    "plan_step_start",
    "plan_step_update",
    "public_comment_moderate",
    "public_comment_respond",
    "public_comment_submit",
    "sector_plan_create",
    "sector_plan_revise",
    "step_actors",
    "steps_not_done_before",
]
