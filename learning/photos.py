"""Visit photos: images only, judged by their content, resized and re-encoded here.

A photo from a phone is often 5–12 MB with the GPS position of a beneficiary's
homestead in its EXIF. We keep neither: the upload is decoded with Pillow
(whatever its name or Content-Type says), turned upright by its EXIF
orientation, shrunk to at most ``MAX_SIDE`` pixels on the long side and saved
as a fresh JPEG without any metadata.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from jwp.uploads import strict_image_decoding

MAX_SIDE = 1600
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP"}
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
# A 1600 px photo needs nowhere near this; bigger claims are decompression bombs.
MAX_PIXELS = 60_000_000


def max_upload_bytes() -> int:
    return getattr(settings, "PHOTO_UPLOAD_MAX_BYTES", DEFAULT_MAX_BYTES)


@dataclass(frozen=True)
class ProcessedPhoto:
    content: ContentFile
    width: int
    height: int


def _not_an_image() -> ValidationError:
    return ValidationError(
        _(
            "This file is not a JPEG, PNG or WebP photo (its content was checked, not its "
            "name). Choose a photo file."
        ),
        code="not_an_image",
    )


def process_photo(upload) -> ProcessedPhoto:
    """Validate an uploaded photo and return it as a clean JPEG, or raise ValidationError."""
    limit = max_upload_bytes()
    if upload.size > limit:
        raise ValidationError(
            _("The photo is %(size).1f MB; the limit is %(limit)d MB. Send a smaller photo.")
            % {"size": upload.size / 1024 / 1024, "limit": limit // 1024 // 1024},
            code="too_large",
        )
    if upload.size == 0:
        raise ValidationError(_("The file is empty."), code="empty")
    try:
        with strict_image_decoding():
            upload.seek(0)
            with Image.open(upload) as probe:
                kind = probe.format
                if probe.width * probe.height > MAX_PIXELS:
                    raise _not_an_image()
                probe.verify()  # checks the file's structure; the image must be reopened
            if kind not in ACCEPTED_FORMATS:
                raise _not_an_image()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                picture = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _not_an_image() from None
    except Image.DecompressionBombWarning:
        raise _not_an_image() from None
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    picture = _flatten(picture)
    buffer = BytesIO()
    # No exif= argument: the new file carries no EXIF (no GPS, no camera serial).
    picture.save(buffer, "JPEG", quality=85, optimize=True, progressive=True)
    return ProcessedPhoto(
        content=ContentFile(buffer.getvalue()), width=picture.width, height=picture.height
    )


def _flatten(picture: Image.Image) -> Image.Image:
    """JPEG has no transparency: put transparent images on white; other modes to RGB."""
    if picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        background = Image.new("RGB", rgba.size, (255, 255, 255))
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    if picture.mode not in ("RGB", "L"):
        return picture.convert("RGB")
    return picture
