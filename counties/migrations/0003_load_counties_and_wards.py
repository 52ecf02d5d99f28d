"""Load the 47 counties, 290 sub-counties and 1,450 wards from counties/data/."""

import csv
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data"


def county_slug(name: str) -> str:
    from django.utils.text import slugify

    return slugify(name.replace("/", " ").replace("'", ""))


def load(apps, schema_editor):
    County = apps.get_model("counties", "County")
    SubCounty = apps.get_model("counties", "SubCounty")
    Ward = apps.get_model("counties", "Ward")
    with open(DATA / "kenya-counties.csv", newline="", encoding="utf-8") as f:
        counties = {
            row["code"]: County.objects.create(
                code=row["code"],
                name=row["name"],
                slug=county_slug(row["name"]),
                former_province=row["former_province"],
            )
            for row in csv.DictReader(f)
        }
    subcounties = {}
    wards = []
    with open(DATA / "kenya-wards.csv", newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            county = counties[row["county_code"]]
            code = row["constituency_code"]
            if code not in subcounties:
                subcounties[code] = SubCounty.objects.create(
                    county=county, code=code, name=row["constituency_name"]
                )
            wards.append(
                Ward(
                    county=county,
                    subcounty=subcounties[code],
                    code=row["ward_code"],
                    name=row["ward_name"],
                )
            )
    Ward.objects.bulk_create(wards, batch_size=500)


def unload(apps, schema_editor):
    for name in ("Ward", "SubCounty", "County"):
        apps.get_model("counties", name).objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("counties", "0002_memberships_sectors_invitations")]
    operations = [migrations.RunPython(load, unload)]
