from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorplansConfig(AppConfig):
    name = "sectorplans"
    verbose_name = _("Sector plans")

    def ready(self):
        # Register the "waiting for you" providers: steps, and public comments.
        from sectorplans import waiting, waiting_comments  # noqa: F401
