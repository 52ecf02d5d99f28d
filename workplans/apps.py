from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkplansConfig(AppConfig):
    name = "workplans"
    verbose_name = _("Joint work plans")

    def ready(self) -> None:
        import workplans.waiting  # noqa: F401 (registers the "waiting for you" provider)
