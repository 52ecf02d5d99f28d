from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_indicators_targets_results")]
    operations = [
        EnableCountyRLS(model)
        for model in ("Indicator", "IndicatorTarget", "Result", "RagThresholds")
    ]
