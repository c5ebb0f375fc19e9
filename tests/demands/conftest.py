import pytest


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploaded documents go to a temporary folder, never the checkout's var/."""
    settings.VAR_DIR = tmp_path
