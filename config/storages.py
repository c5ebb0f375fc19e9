"""The file storages: rendered reports (``default``) and personal files (``private``).

In development both are folders under ``var/``. With ``AWS_STORAGE_BUCKET_NAME`` set both go to
one S3-compatible bucket that grants nothing to anonymous requests, reports under ``media/`` and
personal files under ``private/``, so that any web process or worker reads what another wrote.
Either way the app serves every file through a view that checks who is asking (the public
report's view, the partner letter's view), streamed from the storage: a link to a private file
can then be neither forwarded nor outlive the permission behind it.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from storages.backends.s3 import S3Storage


class PrivateStorage(FileSystemStorage):
    """Files under VAR_DIR/private, read from settings at each use (so tests can move it).
    There is no URL: only a view that checks who is asking can read a file back."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.VAR_DIR) / "private")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def base_url(self) -> None:
        return None

    def url(self, name):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")


class PrivateObjectStorage(S3Storage):
    """Private files in the object store, under ``private/`` of a bucket with no public access.
    As on disk there is no URL, not even a signed one: only a view that checks who is asking
    streams a file back."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no URL; serve them through a view that checks access.")
