from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

DEVELOPMENT_KEY_FILE = settings.VAR_DIR / "secret_key"


@register(Tags.security)
def production_configuration(app_configs, **kwargs):
    """Catch the configuration mistakes that matter only once DEBUG is off."""
    errors = []
    if settings.DEBUG:
        return errors
    if DEVELOPMENT_KEY_FILE.exists() and DEVELOPMENT_KEY_FILE.read_text().strip() == (
        settings.SECRET_KEY
    ):
        errors.append(
            Error(
                "DEBUG is off but SECRET_KEY is the generated development key.",
                hint="Set the SECRET_KEY environment variable to a long random value.",
                id="commongood.E001",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        errors.append(
            Warning(
                "SITE_URL does not start with https:// while DEBUG is off.",
                hint="Links in emails use SITE_URL; set it to the public HTTPS address.",
                id="commongood.W001",
            )
        )
    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        errors.append(
            Warning(
                "The filesystem broker is meant for development only.",
                hint="Set REDIS_URL in production.",
                id="commongood.W002",
            )
        )
    return errors
