"""The profile-photo pipeline: content checked by Pillow, metadata stripped, private serving (C36, C25)."""

import io
import struct
import zlib

import pytest
from django.contrib.auth.models import Group
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import UserFactory, with_totp
from portal.models import Activity
from portal.roles import FINANCE, SUPPORT

pytestmark = pytest.mark.django_db


def _jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "PhoneModel X"  # Model
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (52.0, 5.0, 3.0)
    gps[3] = "E"
    gps[4] = (4.0, 52.0, 58.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")
    return b"\x89PNG\r\n\x1a\n" + body


def _upload(client, name: str, content: bytes, content_type: str = "image/jpeg"):
    return client.post(
        reverse("accounts:photo_upload"),
        {"photo": SimpleUploadedFile(name, content, content_type=content_type)},
        follow=True,
    )


def test_the_gps_fixture_really_carries_location_data():
    with Image.open(io.BytesIO(_jpeg_with_gps())) as image:
        assert image.getexif().get_ifd(0x8825)


@pytest.mark.clause("C36", "C25")
def test_photo_comes_back_without_any_exif_under_a_random_name(customer_client, customer):
    response = _upload(customer_client, "vakantie-anna.jpg", _jpeg_with_gps())
    assert "zonder locatiegegevens" in response.content.decode()
    customer.refresh_from_db()
    assert customer.photo.name.startswith("photos/")
    assert "vakantie" not in customer.photo.name and "anna" not in customer.photo.name
    served = customer_client.get(reverse("accounts:photo", args=[customer.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/jpeg"
    data = b"".join(served.streaming_content)
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()
        assert "exif" not in image.info
    assert b"PhoneModel" not in data and b"Exif" not in data
    assert Activity.objects.filter(user=customer, action=AccountAction.PHOTO_CHANGED).exists()


@pytest.mark.clause("C36")
@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("foto.jpg", b"Dit is gewoon tekst en geen foto.\n" * 20, "geen foto die wij kunnen lezen"),
        ("bom.png", _png_claiming(30000, 30000), "te veel pixels"),
        ("leeg.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 40, "geen foto die wij kunnen lezen"),
    ],
)
def test_non_photos_and_decompression_bombs_are_refused_in_dutch(customer_client, customer, name, content, message):
    response = _upload(customer_client, name, content)
    assert response.status_code == 200
    assert message in response.content.decode()
    customer.refresh_from_db()
    assert not customer.photo
    assert not Activity.objects.filter(user=customer, action=AccountAction.PHOTO_CHANGED).exists()


def test_too_large_a_file_is_refused(customer_client, customer, settings):
    settings.PROFILE_PHOTO_MAX_BYTES = 1024
    response = _upload(customer_client, "groot.jpg", _jpeg_with_gps() + b"\x00" * 2048)
    assert "te groot" in response.content.decode()
    customer.refresh_from_db()
    assert not customer.photo


@pytest.mark.clause("C36")
def test_photo_is_served_only_to_its_owner_and_staff(client, customer_client, customer):
    _upload(customer_client, "me.jpg", _jpeg_with_gps())
    url = reverse("accounts:photo", args=[customer.pk])

    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    client.logout()
    response = client.get(url)
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]

    support = with_totp(UserFactory(is_staff=True))
    support.groups.add(Group.objects.get(name=SUPPORT))
    client.force_login(User.objects.get(pk=support.pk))
    assert client.get(url).status_code == 200
    assert not url.startswith("/media")

    finance = with_totp(UserFactory(is_staff=True))  # finance reads billing data, never a photo
    finance.groups.add(Group.objects.get(name=FINANCE))
    client.force_login(User.objects.get(pk=finance.pk))
    assert client.get(url).status_code == 404


def test_replacing_the_photo_deletes_the_old_file(customer_client, customer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _upload(customer_client, "een.jpg", _jpeg_with_gps())
    customer.refresh_from_db()
    first = customer.photo.name
    assert default_storage.exists(first)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(customer_client, "twee.jpg", _jpeg_with_gps())
    customer.refresh_from_db()
    assert customer.photo.name != first
    assert default_storage.exists(customer.photo.name)
    assert not default_storage.exists(first)

    with django_capture_on_commit_callbacks(execute=True):
        customer_client.post(reverse("accounts:photo_remove"))
    customer.refresh_from_db()
    assert not customer.photo
    assert not default_storage.listdir("photos")[1]
    assert Activity.objects.filter(user=customer, action=AccountAction.PHOTO_REMOVED).exists()
