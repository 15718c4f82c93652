"""Where EHF files go. The default sender writes each file into an outbox folder that an
access point (or its integration) picks up; another sender can be plugged in with
settings.BILLING_EHF_SENDER = "dotted.path.to.Class" (a class with `send(...) -> str`)."""

import os
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils.module_loading import import_string


def outbox_dir() -> Path:
    """settings.BILLING_EHF_OUTBOX, else var/ehf-outbox."""
    return Path(getattr(settings, "BILLING_EHF_OUTBOX", None) or Path(settings.BASE_DIR) / "var" / "ehf-outbox")


class FolderSender:
    """Writes the file atomically (a temporary name, then a rename), so a pick-up job never
    sees half a file. Returns the path as the sending's reference."""

    def __init__(self, directory: Path | None = None):
        self.directory = Path(directory) if directory else outbox_dir()

    def send(self, *, filename: str, content: bytes, document) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.directory / filename
        handle, temporary = tempfile.mkstemp(dir=self.directory, prefix=".partial-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(content)
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return str(target)


def get_sender():
    path = getattr(settings, "BILLING_EHF_SENDER", "") or "polyfon.billing.outbox.FolderSender"
    return import_string(path)()
