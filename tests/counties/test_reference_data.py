"""Counties, sub-counties, wards and sectors come with the migrations."""

import csv
from pathlib import Path

import pytest

from counties.models import County, MtefSector, Sector, SubCounty, Ward
from jwp.tenancy import county_context

pytestmark = pytest.mark.django_db
DATA = Path(__file__).resolve().parents[2] / "counties" / "data"


def test_the_47_counties_have_official_codes_and_schedule_names():
    codes = list(County.objects.values_list("code", flat=True))
    assert codes == [f"{n:03d}" for n in range(1, 48)]
    assert County.objects.get(code="025").name == "Samburu"
    assert County.objects.get(code="047").name == "Nairobi City"
    assert County.objects.get(code="006").slug == "taita-taveta"


def test_290_subcounties_and_1450_wards_with_iebc_codes():
    assert SubCounty.objects.count() == 290
    assert Ward.objects.count() == 1450
    assert not Ward.objects.exclude(county=models_F_subcounty_county()).exists()


def models_F_subcounty_county():
    from django.db.models import F

    return F("subcounty__county")


def test_counts_per_county_match_the_schedule_file():
    with open(DATA / "kenya-counties.csv", newline="", encoding="utf-8") as f:
        expected = {
            row["code"]: (int(row["constituencies"]), int(row["wards"]))
            for row in csv.DictReader(f)
        }
    for county in County.objects.all():
        actual = (county.subcounties.count(), county.wards.count())
        assert actual == expected[county.code], county.name


def test_every_county_starts_with_the_ten_mtef_sectors(county, neighbour):
    for c in (county, neighbour):
        with county_context([c]):
            sectors = set(Sector.objects.for_county(c).values_list("mtef_sector", flat=True))
        assert sectors == set(MtefSector.values)
