import pytest


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Rendered reports go to a throwaway folder, not var/media (the storage follows)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _forget_process_pages():
    """Test campaigns reuse addresses and versions, which in life never come back."""
    from bargaining import public_views

    public_views._bodies.clear()
    yield
