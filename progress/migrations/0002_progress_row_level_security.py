from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_progress_expenditure_feedback_adaptations_reports")]
    operations = [
        EnableCountyRLS(model)
        for model in (
            "ActivityProgress",
            "Expenditure",
            "Feedback",
            "AdaptationItem",
            "ProgressReport",
        )
    ]
