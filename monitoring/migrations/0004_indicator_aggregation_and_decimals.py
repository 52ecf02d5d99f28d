"""Indicators declare how their quarters make up the year (``aggregation``: sum, latest
value, average) and how many decimal places their values have (``decimals``: 0 for
counts). Replaces the ``cumulative`` flag (issue 12, point 4).

Existing rows: cumulative → sum, others → latest value; percentages → one decimal
place, numbers → whole unless a stored value has a fraction (then two), qualitative → 0.
The next migration drops ``cumulative`` (PostgreSQL does not alter a table with
pending trigger events in the transaction that updated it).
"""

from decimal import Decimal

from django.db import migrations, models


def _all_counties(schema_editor) -> None:
    """Row-level security is forced on these tables: see every county's rows."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('jwp.county_ids', "
                "(SELECT coalesce(string_agg(id::text, ','), '') FROM counties_county), true)"
            )


def _whole(values) -> bool:
    return all(v is None or v == v.to_integral_value() for v in values)


def forwards(apps, schema_editor):
    _all_counties(schema_editor)
    Indicator = apps.get_model("monitoring", "Indicator")
    Target = apps.get_model("monitoring", "IndicatorTarget")
    Result = apps.get_model("monitoring", "Result")
    Indicator.objects.filter(cumulative=True).update(aggregation="sum")
    Indicator.objects.filter(cumulative=False).update(aggregation="latest")
    Indicator.objects.filter(measure="percentage").update(decimals=1)
    for indicator in Indicator.objects.filter(measure="number"):
        values = [indicator.baseline_value, indicator.plan_target]
        values += list(Target.objects.filter(indicator=indicator).values_list("value", flat=True))
        values += list(Result.objects.filter(indicator=indicator).values_list("value", flat=True))
        indicator.decimals = (
            0 if _whole(Decimal(v) if v is not None else None for v in values) else 2
        )
        indicator.save(update_fields=["decimals"])


def backwards(apps, schema_editor):
    _all_counties(schema_editor)
    Indicator = apps.get_model("monitoring", "Indicator")
    Indicator.objects.filter(aggregation="sum").update(cumulative=True)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_disaggregation_evidence_comments"),
    ]

    operations = [
        migrations.AddField(
            model_name="indicator",
            name="aggregation",
            field=models.CharField(
                choices=[
                    ("sum", "Sum of the quarters"),
                    ("latest", "Latest quarter"),
                    ("average", "Average of the quarters"),
                ],
                default="latest",
                help_text="How the quarters make up the year so far and the annual target: "
                "added up (people trained), the latest quarter (a rate), or their average.",
                max_length=7,
                verbose_name="the year from its quarters",
            ),
        ),
        migrations.AddField(
            model_name="indicator",
            name="decimals",
            field=models.PositiveSmallIntegerField(
                choices=[
                    (0, "Whole numbers (a count: children, animals, farmers)"),
                    (1, "One decimal place"),
                    (2, "Two decimal places"),
                ],
                default=0,
                help_text="Counts are whole numbers: 600 children, never 600.00.",
                verbose_name="decimal places",
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
