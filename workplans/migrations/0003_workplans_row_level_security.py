from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("workplans", "0002_seed_budget_components")]
    operations = [
        EnableCountyRLS(model)
        for model in (
            "CidpProgramme",
            "JointWorkPlan",
            "PlanPartner",
            "Objective",
            "JointActivity",
            "ActivitySupporter",
            "ActivityWard",
            "BudgetComponent",
            "BudgetLine",
            "Commitment",
            "Disbursement",
            "OverlapFlag",
            "Risk",
            "ReviewMilestone",
            "Annex",
            "Signature",
        )
    ]
