"""The export (C39b): a ZIP per customer, built from the declarations, private, expiring."""

import datetime
import io
import json
import tracemalloc
import uuid
import zipfile

import pytest
import time_machine
from django.apps import apps
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.activity import Action as AccountAction
from accounts.services import photo_set
from portal.models import Activity
from privacy import declarations as registry
from rights import services
from rights.models import DataExport, RightsRequest
from rights.tests.conftest import reauthenticate

pytestmark = pytest.mark.django_db


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("me.jpg", buffer.getvalue(), content_type="image/jpeg")


def _fill(user, marker: str) -> None:
    photo_set(user=user, upload=_photo())
    Activity.objects.create(user=user, action=AccountAction.LOGGED_IN, detail={"marker": marker})
    RightsRequest.objects.create(
        user=user,
        email=user.email,
        kind="access",
        verified_by="account",
        message=marker,
        received_at=timezone.now(),
        deadline=timezone.now() + datetime.timedelta(days=30),
    )


def _fill_other_apps(user) -> None:
    """Data in the other apps, through their own services, where those apps are installed."""
    import importlib

    calls = (
        ("consent.services", "consent_give", {"purpose_id": "P3", "method": "portal"}),
        ("newsletter.services", "newsletter_subscribe_user", {"method": "portal"}),
        ("credits.services", "credits_grant", {"amount": 5, "reason": "test", "idempotency_key": "rights-export-test"}),
    )
    for module_name, function, kwargs in calls:
        kwargs = {**kwargs, **({"idempotency_key": f"rights-{user.pk}"} if "idempotency_key" in kwargs else {})}
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        getattr(module, function)(user=user, **kwargs)


def _build(user, django_capture_on_commit_callbacks) -> DataExport:
    with django_capture_on_commit_callbacks(execute=True):
        export = services.export_request(user=user)
    export.refresh_from_db()
    return export


def _zip_contents(export: DataExport) -> dict[str, bytes]:
    with default_storage.open(export.file.name, "rb") as handle, zipfile.ZipFile(handle) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.mark.clause("C39b")
def test_export_holds_every_declared_row_of_the_customer_and_nothing_of_another(
    customer, other, django_capture_on_commit_callbacks
):
    _fill(customer, "mine-1234")
    _fill(other, "theirs-9876")
    _fill_other_apps(customer)
    _fill_other_apps(other)
    customer.refresh_from_db()
    export = _build(customer, django_capture_on_commit_callbacks)
    assert export.status == DataExport.Status.READY and export.progress == 100
    assert export.file.name.startswith("exports/") and customer.username not in export.file.name
    contents = _zip_contents(export)

    exported: dict[str, set] = {}
    for name, data in contents.items():
        if name.endswith(".json"):
            document = json.loads(data)
            for block in document["data"]:
                exported.setdefault(block["model"], set()).update(row.get("pk") for row in block["rows"])
    emails = registry.user_emails(customer)
    covered = set()
    for declaration in registry.listed():
        rows = list(declaration.export_rows(declaration.for_user(customer, emails=emails)))
        if rows:
            assert {row.get("pk") for row in rows} <= exported[declaration.model._meta.label], declaration.key
            covered.add(declaration.model._meta.app_label)
    expected = {"accounts", "rights"} | {app for app in ("consent", "newsletter", "credits") if apps.is_installed(app)}
    assert expected <= covered
    assert customer.photo.name.split("/")[-1] in {name.split("/")[-1] for name in contents}
    assert "overview.html" in contents
    everything = b"".join(contents.values())
    assert b"mine-1234" in everything
    for foreign in (b"theirs-9876", other.email.encode(), other.username.encode(), b"Otto"):
        assert foreign not in everything


@pytest.mark.clause("C39b")
def test_export_memory_stays_flat_with_ten_times_the_rows(customer):
    def peak_for(rows: int) -> int:
        Activity.objects.filter(user=customer).delete()
        Activity.objects.bulk_create(
            (Activity(user=customer, action="logged_in", detail={"n": n, "pad": "x" * 200}) for n in range(rows)),
            batch_size=2000,
        )
        tracemalloc.start()
        try:
            services.export_write(user=customer, target=_Sink())  # the ZIP itself is not kept in memory
            return tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()

    small = peak_for(1500)
    large = peak_for(15000)
    assert large < small * 1.5 + 512 * 1024, (small, large)


class _Sink(io.RawIOBase):
    """A write-only, seekable-looking file that keeps nothing (like a spooled file on disk)."""

    def __init__(self):
        self.position = 0

    def writable(self):
        return True

    def write(self, data):
        self.position += len(data)
        return len(data)

    def tell(self):
        return self.position

    def seekable(self):
        return False


@pytest.mark.clause("C39b", "C40")
def test_export_needs_reauthentication(customer_client, customer, django_capture_on_commit_callbacks):
    response = customer_client.post(reverse("rights:export_create"))
    assert response.status_code == 302 and "reauthenticate" in response["Location"]
    assert not DataExport.objects.exists()
    reauthenticate(customer_client, customer)
    with django_capture_on_commit_callbacks(execute=True):
        response = customer_client.post(reverse("rights:export_create"))
    export = DataExport.objects.get()
    assert response["Location"] == reverse("rights:export_detail", args=[export.pk])
    assert Activity.objects.filter(action="export_requested").exists()
    page = customer_client.get(response["Location"]).content.decode()
    assert reverse("rights:export_download", args=[export.pk]) in page


@pytest.mark.clause("C39b")
def test_pending_export_page_polls_politely_and_shows_progress(customer_client, customer):
    """No page that reloads itself: the state is asked for again by the script and announced (aria-live)."""
    export = DataExport.objects.create(user=customer, status=DataExport.Status.RUNNING, progress=40)
    url = reverse("rights:export_detail", args=[export.pk])
    page = customer_client.get(url).content.decode()
    assert 'http-equiv="refresh"' not in page and 'value="40"' in page
    assert f'aria-live="polite" data-poll-url="{url}"' in page
    export.status, export.progress = DataExport.Status.FAILED, 100
    export.save(update_fields=["status", "progress"])
    assert "data-poll-url" not in customer_client.get(url).content.decode()


@pytest.mark.clause("C39b")
def test_only_the_owner_can_download_the_export(client, customer, other, django_capture_on_commit_callbacks):
    _fill(customer, "mine")
    export = _build(customer, django_capture_on_commit_callbacks)
    for url in (reverse("rights:export_detail", args=[export.pk]), reverse("rights:export_download", args=[export.pk])):
        assert client.get(url).status_code == 404  # anonymous
        client.force_login(other)
        assert client.get(url).status_code == 404
        client.logout()
    client.force_login(customer)
    response = client.get(reverse("rights:export_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).testzip() is None


@pytest.mark.clause("C39b")
def test_export_link_expires_and_the_file_is_deleted(client, customer, settings, django_capture_on_commit_callbacks):
    settings.RIGHTS_EXPORT_DAYS = 3
    export = _build(customer, django_capture_on_commit_callbacks)
    name = export.file.name
    assert default_storage.exists(name)
    client.force_login(customer)
    url = reverse("rights:export_download", args=[export.pk])
    assert export.expires_at == export.created_at + datetime.timedelta(days=3)
    with time_machine.travel(export.created_at + datetime.timedelta(days=3, seconds=1)):
        assert client.get(url).status_code == 404
        declaration = registry.for_model(DataExport)[0]
        assert declaration.due(timezone.now()).filter(pk=export.pk).exists()  # the retention sweep sees it too
        with django_capture_on_commit_callbacks(execute=True):
            assert services.exports_expire() == 1
    assert not DataExport.objects.filter(pk=export.pk).exists()
    assert not default_storage.exists(name)
    assert client.get(url).status_code == 404


@pytest.mark.clause("C39b")
@pytest.mark.skipif(not apps.is_installed("retention"), reason="the generic row builder lives in retention")
def test_export_holds_a_row_of_every_declaration_of_every_app(customer, other, django_capture_on_commit_callbacks):
    """One row per listed declaration, built generically for each customer: every app's data is exported."""
    from retention.demo import declaration_row_build

    built: dict[str, set] = {}
    for declaration in registry.listed():
        if declaration.owner in (None, "pk"):
            continue
        for user in (customer, other):
            try:
                row = declaration_row_build(declaration, user=user)
            except LookupError:
                continue
            if user is customer and declaration.for_user(customer).filter(pk=row.pk).exists():
                built.setdefault(declaration.model._meta.label, set()).add(row.pk)
    assert len(built) >= 10, sorted(built)
    export = _build(customer, django_capture_on_commit_callbacks)
    exported: dict[str, set] = {}
    everything = b""
    for name, data in _zip_contents(export).items():
        everything += data
        if name.endswith(".json"):
            for block in json.loads(data)["data"]:
                exported.setdefault(block["model"], set()).update(row.get("pk") for row in block["rows"])
    for label, pks in built.items():
        assert {str(pk) if isinstance(pk, uuid.UUID) else pk for pk in pks} <= exported.get(label, set()), label
    for foreign in (other.email.encode(), other.username.encode()):
        assert foreign not in everything


@pytest.mark.django_db
def test_the_export_plans_its_cursors_for_every_row_and_leaves_the_connection_as_it_found_it(customer):
    from django.db import connection

    seen = []

    def spy(execute, sql, params, many, context):
        if sql.startswith("SELECT") and "FROM" in sql:
            with connection.cursor() as cursor:
                cursor.execute("SHOW cursor_tuple_fraction")
                seen.append(cursor.fetchone()[0])
        return execute(sql, params, many, context)

    Activity.objects.create(user=customer, action=AccountAction.LOGGED_IN)
    with connection.execute_wrapper(spy):
        services.export_write(user=customer, target=io.BytesIO())
    assert seen and set(seen) == {"1"}
    with connection.cursor() as cursor:
        cursor.execute("SHOW cursor_tuple_fraction")
        assert cursor.fetchone()[0] == "0.1"
