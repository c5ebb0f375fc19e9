import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rendered reports go to a throwaway folder, not var/media (the storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"
