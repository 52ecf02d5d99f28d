"""Bind every existing signature slot to its office: the County Secretary, the CEC
Member for Finance and Economic Planning, and each partner's authorized signatory
(the office is created where the county has none yet). Reverse: unbind (the offices
stay; they may have holders by then)."""

from django.db import migrations

KIND_OF_CAPACITY = {
    "county_secretary": "county_secretary",
    "cec_finance": "cec_finance",
    "partner": "partner_signatory",
}


def _see_every_county(apps, schema_editor) -> None:
    """Row-level security hides every row outside the session's counties."""
    if schema_editor.connection.vendor != "postgresql":
        return
    ids = ",".join(
        str(pk) for pk in apps.get_model("counties", "County").objects.values_list("pk", flat=True)
    )
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT set_config('jwp.county_ids', %s, true)", [ids])


# ``_base_manager``: every county's rows, whatever manager the model declares.


def bind(apps, schema_editor):
    _see_every_county(apps, schema_editor)
    Office = apps.get_model("counties", "Office")
    Signature = apps.get_model("workplans", "Signature")
    for signature in Signature._base_manager.filter(office__isnull=True):
        office, _created = Office._base_manager.get_or_create(
            county_id=signature.county_id,
            kind=KIND_OF_CAPACITY[signature.capacity],
            sector=None,
            organization_id=signature.organization_id if signature.capacity == "partner" else None,
        )
        signature.office = office
        signature.save(update_fields=["office"])


def unbind(apps, schema_editor):
    _see_every_county(apps, schema_editor)
    apps.get_model("workplans", "Signature")._base_manager.update(office=None)


class Migration(migrations.Migration):
    dependencies = [
        ("workplans", "0006_plan_decisions_row_level_security"),
        ("counties", "0009_offices_row_level_security"),
    ]
    operations = [migrations.RunPython(bind, unbind)]
