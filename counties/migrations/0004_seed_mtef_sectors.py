"""Give every county the ten national MTEF sectors; counties edit them afterwards."""

from django.db import migrations

MTEF_SECTORS = [
    ("arud", "Agriculture, Rural and Urban Development", "agriculture-rural-urban-development"),
    ("eii", "Energy, Infrastructure and ICT", "energy-infrastructure-ict"),
    ("geca", "General Economic and Commercial Affairs", "general-economic-commercial-affairs"),
    ("health", "Health", "health"),
    ("education", "Education", "education"),
    ("gjlo", "Governance, Justice, Law and Order", "governance-justice-law-order"),
    ("pair", "Public Administration and International Relations", "public-administration"),
    ("security", "National Security", "national-security"),
    ("spcr", "Social Protection, Culture and Recreation", "social-protection-culture-recreation"),
    (
        "epwnr",
        "Environment Protection, Water and Natural Resources",
        "environment-water-natural-resources",
    ),
]


def seed(apps, schema_editor):
    County = apps.get_model("counties", "County")
    Sector = apps.get_model("counties", "Sector")
    Sector.objects.bulk_create(
        Sector(county=county, mtef_sector=code, name=name, slug=slug, order=index)
        for county in County.objects.all()
        for index, (code, name, slug) in enumerate(MTEF_SECTORS, start=1)
    )


def unseed(apps, schema_editor):
    apps.get_model("counties", "Sector").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("counties", "0003_load_counties_and_wards")]
    operations = [migrations.RunPython(seed, unseed)]
