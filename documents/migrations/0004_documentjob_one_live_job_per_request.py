from django.db import migrations, models


class Migration(migrations.Migration):
    """At most one queued, running or done job per request key and county: two clicks
    at once make one job."""

    dependencies = [
        ("documents", "0003_documentjob_request_key"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="documentjob",
            constraint=models.UniqueConstraint(
                condition=models.Q(("status__in", ["queued", "running", "done"]))
                & ~models.Q(("request_key", "")),
                fields=("county", "request_key"),
                name="documentjob_one_live_job_per_request",
            ),
        ),
    ]
