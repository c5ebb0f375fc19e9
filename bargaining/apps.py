from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BargainingConfig(AppConfig):
    name = "bargaining"
    verbose_name = _("Bargaining")

    def ready(self) -> None:
        # Campaigns ask for the public report's render by the task's name (they sit below
        # bargaining), so the task must be registered in every process, web ones included.
        from . import tasks  # noqa: F401
