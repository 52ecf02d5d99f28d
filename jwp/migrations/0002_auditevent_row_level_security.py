from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("jwp", "0001_initial")]
    operations = [EnableCountyRLS("AuditEvent")]
