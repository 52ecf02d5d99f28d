from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("counties", "0004_seed_mtef_sectors")]
    operations = [
        EnableCountyRLS("Sector"),
        EnableCountyRLS("Contact"),
        EnableCountyRLS("Invitation"),
        # A member reads their own memberships in every county (the county switcher).
        EnableCountyRLS(
            "Membership",
            extra_using="user_id = NULLIF(current_setting('jwp.user_id', true), '')::bigint",
        ),
    ]
