"""Sign-up, double opt-in and unsubscribing through every route the statement names (C18–C20)."""

import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from newsletter import services, tokens
from newsletter.activity import Action
from newsletter.models import Subscriber, Suppression
from portal.models import Activity
from tests.signup import PERSONAL

PASSWORD = "Sterk-Wachtwoord-2026!"


def _signup(client, django_capture_on_commit_callbacks, username, email, opt_out=False):
    data = {"username": username, "email": email, "password1": PASSWORD, "password2": PASSWORD, **PERSONAL}
    if opt_out:
        data["newsletter_opt_out"] = "on"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def _confirm_email(client, django_capture_on_commit_callbacks):
    link = re.search(r"https?://\S+/account/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/" + path)


@pytest.mark.django_db
@pytest.mark.clause("C20", "C18")
def test_signup_puts_the_address_on_the_list_active_once_confirmed(client, django_capture_on_commit_callbacks):
    page = client.get(reverse("account_signup"))
    assert b'name="newsletter_opt_out"' in page.content
    assert b'name="newsletter_opt_out" checked' not in page.content

    _signup(client, django_capture_on_commit_callbacks, "nieuw", "Nieuw@Example.nl")

    subscriber = Subscriber.objects.get()
    assert subscriber.email == "nieuw@example.nl"
    assert subscriber.source == Subscriber.Source.ACCOUNT
    assert subscriber.confirmed_at is None  # nothing is sent to an unconfirmed address
    assert Activity.objects.filter(user__username="nieuw", action=Action.NEWSLETTER_SUBSCRIBED).exists()

    _confirm_email(client, django_capture_on_commit_callbacks)
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None


@pytest.mark.django_db
@pytest.mark.clause("C20")
def test_opt_out_at_signup_adds_nothing_and_is_remembered(client, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks, "nee", "nee@example.nl", opt_out=True)

    assert not Subscriber.objects.exists()
    assert Suppression.objects.filter(
        digest=tokens.email_digest("nee@example.nl"), reason=Suppression.Reason.DECLINED
    ).exists()
    assert Activity.objects.filter(user__username="nee", action=Action.NEWSLETTER_DECLINED).exists()


@pytest.mark.django_db
@pytest.mark.clause("C20")
def test_suppression_survives_re_registration_with_the_same_address(client, django_capture_on_commit_callbacks):
    _signup(client, django_capture_on_commit_callbacks, "eerst", "terug@example.nl")
    subscriber = Subscriber.objects.get()
    services.subscriber_unsubscribe(digest=subscriber.digest, method="link")
    assert not Subscriber.objects.exists()
    # Only the keyed hash remains: the address itself is nowhere in the suppression list.
    suppression = Suppression.objects.get()
    assert "terug" not in suppression.digest and len(suppression.digest) == 64

    Subscriber.objects.all().delete()
    from accounts.models import User

    User.objects.filter(username="eerst").delete()
    client.logout()
    _signup(client, django_capture_on_commit_callbacks, "opnieuw", "TERUG@example.nl")

    assert not Subscriber.objects.exists()


@pytest.mark.django_db
@pytest.mark.clause("C19")
def test_unsubscribe_link_get_shows_one_button_and_post_unsubscribes(client, customer):
    subscriber = services.newsletter_subscribe_user(user=customer, method="portal")
    url = reverse("newsletter:unsubscribe", kwargs={"token": tokens.unsubscribe_token(subscriber.digest)})

    page = client.get(url)  # a link scanner opening the link changes nothing
    assert page.status_code == 200 and b"unsubscribe-button" in page.content
    assert Subscriber.objects.filter(pk=subscriber.pk).exists()

    response = client.post(url)
    assert response.status_code == 200
    assert not Subscriber.objects.filter(pk=subscriber.pk).exists()
    assert Suppression.objects.filter(digest=subscriber.digest, method="link").exists()
    assert Activity.objects.filter(user=customer, action=Action.NEWSLETTER_UNSUBSCRIBED).exists()


@pytest.mark.django_db
@pytest.mark.clause("C19")
def test_rfc8058_one_click_post_needs_no_csrf_token_no_login_and_never_expires(customer):
    subscriber = services.newsletter_subscribe_user(user=customer, method="portal")
    token = tokens.unsubscribe_token(subscriber.digest)
    with time_machine.travel(timezone.now() + timedelta(days=3 * 365)):
        response = Client(enforce_csrf_checks=True).post(
            reverse("newsletter:unsubscribe", kwargs={"token": token}), {"List-Unsubscribe": "One-Click"}
        )
    assert response.status_code == 200
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().method == "one_click"


@pytest.mark.django_db
def test_a_forged_unsubscribe_link_changes_nothing(client, customer):
    services.newsletter_subscribe_user(user=customer, method="portal")
    response = client.post(reverse("newsletter:unsubscribe", kwargs={"token": "forged:token"}))
    assert response.status_code == 400
    assert Subscriber.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.clause("C19", "C27")
def test_unsubscribe_and_object_through_the_portal_preferences_page(
    customer_client, customer, django_assert_max_num_queries
):
    services.newsletter_subscribe_user(user=customer, method="portal")
    with django_assert_max_num_queries(15):
        page = customer_client.get(reverse("newsletter:preferences"))
    assert page.status_code == 200

    response = customer_client.post(
        reverse("newsletter:preferences"), {"advertising_email": "on", "advertising_social": "on"}
    )
    assert response.status_code == 302
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().method == "portal"
    from newsletter.models import AdvertisingPreferenceChange

    changes = {c.channel: (c.allowed, c.method) for c in AdvertisingPreferenceChange.objects.all()}
    # No choice recorded was "not allowed": ticking email and social records them, phone is recorded as refused.
    assert changes == {"email": (True, "portal"), "social": (True, "portal"), "phone": (False, "portal")}


@pytest.mark.django_db
@pytest.mark.clause("C19")
def test_unsubscribe_through_the_account_dashboard_panel(customer_client, customer):
    services.newsletter_subscribe_user(user=customer, method="portal")
    dashboard = customer_client.get(reverse("accounts:dashboard"))
    assert b"account-preferences-form" in dashboard.content

    customer_client.post(
        reverse("newsletter:preferences_account"),
        {"advertising_email": "on", "advertising_social": "on", "advertising_phone": "on"},
    )
    assert not Subscriber.objects.exists()
    assert Suppression.objects.get().method == "account"


@pytest.mark.django_db
@pytest.mark.clause("C18")
def test_visitor_double_opt_in(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("newsletter:subscribe"), {"email": "bezoeker@example.nl"})
    assert response.status_code == 200
    assert not Subscriber.objects.exists()  # nothing stored before the confirmation
    link = re.search(r"http\S+/nieuwsbrief/bevestigen/\S+/", mail.outbox[0].body).group(0)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]

    assert client.get(path).status_code == 200
    assert not Subscriber.objects.exists()
    client.post(path, REMOTE_ADDR="203.0.113.77")
    subscriber = Subscriber.objects.get()
    assert subscriber.email == "bezoeker@example.nl"
    assert subscriber.source == Subscriber.Source.FORM and subscriber.confirmed_at
    assert subscriber.consent_ip == "203.0.0.0"  # kept beyond six weeks, so masked

    with time_machine.travel(timezone.now() + timedelta(days=4)):
        assert client.post(path).status_code == 400


@pytest.mark.django_db
def test_subscribe_honeypot_and_rate_limit(client, django_capture_on_commit_callbacks, settings):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("newsletter:subscribe"), {"email": "bot@example.nl", "website": "http://spam"})
    assert mail.outbox == []
    settings.CONTACT_RATE_LIMIT_COUNT = 2
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(4):
            client.post(reverse("newsletter:subscribe"), {"email": f"a{n}@example.nl"})
    assert len(mail.outbox) == 1  # the honeypot attempt counted as the first


@pytest.mark.django_db
@pytest.mark.clause("C20")
def test_explicit_portal_subscription_lifts_an_earlier_suppression(customer):
    services.subscriber_unsubscribe(digest=tokens.email_digest(customer.email), method="link")
    assert services.subscriber_signup(user=customer, opted_out=False) is None  # never automatically
    subscriber = services.newsletter_subscribe_user(user=customer, method="portal")
    assert subscriber.confirmed_at is not None
    assert not Suppression.objects.exists()


@pytest.mark.django_db
def test_email_change_follows_the_customer(customer):
    services.newsletter_subscribe_user(user=customer, method="portal")
    services.subscriber_email_change(user=customer, old_email=customer.email, new_email="nieuw@example.nl")
    assert Subscriber.objects.get().digest == tokens.email_digest("nieuw@example.nl")
    EmailAddress.objects.all()  # the allauth table stays allauth's
    other = UserFactory()
    services.subscriber_unsubscribe(digest=tokens.email_digest("weg@example.nl"), method="link")
    services.newsletter_subscribe_user(user=other, method="portal")
    services.subscriber_email_change(user=other, old_email=other.email, new_email="weg@example.nl")
    assert not Subscriber.objects.filter(user=other).exists()
