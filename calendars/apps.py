from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CalendarsConfig(AppConfig):
    name = "calendars"
    verbose_name = _("Calendars")

    def ready(self) -> None:
        from calendars import providers  # noqa: F401  (registers the providers)
