from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgressConfig(AppConfig):
    name = "progress"
    verbose_name = _("Progress, reports and adaptive management")

    def ready(self):
        import progress.waiting  # noqa: F401  (registers the "waiting for you" provider)
