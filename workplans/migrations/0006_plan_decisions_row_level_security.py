from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("workplans", "0005_plan_decisions_and_signature_offices")]
    operations = [EnableCountyRLS("PlanDecision")]
