"""Give every county the Budget template's components; counties edit them afterwards."""

from django.db import migrations

COMPONENTS = [
    (
        "Planning and Coordination",
        "Joint planning activities, coordination meetings and workshops.",
    ),
    (
        "Capacity Building & Training",
        "Training for county and partner staff on JWP, resilience and resource management.",
    ),
    ("Service Delivery", "Direct implementation of services and interventions."),
    ("Infrastructure and Equipment", "Works, supplies and equipment."),
    ("Community Engagement", "Public participation, community mobilisation and feedback."),
    (
        "Monitoring, Evaluation and Learning",
        "Joint monitoring visits, reviews, pause-and-reflect and learning.",
    ),
]


def seed(apps, schema_editor):
    County = apps.get_model("counties", "County")
    BudgetComponent = apps.get_model("workplans", "BudgetComponent")
    BudgetComponent.objects.bulk_create(
        BudgetComponent(county=county, name=name, description=description, order=index)
        for county in County.objects.all()
        for index, (name, description) in enumerate(COMPONENTS, start=1)
    )


def unseed(apps, schema_editor):
    apps.get_model("workplans", "BudgetComponent").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workplans", "0001_joint_work_plans"),
        ("counties", "0003_load_counties_and_wards"),
    ]
    operations = [migrations.RunPython(seed, unseed)]
