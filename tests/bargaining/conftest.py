import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rendered reports go to a throwaway folder, not var/media (the storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def spanish(cast):
    """The local publishes in Spanish too: its records' forms carry the Spanish boxes."""
    cast.local.content_languages = ["es"]
    cast.local.save(update_fields=["content_languages"])
    return cast.local
