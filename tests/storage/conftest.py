"""The storage tests run the app against a real S3-compatible server (tests/storage/s3.py)."""

import pytest
from django.core.files.storage import default_storage, storages

from bargaining.models import PublishedReport
from campaigns.models import ImportBatch
from partners.models import Support

from .s3 import s3_server as running_s3_server


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    with running_s3_server(tmp_path_factory.mktemp("s3")) as store:
        yield store


@pytest.fixture
def object_store(s3_server, settings, monkeypatch, tmp_path):
    """The app configured as in production with AWS_STORAGE_BUCKET_NAME set, against the test
    server; the local folders point at an empty temporary one, so a file written to disk
    would show."""
    settings.VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    options = {
        **settings.S3_OPTIONS,
        "bucket_name": s3_server.bucket,
        "endpoint_url": s3_server.endpoint,
        "region_name": "us-east-1",
        "addressing_style": "path",
        "access_key": s3_server.access_key,
        "secret_key": s3_server.secret_key,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {**options, "location": "media"},
        },
        "private": {
            "BACKEND": "config.storages.PrivateObjectStorage",
            "OPTIONS": {**options, "location": "private"},
        },
    }
    # A FileField resolves its storage once, when the models load; these follow the settings.
    monkeypatch.setattr(ImportBatch._meta.get_field("file"), "storage", storages["private"])
    monkeypatch.setattr(Support._meta.get_field("document"), "storage", storages["private"])
    assert PublishedReport._meta.get_field("file").storage is default_storage
    yield s3_server
    s3_server.empty()
