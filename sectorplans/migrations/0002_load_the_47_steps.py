"""Load the 47 steps of the sector plan workflow from sectorplans/data/steps.csv."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def load(apps, schema_editor):
    SectorPlanStep = apps.get_model("sectorplans", "SectorPlanStep")
    with open(DATA / "steps.csv", newline="", encoding="utf-8") as f:
        SectorPlanStep.objects.bulk_create(
            SectorPlanStep(
                number=int(row["number"]),
                description=row["description"],
                sub_items="\n".join(row["sub_items"].split("|")) if row["sub_items"] else "",
                general_actor=row["general_actor"],
                specific_actor=row["specific_actor"],
                phase=row["phase"],
                kind=row["kind"],
                default_days=int(row["default_days"]),
                alongside_previous=row["alongside_previous"] == "1",
            )
            for row in csv.DictReader(f)
        )


def unload(apps, schema_editor):
    apps.get_model("sectorplans", "SectorPlanStep").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("sectorplans", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
