from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


def add_sqlite_functions(sender, connection, **kwargs) -> None:
    """SQLite has no ``unaccent``: member search calls the same folding written in Python."""
    if connection.vendor == "sqlite":
        from .models import fold

        connection.connection.create_function("cg_fold", 1, fold, deterministic=True)


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("Campaigns")

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)

        connection_created.connect(add_sqlite_functions, dispatch_uid="campaigns-sqlite-fold")
