from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountiesConfig(AppConfig):
    name = "counties"
    verbose_name = _("Counties, organizations and members")

    def ready(self):
        import counties.waiting  # noqa: F401  (registers the "waiting for you" providers)
