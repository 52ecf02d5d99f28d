from django.db import migrations

from jwp.tenancy import EnableCountyRLS


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_events_and_feed_tokens")]
    operations = [EnableCountyRLS("CalendarEvent")]
