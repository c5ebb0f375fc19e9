from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.files.storage import FileSystemStorage, storages


@register(Tags.security)
def private_files_stay_private(app_configs, **kwargs):
    """Uploaded rosters hold members' personal data: their folder must not sit where a web
    server serves files (MEDIA_ROOT or STATIC_ROOT), in any configuration."""
    if not isinstance(storages["private"], FileSystemStorage):
        # In the object store the private files share no folder with the public ones.
        return []
    private = Path(storages["private"].location).resolve()
    errors = []
    for name in ("MEDIA_ROOT", "STATIC_ROOT"):
        public = Path(getattr(settings, name)).resolve()
        if private == public or public in private.parents or private in public.parents:
            errors.append(
                Error(
                    f"The private file folder {private} overlaps {name} ({public}).",
                    hint="Point VAR_DIR and MEDIA_ROOT/STATIC_ROOT at separate folders.",
                    id="commongood.E010",
                )
            )
    return errors
