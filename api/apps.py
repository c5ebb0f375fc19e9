from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = _("OSDI API")

    def ready(self) -> None:
        from audit.trail import register

        from .trail import SOURCE

        register(SOURCE)  # every call with a token is on the audit trail
