"""Only verified addresses identify a person (C36, C38, C39): an address typed into an account reaches no one.

The attack: a customer adds somebody else's address to their own account (allauth stores it
unverified until the owner clicks the link) and then asks for "my data", an export, or closes the
account.  None of it may see, give away or erase a row of the address's real owner.
"""

import datetime
import io
import zipfile

import pytest
from allauth.account.models import EmailAddress
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.closure import account_close, closure_plan
from accounts.tests.factories import UserFactory
from contact.models import ContactRequest
from newsletter import tokens
from newsletter.models import Subscriber
from privacy import declarations as registry
from rights import services as rights_services
from rights.models import RightsRequest
from rights.tests.conftest import reauthenticate
from subscriptions.demo import seed_plans
from subscriptions.models import Plan, Subscription

pytestmark = pytest.mark.django_db

VICTIM_ADDRESS = "slachtoffer@example.nl"
MARKER = "Vraag van het slachtoffer"


def _victim_rows(victim) -> dict[str, int]:
    """The victim's rows in every app that matches people by address, as ids."""
    seed_plans()
    plan = Plan.objects.get(code="webcare-monthly")
    subscription = Subscription.objects.create(
        user=victim,
        plan=plan,
        price=plan.price,
        status="active",
        started_at=timezone.now(),
        paid_until=timezone.localdate(),
        billing_name="Vera Slachtoffer",
        billing_email=VICTIM_ADDRESS,
        mollie_customer_id="cst_victim",
        mandate_id="mdt_victim",
    )
    contact = ContactRequest.objects.create(
        name="Vera Slachtoffer", email=VICTIM_ADDRESS, subject=MARKER, message="Mijn adres is geheim"
    )
    subscriber = Subscriber.objects.create(
        digest=tokens.email_digest(VICTIM_ADDRESS),
        email=VICTIM_ADDRESS,
        language="nl",
        source="form",
        confirmed_at=timezone.now(),
    )
    request = RightsRequest.objects.create(
        email=VICTIM_ADDRESS,
        kind="access",
        verified_by="email",
        message=MARKER,
        received_at=timezone.now(),
        deadline=timezone.now() + datetime.timedelta(days=30),
    )
    return {"subscription": subscription.pk, "contact": contact.pk, "subscriber": subscriber.pk, "request": request.pk}


@pytest.fixture
def victim(db):
    return UserFactory(username="vera", email=VICTIM_ADDRESS, first_name="Vera", last_name="Slachtoffer")


@pytest.fixture
def attacker_client(client, db):
    attacker = UserFactory(username="mallory", first_name="Mallory")
    client.force_login(attacker)
    reauthenticate(client, attacker)
    # The real page: allauth stores the address unverified and mails its owner a link.
    response = client.post(reverse("account_email"), {"action_add": "", "email": VICTIM_ADDRESS.upper()})
    assert response.status_code in (200, 302)
    assert EmailAddress.objects.filter(user=attacker, email__iexact=VICTIM_ADDRESS, verified=False).exists()
    client.attacker = attacker
    return client


@pytest.mark.clause("C36", "C38")
def test_my_data_of_the_attacker_shows_nothing_of_the_addresses_owner(attacker_client, victim):
    _victim_rows(victim)
    attacker = attacker_client.attacker
    assert registry.user_emails(attacker) == [attacker.email]
    page = attacker_client.get(reverse("rights:my_data")).content.decode()
    assert MARKER not in page and "Vera" not in page
    for declaration in registry.listed():
        assert not declaration.for_user(attacker).filter(pk__in=declaration.for_user(victim)).exists(), declaration.key


@pytest.mark.clause("C39b")
def test_the_attackers_export_holds_nothing_of_the_addresses_owner(
    attacker_client, victim, django_capture_on_commit_callbacks
):
    _victim_rows(victim)
    with django_capture_on_commit_callbacks(execute=True):
        export = rights_services.export_request(user=attacker_client.attacker)
    export.refresh_from_db()
    with default_storage.open(export.file.name, "rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        text = "".join(archive.read(name).decode(errors="ignore") for name in archive.namelist())
    # The address itself appears once, as the attacker's own unverified row; nothing the owner holds does.
    assert text.count(VICTIM_ADDRESS) == 1
    for secret in ("cst_victim", "mdt_victim", "Vera Slachtoffer", MARKER, "Mijn adres is geheim"):
        assert secret not in text, text[max(0, text.find(secret) - 300) : text.find(secret) + 50]
    # and the ZIP is still a real export of the attacker's own data
    assert "mallory" in text


@pytest.mark.clause("C24", "C39d")
def test_closing_the_attackers_account_leaves_every_row_of_the_addresses_owner(attacker_client, victim):
    ids = _victim_rows(victim)
    plan = closure_plan(user=attacker_client.attacker)
    assert plan.kept == []  # the attacker has no fiscal rows; the victim's subscription is not counted as theirs
    account_close(user=attacker_client.attacker)
    subscription = Subscription.objects.get(pk=ids["subscription"])
    assert subscription.user_id == victim.pk and subscription.status == "active"
    assert subscription.billing_name == "Vera Slachtoffer"
    assert ContactRequest.objects.filter(pk=ids["contact"], subject=MARKER).exists()
    assert Subscriber.objects.filter(pk=ids["subscriber"]).exists()
    assert RightsRequest.objects.filter(pk=ids["request"], message=MARKER).exists()


@pytest.mark.clause("C39d")
def test_an_erasure_by_address_reaches_only_accounts_that_verified_it(attacker_client, victim):
    """An erasure request for an address confirmed by mail: rows of an account that only typed it in stay."""
    attacker = attacker_client.attacker
    for declaration in registry.all_declarations():
        if declaration.owner:
            owned = declaration.for_email(VICTIM_ADDRESS).filter(**{declaration.owner: attacker.pk})
            assert not owned.exists(), declaration.key
    from accounts.models import User

    user_declaration = next(d for d in registry.all_declarations() if d.model is User and d.owner)
    assert list(user_declaration.for_email(VICTIM_ADDRESS).values_list("pk", flat=True)) == [victim.pk]


@pytest.mark.clause("C36")
def test_verifying_the_address_makes_it_the_customers(attacker_client, victim):
    """The rule is about proof, not about the second address: once verified, it counts (the owner moved it)."""
    victim.delete()
    attacker = attacker_client.attacker
    EmailAddress.objects.filter(user=attacker, email__iexact=VICTIM_ADDRESS).update(verified=True)
    assert VICTIM_ADDRESS in registry.user_emails(attacker)
    ContactRequest.objects.create(name="M", email=VICTIM_ADDRESS, subject="eigen vraag", message="x")
    contact = next(d for d in registry.listed() if d.model is ContactRequest)
    assert contact.for_user(attacker).count() == 1
