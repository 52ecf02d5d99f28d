"""The ``cumulative`` flag is replaced by ``Indicator.aggregation`` (previous migration);
decimal places are 0 to 2."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0004_indicator_aggregation_and_decimals"),
    ]

    operations = [
        migrations.RemoveField(model_name="indicator", name="cumulative"),
        migrations.AddConstraint(
            model_name="indicator",
            constraint=models.CheckConstraint(
                condition=models.Q(("decimals__lte", 2)), name="indicator_decimals_0_2"
            ),
        ),
    ]
