from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("counties", "0008_offices_and_holdings")]
    operations = [EnableCountyRLS("Office"), EnableCountyRLS("OfficeHolding")]
