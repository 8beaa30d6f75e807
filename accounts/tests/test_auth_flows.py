"""Sign-up, login, logout, password and email changes, MFA and sessions through allauth (C23, C07, C36)."""

import re
import time

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from allauth.usersessions.models import UserSession
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from portal.models import Activity
from tests.signup import PERSONAL

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Another-Strong-Secret-42"


def _link(message) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


def _actions(user) -> list[str]:
    return list(Activity.objects.filter(user=user).order_by("created_at", "id").values_list("action", flat=True))


def _login(client: Client, login: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def _totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


@pytest.mark.clause("C23", "C07")
def test_sign_up_needs_the_emailed_link_then_logs_in_by_username_and_by_email(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "username": "anna",
                "email": "anna@example.nl",
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                **PERSONAL,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(username="anna")
    assert user.language == "nl"
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["anna@example.nl"]
    assert "Bevestig" in mail.outbox[0].subject or "bevestig" in mail.outbox[0].body

    # Without the confirmation nobody gets in, not even with the right password.
    fresh = Client()
    assert _login(fresh, "anna", NEW_PASSWORD)["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in fresh.session

    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        client.post(link)
    assert EmailAddress.objects.get(user=user).verified

    for login in ("anna", "ANNA@example.nl"):
        other = Client()
        response = _login(other, login, NEW_PASSWORD, REMOTE_ADDR="192.0.2.50")
        assert response.status_code == 302, login
        assert int(other.session["_auth_user_id"]) == user.pk
    actions = _actions(user)
    assert actions.index(AccountAction.SIGNED_UP) < actions.index(AccountAction.EMAIL_CONFIRMED)
    assert Activity.objects.filter(user=user, action=AccountAction.LOGGED_IN, ip_address="192.0.2.50").count() == 2


def test_sign_up_refuses_a_short_password_in_dutch(client):
    response = client.post(
        reverse("account_signup"),
        {"username": "kort", "email": "kort@example.nl", "password1": "kort123", "password2": "kort123", **PERSONAL},
    )
    assert response.status_code == 200
    assert "te kort" in response.content.decode()
    assert not User.objects.filter(username="kort").exists()


@pytest.mark.clause("C07")
def test_failed_login_is_recorded_on_the_accounts_activity_log(client):
    user = UserFactory()
    response = _login(client, user.username, "wrong-password", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200
    entry = Activity.objects.get(user=user, action=AccountAction.LOGIN_FAILED)
    assert entry.ip_address == "203.0.113.9"
    _login(client, user.email, "wrong-again")
    assert Activity.objects.filter(user=user, action=AccountAction.LOGIN_FAILED).count() == 2


@pytest.mark.clause("C36")
def test_failed_logins_are_rate_limited(client):
    user = UserFactory()
    for _ in range(5):
        assert _login(client, user.username, "wrong-password").status_code == 200
    response = _login(client, user.username, PASSWORD)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Te veel" in response.content.decode()


@pytest.mark.clause("C07")
def test_logout_is_logged(client):
    user = UserFactory()
    _login(client, user.username)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    actions = _actions(user)
    assert actions.index(AccountAction.LOGGED_IN) < actions.index(AccountAction.LOGGED_OUT)


@pytest.mark.clause("C07", "C25")
def test_password_change_is_logged(client):
    user = UserFactory()
    _login(client, user.username)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AccountAction.PASSWORD_CHANGED in _actions(user)


@pytest.mark.clause("C07")
def test_password_reset_by_email_link_is_logged(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_reset_password"), {"email": user.email})
    assert len(mail.outbox) == 1
    response = client.get(_link(mail.outbox[0]))
    assert response.status_code == 302  # allauth moves the key out of the URL into the session
    set_password_url = response["Location"]
    response = client.post(set_password_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
    assert AccountAction.PASSWORD_RESET in _actions(user)


@pytest.mark.clause("C36", "C25", "C07")
def test_email_change_requires_reauthentication_and_confirmation(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    client.force_login(user)  # a session without a recent password entry
    response = client.post(reverse("account_email"), {"action_add": "", "email": "nieuw@example.nl"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not EmailAddress.objects.filter(email="nieuw@example.nl").exists()

    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_email"), {"action_add": "", "email": "nieuw@example.nl"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.email != "nieuw@example.nl"  # not before the new address is confirmed
    confirmation = next(message for message in mail.outbox if message.to == ["nieuw@example.nl"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(confirmation))
    user.refresh_from_db()
    assert user.email == "nieuw@example.nl"
    assert AccountAction.EMAIL_CHANGED in _actions(user)


@pytest.mark.clause("C36", "C07")
def test_totp_activation_is_logged_and_gives_recovery_codes(client):
    user = UserFactory()
    _login(client, user.username)
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))  # a fresh password entry first
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'src="data:image/svg+xml;base64,' in body  # the QR code, inline: no third party sees the secret
    secret = response.context["form"].secret
    response = client.post(reverse("mfa_activate_totp"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    assert Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists()
    assert Activity.objects.filter(user=user, action=AccountAction.MFA_ADDED, detail__type="totp").exists()
    assert client.get(reverse("mfa_view_recovery_codes")).status_code == 200


@pytest.mark.clause("C36")
def test_staff_without_totp_are_sent_from_the_admin_to_the_totp_set_up(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.get("/admin/accounts/user/")["Location"] == reverse("mfa_activate_totp")


@pytest.mark.clause("C36")
def test_staff_with_totp_log_in_to_the_admin_through_the_mfa_stage(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    TOTP.activate(staff, secret)
    response = client.get("/admin/")
    assert response.status_code == 302
    login_url = response["Location"]
    assert login_url.startswith(reverse("admin:login"))
    response = client.get(login_url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))  # the admin login is allauth's login

    response = client.post(reverse("account_login") + "?next=/admin/", {"login": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # not in yet: the second factor is missing
    response = client.post(reverse("mfa_authenticate"), {"code": _totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


@pytest.mark.clause("C36", "C07")
def test_sessions_list_shows_ip_and_device_and_logs_out_elsewhere(client):
    user = UserFactory()
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148")
    _login(phone, user.username, REMOTE_ADDR="198.51.100.23")
    client.defaults.update(REMOTE_ADDR="192.0.2.10", HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0")
    _login(client, user.username)
    assert UserSession.objects.filter(user=user).count() == 2

    body = client.get(reverse("usersessions_list")).content.decode()
    assert "198.51.100.23" in body and "iPhone" in body
    assert "192.0.2.10" in body and "Firefox op Linux" in body

    response = client.post(reverse("usersessions_list"))
    assert response.status_code == 302
    assert UserSession.objects.filter(user=user).count() == 1
    assert phone.get(reverse("accounts:dashboard")).status_code == 302  # the phone is logged out
    assert client.get(reverse("accounts:dashboard")).status_code == 200
    entry = Activity.objects.get(user=user, action=AccountAction.SESSIONS_ENDED)
    assert entry.detail == {"count": 1}
    assert entry.ip_address == "192.0.2.10"
