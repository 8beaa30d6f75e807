"""Upload attacks on the profile photo (C36).

Polyglots, oversized files, decompression bombs, images with absurd dimensions and SVG with script
are refused with a clear message, or stored only as a re-encoded clean JPEG that is never served as
anything but ``image/jpeg`` with ``nosniff``.
"""

import io
import struct
import zipfile
import zlib

import pytest
from django.contrib.messages import constants
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.models import User
from accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]
PAYLOAD = b"<html><body><script>alert(document.cookie)</script></body></html>"


@pytest.fixture
def customer(client):
    user = UserFactory()
    client.force_login(user)
    return user


def _jpeg(size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "orange").save(out, "JPEG")
    return out.getvalue()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("P", (32, 32)).save(out, "GIF")
    return out.getvalue()


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("META-INF/MANIFEST.MF", "Main-Class: Evil\n")
        archive.writestr("index.html", PAYLOAD)
    return out.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims huge dimensions and carries a tiny compressed stream (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    idat = zlib.compress(b"\x00" * (width + 1) * 4, 9)  # a few rows of zeros; the rest would inflate on load
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _upload(client, name: str, content: bytes, content_type: str):
    upload = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse("accounts:photo_upload"), {"photo": upload}, follow=True)


def _refused(response, customer, private_root) -> str:
    errors = [str(m) for m in response.context["messages"] if m.level == constants.ERROR]
    assert len(errors) == 1 and errors[0] in response.content.decode(), errors
    customer.refresh_from_db()
    assert not customer.photo
    assert not [p for p in private_root.rglob("*") if p.is_file()], "a refused upload left a file behind"
    return errors[0]


def _served_clean(client, customer) -> bytes:
    customer.refresh_from_db()
    assert customer.photo.name.endswith(".jpg")
    response = client.get(reverse("accounts:photo", args=[customer.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = b"".join(response.streaming_content)
    assert body[:3] == b"\xff\xd8\xff"  # a JPEG from the first byte
    with Image.open(io.BytesIO(body)) as image:
        assert image.format == "JPEG"
    return body


@pytest.mark.parametrize(
    ("name", "content", "trailer"),
    [
        ("photo.jpg", _jpeg() + PAYLOAD, b"<script"),  # JPEG with HTML/JS appended
        ("photo.gif", _gif() + _zip(), b"PK\x03\x04"),  # GIFAR-like: a GIF that is also a ZIP/JAR
        (
            "photo.jpg",
            _jpeg()[:2] + b"\xff\xfe" + struct.pack(">H", len(PAYLOAD) + 2) + PAYLOAD + _jpeg()[2:],
            b"<script",
        ),  # script in a JPEG comment segment
    ],  # fmt: skip
)
def test_a_polyglot_is_stored_only_as_a_re_encoded_clean_jpeg(client, customer, name, content, trailer):
    response = _upload(client, name, content, "image/jpeg")
    assert any(m.level == constants.SUCCESS for m in response.context["messages"])
    body = _served_clean(client, customer)
    assert trailer not in body and b"alert(" not in body


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("photo.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("photo.jpg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "image/jpeg"),
        ("photo.jpg", PAYLOAD, "image/jpeg"),  # HTML pretending to be a JPEG
        ("photo.jpg", _zip(), "image/jpeg"),
        ("photo.jpg", _jpeg()[:200], "image/jpeg"),  # truncated
        ("photo.jpg", b"", "image/jpeg"),
    ],
)
def test_what_is_not_a_readable_photo_is_refused(client, customer, _private_media, name, content, content_type):
    _refused(_upload(client, name, content, content_type), customer, _private_media)


def test_an_oversized_file_is_refused(client, customer, settings, _private_media):
    content = _jpeg() + b"\x00" * (settings.PROFILE_PHOTO_MAX_BYTES + 1)
    message = _refused(_upload(client, "big.jpg", content, "image/jpeg"), customer, _private_media)
    assert str(settings.PROFILE_PHOTO_MAX_BYTES // (1024 * 1024)) in message


@pytest.mark.parametrize(
    ("width", "height"),
    [(7_000, 7_000), (10_000, 10_000), (65_535, 65_535), (1, 50_000_000)],
)
def test_decompression_bombs_and_absurd_dimensions_are_refused_before_decoding(
    client, customer, _private_media, width, height
):
    content = _png_header_only(width, height)
    assert len(content) < 100_000
    _refused(_upload(client, "bomb.png", content, "image/png"), customer, _private_media)


def test_a_refused_upload_keeps_the_previous_photo(client, customer):
    _upload(client, "ok.jpg", _jpeg(), "image/jpeg")
    before = User.objects.get(pk=customer.pk).photo.name
    _upload(client, "evil.svg", b"<svg><script>alert(1)</script></svg>", "image/svg+xml")
    assert User.objects.get(pk=customer.pk).photo.name == before
    _served_clean(client, customer)


def _png_solid(width: int, height: int) -> bytes:
    """A complete, valid greyscale PNG of ``width`` x ``height`` black pixels: tiny on disk, huge once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width + 1)  # filter byte and one byte per pixel
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def _errors(response) -> list[str]:
    return [str(m) for m in response.context["messages"] if m.level == constants.ERROR]


def test_a_small_png_of_6300_by_6300_pixels_is_refused_before_anything_is_decoded(
    client, customer, settings, monkeypatch, _private_media
):
    from PIL import ImageFile

    settings.PROFILE_PHOTO_MAX_PIXELS = 40_000_000  # a generous setting does not raise the ceiling
    content = _png_solid(6300, 6300)
    assert len(content) < 120_000
    decoded = []
    real_load = ImageFile.ImageFile.load
    monkeypatch.setattr(ImageFile.ImageFile, "load", lambda image: decoded.append(image.size) or real_load(image))

    message = _refused(_upload(client, "klein.png", content, "image/png"), customer, _private_media)
    assert "te veel pixels" in message and "25 megapixel" in message
    assert decoded == [], "the photo was decoded before its pixel count was checked"


def test_a_photo_is_scaled_down_before_it_is_converted(client, customer, monkeypatch):
    """A JPEG is decoded at a reduced scale (draft) and nothing full-size is copied to RGB."""
    converted = []
    real_convert = Image.Image.convert
    monkeypatch.setattr(
        Image.Image, "convert", lambda image, *a, **kw: converted.append(image.size) or real_convert(image, *a, **kw)
    )

    response = _upload(client, "groot.jpg", _jpeg((4000, 3000)), "image/jpeg")
    assert any(m.level == constants.SUCCESS for m in response.context["messages"])
    assert converted and max(w * h for w, h in converted) <= 1024 * 768
    with Image.open(io.BytesIO(_served_clean(client, customer))) as image:
        assert image.size == (1024, 768)


def test_a_customer_may_upload_ten_photos_an_hour(client, customer, _private_media):
    for _ in range(5):  # refused uploads count too: each may cost a decode
        _upload(client, "bomb.png", _png_header_only(7_000, 7_000), "image/png")
    for _ in range(5):
        response = _upload(client, "ok.jpg", _jpeg(), "image/jpeg")
        assert any(m.level == constants.SUCCESS for m in response.context["messages"])
    stored = User.objects.get(pk=customer.pk).photo.name

    response = _upload(client, "elfde.jpg", _jpeg((80, 60)), "image/jpeg")
    assert _errors(response) == ["Je kunt maximaal 10 foto's per uur uploaden. Probeer het later opnieuw."]
    assert "maximaal 10 foto&#x27;s per uur" in response.content.decode()
    assert User.objects.get(pk=customer.pk).photo.name == stored

    other = UserFactory()
    client.force_login(other)
    response = _upload(client, "ander.jpg", _jpeg(), "image/jpeg")
    assert any(m.level == constants.SUCCESS for m in response.context["messages"])
