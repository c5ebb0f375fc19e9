from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemandsConfig(AppConfig):
    name = "demands"
    verbose_name = _("Demands")

    def ready(self) -> None:
        # The app's records join the type-to-search pickers.
        from . import pickers  # noqa: F401
