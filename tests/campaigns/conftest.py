import pytest

from tests.conftest import ROLES

# Who may see members' personal data at building A (the cast's steward_a is its steward).
MEMBER_READERS_A = {"leader", "steward_a"}


@pytest.fixture(params=ROLES)
def role(request) -> str:
    return request.param


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Private files (uploaded rosters) go under VAR_DIR/private: a throwaway folder too.
    settings.VAR_DIR = tmp_path
    return settings.MEDIA_ROOT
