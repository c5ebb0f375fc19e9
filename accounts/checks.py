import os

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


@register(Tags.security, deploy=True)
def client_addresses_behind_a_proxy(app_configs, **kwargs):
    """In production the app nearly always stands behind a reverse proxy or load balancer;
    with TRUSTED_PROXY_COUNT left at 0 every request then seems to come from the proxy."""
    if settings.DEBUG or settings.TRUSTED_PROXY_COUNT > 0:
        return []
    return [
        Warning(
            "DEBUG is off and TRUSTED_PROXY_COUNT is 0: the app takes the connecting address "
            "as the client's and ignores X-Forwarded-For and X-Forwarded-Proto.",
            hint=(
                "Behind a reverse proxy or load balancer (docker-compose's Caddy, a cloud load "
                "balancer), set TRUSTED_PROXY_COUNT to how many of them stand in front of "
                "gunicorn: otherwise sign-in and RSVP rate limits count every visitor as one, "
                "the audit trail records the proxy's address, and HTTPS is not recognised, so "
                "SECURE_SSL_REDIRECT redirects forever. If clients really reach gunicorn "
                "directly, add commongood.W003 to SILENCED_SYSTEM_CHECKS."
            ),
            id="commongood.W003",
        )
    ]


@register(Tags.compatibility)
def object_storage_is_fully_configured(app_configs, **kwargs):
    """Half an object store configuration silently leaves files on one machine's disk, or
    fails at the first upload; say so at start-up instead."""
    errors = []
    bucket = settings.AWS_STORAGE_BUCKET_NAME
    storage_settings = ["AWS_S3_ENDPOINT_URL", "AWS_S3_REGION_NAME", "AWS_S3_ADDRESSING_STYLE"]
    given = [name for name in storage_settings if os.environ.get(name)]
    if given and not bucket:
        errors.append(
            Error(
                f"{', '.join(given)} set but AWS_STORAGE_BUCKET_NAME is not: files stay on "
                "this machine's disk, where other web processes cannot read them.",
                hint="Set AWS_STORAGE_BUCKET_NAME to the bucket, or unset the other variables.",
                id="commongood.E020",
            )
        )
    keys = [name for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY") if os.environ.get(name)]
    if len(keys) == 1:
        missing = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"} - set(keys)
        errors.append(
            Error(
                f"{keys[0]} is set without {missing.pop()}.",
                hint="Set both, or neither to use the machine's role.",
                id="commongood.E021",
            )
        )
    return errors
