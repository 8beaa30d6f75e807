"""The profile-photo pipeline.

An upload is accepted only when Pillow recognises its content (the file name and the browser's
content type are ignored), within the byte and pixel limits, and is then re-encoded as a fresh
JPEG: EXIF, GPS and every other piece of metadata of the original is left behind.
"""

import io
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


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
                if width * height > settings.PROFILE_PHOTO_MAX_PIXELS:
                    raise _too_many_pixels()
                probe.verify()
            upload.seek(0)
            with Image.open(upload) as image:
                image.load()
                image = ImageOps.exif_transpose(image)
                image = image.convert("RGB")
                image.thumbnail((settings.PROFILE_PHOTO_MAX_SIDE, settings.PROFILE_PHOTO_MAX_SIDE))
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
        _("The photo has too many pixels: at most %(mp)d megapixels.")
        % {"mp": settings.PROFILE_PHOTO_MAX_PIXELS // 1_000_000},
        code="too_many_pixels",
    )
