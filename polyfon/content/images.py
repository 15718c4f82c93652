"""Uploaded images (news): checked by content, not by name, and stored re-encoded.

`validate_image_upload` refuses files that are too large, are not JPEG, PNG or WebP by their
content, or have more pixels than a photo needs (a guard against decompression bombs).
`normalise_image` re-encodes the image without its metadata (camera, GPS position), turned
the right way up and at most `MAX_WIDTH` pixels wide, so what is stored and served is an image
the server made itself.
"""

import io
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000
MAX_WIDTH = 1600


def max_image_bytes() -> int:
    return getattr(settings, "MAX_IMAGE_UPLOAD_BYTES", 5 * 1024 * 1024)


@dataclass(frozen=True)
class NormalisedImage:
    file: ContentFile
    format: str  # file extension: jpg, png or webp
    width: int
    height: int


def validate_image_upload(uploaded) -> None:
    limit = max_image_bytes()
    if uploaded.size > limit:
        raise ValidationError(
            _("The image is too large (%(size)s MB); the limit is %(limit)s MB."),
            params={"size": round(uploaded.size / 1_048_576, 1), "limit": round(limit / 1_048_576, 1)},
            code="image_too_large",
        )
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as image:
            image_format = image.format
            width, height = image.size
            if image_format in ALLOWED_FORMATS and width * height <= MAX_PIXELS:
                image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ValidationError(_("Only JPEG, PNG and WebP images can be uploaded here."), code="not_image") from None
    finally:
        uploaded.seek(0)
    if image_format not in ALLOWED_FORMATS:
        raise ValidationError(_("Only JPEG, PNG and WebP images can be uploaded here."), code="not_image")
    if width * height > MAX_PIXELS:
        raise ValidationError(
            _("The image has too many pixels (%(width)s × %(height)s); make it smaller first."),
            params={"width": width, "height": height},
            code="image_too_many_pixels",
        )


def normalise_image(uploaded) -> NormalisedImage:
    """Re-encode a validated upload: upright, without metadata, at most MAX_WIDTH wide."""
    uploaded.seek(0)
    with Image.open(uploaded) as original:
        source_format = original.format
        image = ImageOps.exif_transpose(original)
        if image.width > MAX_WIDTH:
            image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)), Image.Resampling.LANCZOS)
        has_alpha = image.mode in {"RGBA", "LA"} or (image.mode == "P" and "transparency" in image.info)
        out = io.BytesIO()
        if source_format == "PNG" and has_alpha:
            image = image.convert("RGBA")
            image.save(out, format="PNG", optimize=True)
            extension = "png"
        else:
            image = image.convert("RGB")
            image.save(out, format="JPEG", quality=85, optimize=True, progressive=True)
            extension = "jpg"
    uploaded.seek(0)
    return NormalisedImage(file=ContentFile(out.getvalue()), format=extension, width=image.width, height=image.height)


CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
