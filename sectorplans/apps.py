from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SectorplansConfig(AppConfig):
    name = "sectorplans"
    verbose_name = _("Sector plans")

    def ready(self):
        import sectorplans.waiting  # noqa: F401  (registers the waiting provider)
        import sectorplans.waiting_comments  # noqa: F401  ("waiting for you": public comments)
