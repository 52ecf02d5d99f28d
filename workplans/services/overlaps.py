"""Overlap detection (issue 5, point 6): the platform's answer to "eliminate duplication".

``refresh_overlaps`` is called after every change to a plan's activities. It flags

- activities of *different lead organizations* in the same sector that share a
  ward and whose dates overlap (``same_place_time``);
- activities that share a ward and look alike — similar titles — whatever
  their sector (``similar_title``).

Activities whose dates do not overlap are never flagged: one after the other in
the same ward is sequencing, not duplication. A pair already flagged for the same
place and time is not flagged a second time for its title. Resolutions survive a
re-run; open flags that no longer apply are deleted.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections import defaultdict
from itertools import combinations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from counties.models import Membership
from jwp import audit
from jwp.roles import Role
from workplans.models import (
    ActivityWard,
    JointActivity,
    JointWorkPlan,
    OverlapFlag,
    OverlapReason,
    OverlapResolution,
)

__all__ = ["overlap_resolve", "refresh_overlaps", "titles_look_alike"]

TITLE_RATIO = 0.75
TOKEN_SHARE = 0.8
# Words that say nothing about what an activity does.
STOPWORDS = frozenset(
    {"a", "an", "and", "at", "by", "for", "from", "in", "into", "of", "on", "or", "the", "to"}
    | {"with", "ward", "wards", "county", "na", "ya", "wa", "kwa"}
)


def _normalise(title: str) -> str:
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


def _tokens(normalised: str) -> frozenset[str]:
    """Meaningful words, plurals folded ("boreholes" is "borehole")."""
    return frozenset(
        t[:-1] if len(t) > 3 and t.endswith("s") and not t.endswith("ss") else t
        for t in normalised.split()
        if t not in STOPWORDS
    )


def titles_look_alike(first: str, second: str) -> bool:
    """Near-identical text (difflib ratio ≥ 0.75), or the meaningful words of the
    shorter title (at least two) nearly all found in the other."""
    a, b = _normalise(first), _normalise(second)
    if not a or not b:
        return False
    if difflib.SequenceMatcher(None, a, b).ratio() >= TITLE_RATIO:
        return True
    ta, tb = _tokens(a), _tokens(b)
    smaller = min(len(ta), len(tb))
    return smaller >= 2 and len(ta & tb) / smaller >= TOKEN_SHARE


def _dates_overlap(a: JointActivity, b: JointActivity) -> bool:
    return a.start_date <= b.end_date and b.start_date <= a.end_date


def _ordered(a: JointActivity, b: JointActivity) -> tuple[JointActivity, JointActivity]:
    return (a, b) if a.pk < b.pk else (b, a)


def _detect(activities: list[JointActivity], wards_of: dict[int, set[int]]) -> dict:
    """{(a_id, b_id, reason): detail} for every pair that should be flagged."""
    by_ward: dict[int, list[JointActivity]] = defaultdict(list)
    for activity in activities:
        for ward_id in wards_of.get(activity.pk, ()):
            by_ward[ward_id].append(activity)
    found: dict[tuple[int, int, str], str] = {}
    for bucket in by_ward.values():
        for first, second in combinations(bucket, 2):
            a, b = _ordered(first, second)
            if not _dates_overlap(a, b):
                continue
            place_time = (a.pk, b.pk, OverlapReason.SAME_PLACE_AND_TIME)
            if a.sector_id == b.sector_id and a.lead_organization_id != b.lead_organization_id:
                found.setdefault(place_time, "")
            elif titles_look_alike(a.title, b.title):
                found.setdefault((a.pk, b.pk, OverlapReason.SIMILAR_TITLE), "")
    return found


def refresh_overlaps(*, plan: JointWorkPlan) -> dict[str, int]:
    """Bring the plan's overlap flags up to date; returns how many were added and removed.

    Three reads (activities, their wards, the existing flags) and at most two writes
    whatever the size of the plan.
    """
    county = plan.county_id
    activities = list(
        JointActivity.objects.for_county(county)
        .filter(plan=plan)
        .only("id", "title", "sector_id", "lead_organization_id", "start_date", "end_date")
    )
    wards_of: dict[int, set[int]] = defaultdict(set)
    ward_names: dict[int, str] = {}
    for activity_id, ward_id, ward_name in (
        ActivityWard.objects.for_county(county)
        .filter(activity__plan=plan)
        .values_list("activity_id", "ward_id", "ward__name")
    ):
        wards_of[activity_id].add(ward_id)
        ward_names[ward_id] = ward_name
    wanted = _detect(activities, wards_of)
    for a_id, b_id, reason in wanted:
        shared = sorted(ward_names[w] for w in wards_of[a_id] & wards_of[b_id])
        wanted[(a_id, b_id, reason)] = _("Shared ward(s): %(wards)s") % {"wards": ", ".join(shared)}
    with transaction.atomic():
        existing = {
            (f.activity_a_id, f.activity_b_id, f.reason): f
            for f in OverlapFlag.objects.for_county(county).filter(plan=plan)
        }
        stale = [
            f.pk
            for key, f in existing.items()
            if key not in wanted and f.resolution == OverlapResolution.OPEN
        ]
        if stale:
            OverlapFlag.objects.for_county(county).filter(pk__in=stale).delete()
        new = [
            OverlapFlag(
                county_id=county,
                plan=plan,
                activity_a_id=a_id,
                activity_b_id=b_id,
                reason=reason,
                detail=detail[:300],
            )
            for (a_id, b_id, reason), detail in wanted.items()
            if (a_id, b_id, reason) not in existing
        ]
        # Two saves at once may detect the same pair: the unique constraint settles it.
        OverlapFlag.objects.bulk_create(new, ignore_conflicts=True)
    return {"added": len(new), "removed": len(stale)}


def can_resolve_overlaps(membership: Membership, plan: JointWorkPlan) -> bool:
    """What overlap_resolve checks: the secretariat, on a plan not yet signed."""
    return membership.role == Role.SECRETARIAT and not plan.is_locked


def overlap_resolve(
    *, flag: OverlapFlag, membership: Membership, resolution: str, note: str
) -> OverlapFlag:
    """The secretariat settles a flag: merged, layered/sequenced or complementary, with
    a note saying how. A resolved flag may be resolved again (the note is replaced)."""
    if membership.role != Role.SECRETARIAT:
        raise PermissionDenied(_("Only the JWP secretariat resolves overlaps."))
    membership.check_same_county(flag)
    if resolution not in OverlapResolution.values or resolution == OverlapResolution.OPEN:
        raise ValidationError({"resolution": _("Choose merged, layered or complementary.")})
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Say how the overlap was resolved.")})
    if len(note) > 300:
        raise ValidationError({"note": _("At most 300 characters.")})
    plan = JointWorkPlan.objects.for_county(flag.county_id).get(pk=flag.plan_id)
    if plan.is_locked:
        raise ValidationError(_("The plan is signed and locked: amend it to change it."))
    with transaction.atomic():
        flag.resolution = resolution
        flag.note = note
        flag.resolved_by = membership.user
        flag.resolved_at = timezone.now()
        flag.save(update_fields=["resolution", "note", "resolved_by", "resolved_at"])
        audit.record(
            county=membership.county,
            actor=membership.user,
            verb="overlap.resolve",
            target=flag,
            summary=f"Overlap #{flag.pk} resolved as {resolution}: {note}",
            data={"resolution": resolution, "workplan": plan.pk},
        )
    return flag
