from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring, evaluation and learning")

    def ready(self) -> None:
        from monitoring import waiting  # noqa: F401  (registers the "waiting for you" provider)
