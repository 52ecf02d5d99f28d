"""The 47 steps in the database are the seed table's, word for word, with our phases
and kinds, and every actor of the table maps to a role (Turkana sees the same steps)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from sectorplans.models import PARTICIPATION_WINDOWS, Phase, SectorPlanStep, StepKind
from sectorplans.services import ACTOR_ROLES
from tests import factories

pytestmark = pytest.mark.django_db

SEED = Path(settings.BASE_DIR) / "sectorplans" / "data" / "seed-sector-plan-steps.txt"
# The seed README's corrections of rows split across page breaks (step 33 is repaired
# by joining the split row, which the parser does by itself).
CORRECTIONS = {21: {"specific_actor": "Sector Working Group"}}


def _clean(text: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def parse_seed() -> list[dict]:
    """The seed's table: number, description, sub-items, general and specific actor.

    A blank actor cell continues the merged cell above; a line without a step number
    (after a page header) is the rest of the row before it, joined cell by cell."""
    rows: list[list] = []
    for line in SEED.read_text(encoding="utf-8").splitlines():
        cells = [*line.split("\t"), "", "", ""][:3]
        match = re.match(r"^(\d+)\. (.*)$", cells[0])
        if match:
            rows.append([int(match[1]), match[2], cells[1], cells[2]])
        elif rows and "\t" in line and not line.startswith("Step Description"):
            for i, cell in enumerate(cells, start=1):
                if cell.strip():
                    rows[-1][i] = f"{rows[-1][i].strip()} {cell.strip()}"
    table, previous = [], {"general_actor": "", "specific_actor": ""}
    for number, text, general, specific in rows:
        description, *sub_items = re.split(r" (?=[a-c]\. [A-Z])", _clean(text))
        row = {
            "number": number,
            "description": description,
            "sub_items": sub_items,
            "general_actor": _clean(general) or previous["general_actor"],
            "specific_actor": _clean(specific) or previous["specific_actor"],
        }
        row.update(CORRECTIONS.get(number, {}))
        table.append(row)
        previous = row
    return table


def loaded_steps() -> list[dict]:
    return [
        {
            "number": s.number,
            "description": s.description,
            "sub_items": s.sub_item_list,
            "general_actor": s.general_actor,
            "specific_actor": s.specific_actor,
        }
        for s in SectorPlanStep.objects.order_by("number")
    ]


def test_the_seed_parser_reads_47_steps_with_the_readme_corrections():
    table = {row["number"]: row for row in parse_seed()}
    assert sorted(table) == list(range(1, 48))
    assert table[21]["specific_actor"] == "Sector Working Group"
    assert table[33]["description"] == (
        "Incorporate comments from County Executive Committee and CBEF"
    )
    assert (table[33]["general_actor"], table[33]["specific_actor"]) == (
        "County Executive",
        "Sector Working Group",
    )
    assert table[6]["sub_items"] == [
        "a. Background",
        "b. Situation Analysis",
        "c. Baseline Study/Assessment",
    ]


def test_the_loaded_steps_match_the_seed_table():
    assert loaded_steps() == parse_seed()


def test_the_steps_carry_the_phases_of_the_issue():
    ranges = {
        Phase.SETUP: range(1, 6),
        Phase.CONTEXT: range(6, 16),
        Phase.STRATEGY: range(16, 29),
        Phase.IMPLEMENTATION: range(29, 30),
        Phase.CONSOLIDATION: range(30, 40),
        Phase.APPROVAL: range(40, 47),
        Phase.PUBLICATION: range(47, 48),
    }
    phases = dict(SectorPlanStep.objects.values_list("number", "phase"))
    for phase, numbers in ranges.items():
        assert {n for n, p in phases.items() if p == phase} == set(numbers), phase


def test_the_steps_carry_their_kinds():
    kinds = dict(SectorPlanStep.objects.values_list("number", "kind"))

    def of(kind):
        return {n for n, k in kinds.items() if k == kind}

    assert of(StepKind.INVITE_VIEWS) == {first for first, _ in PARTICIPATION_WINDOWS}
    assert of(StepKind.PUBLIC_INPUT) == {last for _, last in PARTICIPATION_WINDOWS}
    assert of(StepKind.EXECUTIVE_COMMENTS) == {11, 22, 32}
    assert of(StepKind.ASSEMBLY_CONSULTATION) == {26, 27, 34, 35}
    assert of(StepKind.ASSEMBLY_DECISION) == {43, 46}
    assert of(StepKind.SIGN_OFF) == {15, 28}
    assert of(StepKind.PUBLICATION) == {47}


def test_every_actor_of_the_table_maps_to_roles():
    actors = set(SectorPlanStep.objects.values_list("specific_actor", flat=True))
    assert actors <= set(ACTOR_ROLES), actors - set(ACTOR_ROLES)


def test_the_steps_are_global_so_the_neighbour_county_plans_with_the_same_47(neighbour):
    plan = factories.sector_plan(neighbour)
    with factories.county_context([neighbour]):
        assert plan.steps.count() == 47
