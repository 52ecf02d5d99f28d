from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("sectorplans", "0002_load_the_47_steps")]

    operations = [
        EnableCountyRLS("SectorPlan"),
        EnableCountyRLS("PlanStep"),
        EnableCountyRLS("ParticipationWindow"),
        EnableCountyRLS("PublicComment"),
        EnableCountyRLS("PlanDecision"),
        EnableCountyRLS("PlanDocument"),
    ]
