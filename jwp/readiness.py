"""Readiness: the checks a workflow step needs, shown before the user acts.

Every transition (consolidating a plan, TWG review, CEC approval, signing,
verifying a result, signing off a sector plan step…) has one service function
that *computes* its readiness and one that *takes* the step. The page shows the
readiness (each check met or blocking, with a link to fix it) and offers the
step only when it is ready; the step's service calls :func:`require_ready` on
the same readiness, so a request that skips the page is refused with the same
words. Rules live in the service, never in the template.

    def workplan_consolidate_readiness(*, plan) -> Readiness:
        return Readiness([
            Check(_("Objectives"), met=bool(n_objectives),
                  detail=_("No objectives yet.") if not n_objectives else "",
                  fix_url=reverse(...)),
            ...
        ])

    def workplan_consolidate(*, plan, membership):
        require_ready(workplan_consolidate_readiness(plan=plan))
        ...
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Check:
    """One condition of a step. ``detail`` says what is missing (or what was found)."""

    label: str
    met: bool
    detail: str = ""
    fix_url: str = ""  # where the user goes to fix it ("" when there is no page)
    # A warning is shown but does not block (e.g. "no evidence attached").
    blocking: bool = True

    @property
    def blocks(self) -> bool:
        return self.blocking and not self.met

    @property
    def state(self) -> str:
        """For the template: "met", "blocking" or "warning"."""
        if self.met:
            return "met"
        return "blocking" if self.blocking else "warning"


def _describe(check: Check) -> str:
    return f"{check.label}: {check.detail}" if check.detail else str(check.label)


@dataclass(frozen=True)
class Readiness:
    checks: tuple[Check, ...] = field(default_factory=tuple)

    def __init__(self, checks: Iterable[Check] = ()):
        object.__setattr__(self, "checks", tuple(checks))

    def __iter__(self) -> Iterator[Check]:
        return iter(self.checks)

    def __bool__(self) -> bool:  # "if readiness:" reads as "if ready"
        return self.ready

    @property
    def ready(self) -> bool:
        return not any(check.blocks for check in self.checks)

    @property
    def blocking(self) -> list[Check]:
        return [check for check in self.checks if check.blocks]

    @property
    def warnings(self) -> list[Check]:
        return [c for c in self.checks if not c.met and not c.blocking]

    def message(self) -> str:
        """What is missing, in one sentence per blocking check."""
        return " ".join(_describe(check) for check in self.blocking)


def require_ready(readiness: Readiness, *, intro: str = "") -> None:
    """Refuse the step with what is missing; the same words the readiness page shows."""
    if readiness.ready:
        return
    lead = intro or _("Not ready yet.")
    missing = [_describe(check) for check in readiness.blocking]
    raise ValidationError([lead, *missing])
