"""Meeting papers: PDF or Word, recognised by their content (not their name), within the size limit."""

import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind

PDF_MAGIC = b"%PDF-"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old Word format (.doc)
ZIP_MAGIC = b"PK\x03\x04"  # .docx is a zip with word/document.xml
EXTENSIONS = {".pdf": DocumentKind.PDF, ".docx": DocumentKind.DOCX, ".doc": DocumentKind.DOC}


def document_kind(uploaded) -> str:
    """Return the DocumentKind of an uploaded PDF or Word file, or raise ValidationError."""
    limit = settings.MAX_DOCUMENT_UPLOAD_BYTES
    if uploaded.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(uploaded.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="file_too_large",
        )
    name = (uploaded.name or "").lower()
    claimed = next((kind for ext, kind in EXTENSIONS.items() if name.endswith(ext)), None)
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    actual = None
    if head.startswith(PDF_MAGIC):
        actual = DocumentKind.PDF
    elif head.startswith(OLE_MAGIC):
        actual = DocumentKind.DOC
    elif head.startswith(ZIP_MAGIC):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                if "word/document.xml" in archive.namelist():
                    actual = DocumentKind.DOCX
        except zipfile.BadZipFile:
            actual = None
        uploaded.seek(0)
    if actual is None or claimed != actual:
        raise ValidationError(_("Only PDF and Word documents (.pdf, .docx, .doc) can be uploaded here."), code="file_type")
    return actual
