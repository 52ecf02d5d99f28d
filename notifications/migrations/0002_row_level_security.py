from django.db import migrations

from jwp.tenancy import EnableCountyRLS

# A user reads their own notifications in every county they belong to (the bell in the
# header counts them with the user id set, without a county context).
OWN = "recipient_id = NULLIF(current_setting('jwp.user_id', true), '')::bigint"


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_reminders_deliveries_preferences")]
    operations = [
        EnableCountyRLS("Notification", extra_using=OWN),
        EnableCountyRLS("EmailDelivery"),
    ]
