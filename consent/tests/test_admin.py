"""Staff side: the processing register (read-only, CSV) and the disclosure register (C28)."""

import csv
import io

import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse
from django.utils import timezone

from consent import services
from consent.models import ConsentRecord, Disclosure, Method, StatementVersion
from portal.models import Activity
from privacy import register, register_export

pytestmark = pytest.mark.django_db


@pytest.mark.clause("C04")
@pytest.mark.parametrize("role", ["support", "finance", "privacy"])
def test_every_staff_role_reads_the_register_with_every_art30_field(staff_client_for, role):
    from consent.tests.conftest import ROLES

    client = staff_client_for(ROLES[role])
    page = client.get(reverse("admin:consent_processingactivity_changelist"))
    assert page.status_code == 200
    html = page.content.decode()
    for purpose in register.PURPOSES:
        assert f"{purpose.id} {purpose.name_en}" in html
    detail = client.get(reverse("admin:consent_processingactivity_purpose", args=["P3"])).content.decode()
    for _key, label in register_export.FIELDS:
        assert label in detail
    assert "Google LLC (Google Analytics), US" in detail
    assert client.get(reverse("admin:consent_processingactivity_purpose", args=["P99"])).status_code == 404


@pytest.mark.clause("C04")
def test_register_csv_has_one_row_per_purpose_with_the_enforced_periods(staff_client_for, settings):
    settings.RETENTION_ABANDONED_ORDER_DAYS = 45
    response = staff_client_for(None).get(reverse("admin:consent_processingactivity_csv"))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [label for _key, label in register_export.FIELDS]
    assert [row[0] for row in rows[1:]] == [p.id for p in register.PURPOSES]
    p1 = dict(zip(rows[0], rows[1], strict=True))
    assert "order_abandoned: 45 days after" in p1["Time limits for erasure (art. 30(1)(f))"]
    assert "order_completed: 7 years after the order is completed" in p1["Time limits for erasure (art. 30(1)(f))"]


def test_register_csv_cells_cannot_run_as_formulas():
    for dangerous in ('=HYPERLINK("x")', "+1", "-2+3", "@SUM(A1)", "\tx", "\r=1"):
        assert register_export.csv_safe(dangerous).startswith("'")
    assert register_export.csv_safe("Order handling") == "Order handling"
    assert register_export.csv_safe(None) == ""


def test_customers_do_not_reach_the_register(customer_client):
    response = customer_client.get(reverse("admin:consent_processingactivity_changelist"))
    assert response.status_code == 302


def _disclosure_form():
    return {
        "authority": "Politie Midden-Nederland",
        "legal_ground": "Art. 126nd Sv (vordering verstrekking gegevens)",
        "data_disclosed": "NAW en IP-adressen van de laatste 3 maanden",
        "subject_description": "Klant klant0",
        "disclosed_at_0": "2026-11-20",
        "disclosed_at_1": "10:00",
        "reference": "PV-2026-0042",
    }


@pytest.mark.clause("C28")
def test_privacy_officer_records_and_reads_a_disclosure(staff_client_for):
    client = staff_client_for("privacy officer")
    response = client.post(reverse("admin:consent_disclosure_add"), _disclosure_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    disclosure = Disclosure.objects.get()
    assert disclosure.recorded_by == client.staff_user
    assert disclosure.reference == "PV-2026-0042"
    assert Activity.objects.filter(user=client.staff_user, action="disclosure_recorded").exists()
    assert client.get(reverse("admin:consent_disclosure_changelist")).status_code == 200
    detail = client.get(reverse("admin:consent_disclosure_change", args=[disclosure.pk]))
    assert detail.status_code == 200
    assert 'name="authority"' not in detail.content.decode()


@pytest.mark.clause("C28")
@pytest.mark.parametrize("role", ["support", "finance"])
def test_other_roles_cannot_see_or_add_disclosures(staff_client_for, privacy_officer, role):
    from consent.tests.conftest import ROLES

    disclosure = services.disclosure_record(
        recorded_by=privacy_officer,
        disclosed_at=timezone.now(),
        **{k: v for k, v in _disclosure_form().items() if "_at" not in k},
    )
    client = staff_client_for(ROLES[role])
    assert client.get(reverse("admin:consent_disclosure_changelist")).status_code == 403
    assert client.get(reverse("admin:consent_disclosure_change", args=[disclosure.pk])).status_code == 403
    assert client.post(reverse("admin:consent_disclosure_add"), _disclosure_form()).status_code == 403
    assert Disclosure.objects.count() == 1


@pytest.mark.clause("C28")
@pytest.mark.parametrize("role", ["privacy officer", None])
def test_nobody_changes_or_deletes_a_disclosure(staff_client_for, privacy_officer, role):
    disclosure = services.disclosure_record(
        recorded_by=privacy_officer,
        disclosed_at=timezone.now(),
        **{k: v for k, v in _disclosure_form().items() if "_at" not in k},
    )
    client = staff_client_for(role)
    changed = {**_disclosure_form(), "reference": "CHANGED"}
    client.post(reverse("admin:consent_disclosure_change", args=[disclosure.pk]), changed)
    assert client.post(
        reverse("admin:consent_disclosure_delete", args=[disclosure.pk]), {"post": "yes"}
    ).status_code in (403, 302)
    client.post(
        reverse("admin:consent_disclosure_changelist"),
        {"action": "delete_selected", "_selected_action": [disclosure.pk], "post": "yes"},
    )
    disclosure.refresh_from_db()
    assert disclosure.reference == "PV-2026-0042"
    with pytest.raises(ValueError):
        disclosure.delete()
    with pytest.raises(ValueError):
        disclosure.save()


@pytest.mark.clause("C28")
def test_the_database_refuses_to_change_or_delete_a_disclosure_but_lets_the_account_go(privacy_officer, customer):
    disclosure = services.disclosure_record(
        recorded_by=privacy_officer,
        subject=customer,
        disclosed_at=timezone.now(),
        **{k: v for k, v in _disclosure_form().items() if "_at" not in k},
    )
    for statement in (
        lambda: Disclosure.objects.filter(pk=disclosure.pk).update(reference="X"),
        lambda: Disclosure.objects.filter(pk=disclosure.pk).delete(),
    ):
        with pytest.raises(DatabaseError, match="a disclosure is never"), transaction.atomic():
            statement()
    customer.delete()
    disclosure.refresh_from_db()
    assert disclosure.subject is None and disclosure.reference == "PV-2026-0042"


@pytest.mark.clause("C37")
def test_staff_publish_a_version_from_the_admin(staff_client_for, django_capture_on_commit_callbacks):
    client = staff_client_for("privacy officer")
    response = client.post(
        reverse("admin:consent_statementversion_add"),
        {"number": 2, "date": "2026-12-01", "summary_nl": "Nieuw.", "summary_en": "New."},
    )
    assert response.status_code == 302
    version = StatementVersion.objects.get(number=2)
    assert version.published_at is None
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:consent_statementversion_changelist"),
            {"action": "publish", "_selected_action": [version.pk]},
        )
    version.refresh_from_db()
    assert version.published_at is not None and "1 december 2026" in version.content_nl
    assert "1 December 2026" in version.content_en


@pytest.mark.clause("C27", "C39e")
def test_support_records_a_withdrawal_taken_on_the_phone(staff_client_for, customer):
    client = staff_client_for("support")
    form = client.get(reverse("admin:consent_consentrecord_add")).content.decode()
    assert "Klant" in form and "P10 Reclame" in form and "per brief of op een andere manier" in form
    response = client.post(
        reverse("admin:consent_consentrecord_add"),
        {"user": customer.pk, "purpose": "P10", "given": "0", "method": "staff_phone"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    record = ConsentRecord.objects.get(scope="")
    assert (record.purpose, record.given, record.method, record.actor) == (
        "P10",
        False,
        Method.STAFF_PHONE,
        client.staff_user,
    )
    response = client.post(
        reverse("admin:consent_consentrecord_add"),
        {"user": customer.pk, "purpose": "P1", "given": "0", "method": "staff_phone"},
    )
    assert response.status_code == 200 and ConsentRecord.objects.filter(scope="").count() == 1
    # A withdrawal that came by letter is recorded as such.
    response = client.post(
        reverse("admin:consent_consentrecord_add"),
        {"user": customer.pk, "purpose": "P10", "given": "1", "method": "staff_other"},
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.filter(scope="").latest("id").method == Method.STAFF_OTHER
