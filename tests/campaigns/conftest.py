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
    return settings.MEDIA_ROOT
