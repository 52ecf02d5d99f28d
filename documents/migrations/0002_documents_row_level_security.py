from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_document_jobs")]
    operations = [EnableCountyRLS("DocumentJob")]
