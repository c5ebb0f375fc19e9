"""The private file storage: files outside MEDIA_ROOT that no URL serves."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


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
