from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("counties", "0006_stakeholders_structures_meetings")]
    operations = [
        EnableCountyRLS("Stakeholder"),
        EnableCountyRLS("StakeholderSector"),
        EnableCountyRLS("StakeholderWard"),
        EnableCountyRLS("CoordinationStructure"),
        EnableCountyRLS("StructureMember"),
        EnableCountyRLS("Nomination"),
        EnableCountyRLS("Meeting"),
        EnableCountyRLS("Attendance"),
        EnableCountyRLS("ActionItem"),
    ]
