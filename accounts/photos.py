"""The profile-photo pipeline.

An upload is accepted only when Pillow recognises its content (the file name and the browser's
content type are ignored), within the byte and pixel limits, and is then re-encoded as a fresh
JPEG: EXIF, GPS and every other piece of metadata of the original is left behind.

Decoding is what costs a worker memory, not the upload: a 115 kB PNG can claim 6300 x 6300 pixels
and take hundreds of megabytes once decoded.  So the pixel count is read from the header and
checked before anything is decoded, the photo is scaled down before it is converted (a JPEG is
even decoded at a reduced scale), and a customer may upload only so many photos an hour.
"""

import io
import warnings

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The most pixels a worker ever decodes, whatever PROFILE_PHOTO_MAX_PIXELS says: 25 megapixels of
# RGBA are 100 MB in memory.  Phone cameras save 12 to 24 megapixels.
MAX_PIXELS = 25_000_000
# Uploads a customer may try per hour; each may cost a worker a full decode.
UPLOADS_PER_HOUR = 10


def photo_upload_throttled(*, user_id: int) -> bool:
    """Count one upload by the customer; ``True`` once they tried more than ``UPLOADS_PER_HOUR`` this hour."""
    key = f"photo-upload:{user_id}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > UPLOADS_PER_HOUR
    except ValueError:  # expired between add and incr, or the cache is down (it fails open)
        return False


def _max_pixels() -> int:
    return min(settings.PROFILE_PHOTO_MAX_PIXELS, MAX_PIXELS)


def photo_normalise(upload: UploadedFile) -> ContentFile:
    if upload.size is not None and upload.size > settings.PROFILE_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("The photo is too large: at most %(mb)d MB.") % {"mb": settings.PROFILE_PHOTO_MAX_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(_("Upload a photo in JPEG, PNG, WebP or GIF format."), code="format")
                if width * height > _max_pixels():  # from the header: nothing is decoded yet
                    raise _too_many_pixels()
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                if image.mode in ("P", "PA", "1"):  # a palette is resized by nearest neighbour only: colours first
                    image = image.convert("RGB")
                # Scaled down before any copy is made; a JPEG is decoded at a fraction of its size (draft).
                image.thumbnail((settings.PROFILE_PHOTO_MAX_SIDE, settings.PROFILE_PHOTO_MAX_SIDE))
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                # Pillow writes a JPEG comment (COM) of the upload back out: drop every such leftover.
                image.info = {}
                out = io.BytesIO()
                image.save(out, format="JPEG", quality=85, optimize=True)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _too_many_pixels() from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ValidationError(
            _("This file is not a photo we can read. Upload a JPEG, PNG, WebP or GIF image."), code="invalid"
        ) from None
    return ContentFile(out.getvalue(), name="photo.jpg")


def _too_many_pixels() -> ValidationError:
    return ValidationError(
        _("The photo has too many pixels: at most %(mp)d megapixels.") % {"mp": _max_pixels() // 1_000_000},
        code="too_many_pixels",
    )
