from django.db import migrations, models


class Migration(migrations.Migration):
    """What a job was asked for (kind, object, parameters, the object's version), so a
    second request for the same thing reuses the job. Existing jobs keep an empty key."""

    dependencies = [
        ("documents", "0002_documents_row_level_security"),
    ]

    operations = [
        migrations.AddField(
            model_name="documentjob",
            name="request_key",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
    ]
