"""Least privilege for staff (C36, C28): a walk of every admin URL and every customer URL with staff powers.

Each role (support, finance, privacy officer), a superuser with and without the privacy-officer role,
and a staff member without MFA request every admin page of every registered model (list, add,
change, delete, history) and the customer pages that act for a customer.  What they get is compared
with ``ALLOWED``, the table of what each role's work needs; anything more is a failure, and so is
anything less (a role that cannot do its work is a defect too).
"""

import contextlib

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import NoReverseMatch, reverse

from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import UserFactory
from portal.models import Activity
from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT

pytestmark = [pytest.mark.clause("C36"), pytest.mark.django_db]

# What each role may do per admin model: v(iew), a(dd), c(hange), d(elete).  Models not named: nothing.
# Read off the pages by ``_walk``: "v" a list or read-only page, "c" a form that saves, "a" an add form,
# "d" a delete page.  A model whose rows the walk cannot reach (none exist) shows only what its list says.
ALLOWED: dict[str, dict[str, str]] = {
    SUPPORT: {
        "portal.activity": "v",
        "accounts.user": "vc",  # profile and billing fields of customers only; see the tests below
        "consent.consentrecord": "va",  # a consent given by phone, recorded for the customer
        "consent.processingactivity": "v",
        "contact.contactrequest": "vc",
        "credits.creditbalance": "v",
        "credits.creditentry": "v",
        "newsletter.advertisingpreference": "v",
        "newsletter.advertisingpreferencechange": "va",
        "newsletter.newsletter": "vac",
        "newsletter.subscriber": "vc",
        "newsletter.suppression": "v",
        "orders.order": "v",
        "orders.product": "v",
        "orders.shipment": "v",
        "payments.payment": "v",
        "retention.retentionrun": "v",
        "rights.rightsrequest": "v",
        "services.service": "vc",
        "stats.pageview": "v",
        "subscriptions.plan": "v",
        "subscriptions.subscription": "v",
    },
    FINANCE: {
        "accounts.user": "v",  # billing names and addresses, never a photo or a change
        "billing.creditnote": "v",  # fiscal documents: read and opened as PDF, never changed or deleted
        "billing.invoice": "v",
        "consent.processingactivity": "v",
        "credits.creditbalance": "v",
        "credits.creditentry": "v",
        "orders.order": "v",
        "orders.product": "vac",
        "orders.shipment": "v",
        "payments.payment": "v",
        "payments.refund": "v",
        "retention.retentionrun": "v",
        "subscriptions.plan": "vac",
        "subscriptions.subscription": "v",
    },
    PRIVACY_OFFICER: {
        "portal.activity": "v",
        "accounts.user": "vc",
        "billing.creditnote": "v",
        "billing.invoice": "v",
        "consent.consentrecord": "va",
        "consent.cookieconsent": "v",
        "consent.disclosure": "va",
        "consent.processingactivity": "v",
        "consent.statementversion": "vac",
        "contact.contactrequest": "v",
        "newsletter.advertisingpreference": "v",
        "newsletter.advertisingpreferencechange": "va",
        "newsletter.subscriber": "vc",
        "newsletter.suppression": "v",
        "retention.accountclosure": "v",
        "privacy.legalhold": "va",
        "retention.retentionrun": "v",
        "rights.dataexport": "v",
        "rights.rightsrequest": "v",
        "services.service": "v",
        "stats.pageview": "v",
        "stats.profilingobjection": "v",
    },
}
# Never reachable by any role: staff, groups, permissions, addresses, second factors, sessions.
NEVER_FOR_ROLES = ("auth.group", "account.emailaddress", "mfa.authenticator", "usersessions.usersession")


def _staff(username: str, *, roles=(), superuser=False, mfa=True) -> User:
    user = UserFactory(username=username, is_staff=True, is_superuser=superuser)
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    if mfa:
        Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


def _object_of(model, customer):
    from tests.security.conftest import rows_of

    if not model._meta.managed:
        return None  # the processing register is code, shown through its own URLs

    rows = rows_of(customer).get(model)
    if rows:
        return rows[0]
    return model._default_manager.order_by("pk").first()


def _admin_urls(customer):
    """(model label, action, url) for every registered model."""
    for model in admin.site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        label = f"{info[0]}.{info[1]}"
        yield label, "v", reverse(f"admin:{info[0]}_{info[1]}_changelist")
        with contextlib.suppress(NoReverseMatch):
            yield label, "a", reverse(f"admin:{info[0]}_{info[1]}_add")
        obj = _object_of(model, customer)
        if obj is None:
            continue
        for action, name in (("c", "change"), ("d", "delete"), ("h", "history")):
            try:
                yield label, action, reverse(f"admin:{info[0]}_{info[1]}_{name}", args=[obj.pk])
            except NoReverseMatch:
                continue


def _walk(client, user, customer) -> dict[str, str]:
    """What ``user`` can do per model, read off the pages: the same letters as ``ALLOWED``."""
    client.force_login(user)
    found: dict[str, set[str]] = {}
    for label, action, url in _admin_urls(customer):
        response = client.get(url)
        assert response.status_code in (200, 302, 403, 404), (url, response.status_code)
        letters = found.setdefault(label, set())
        if response.status_code != 200:
            continue
        if action == "c":
            letters.add("v")
            if b'name="_save"' in response.content:
                letters.add("c")
        elif action in "vad":
            letters.add(action)
    return {label: "".join(sorted(letters, key="vacd".index)) for label, letters in found.items() if letters}


@pytest.fixture
def roles(db):
    return {
        SUPPORT: _staff("r-support", roles=[SUPPORT]),
        FINANCE: _staff("r-finance", roles=[FINANCE]),
        PRIVACY_OFFICER: _staff("r-privacy", roles=[PRIVACY_OFFICER]),
    }


@pytest.mark.clause("C28")
@pytest.mark.parametrize("role", [SUPPORT, FINANCE, PRIVACY_OFFICER])
def test_each_role_reaches_exactly_what_its_work_needs_in_the_admin(client, customer_a, roles, role):
    found = _walk(client, roles[role], customer_a)
    assert found == ALLOWED[role]
    assert not set(found) & set(NEVER_FOR_ROLES)


def _customer_post(customer) -> dict:
    """The change form of a customer as a role would post it, with every escalation field added."""
    return {
        "first_name": "Gecorrigeerd",
        "last_name": customer.last_name,
        "email": "aanvaller@example.nl",
        "username": "overgenomen",
        "is_staff": "on",
        "is_superuser": "on",
        "is_active": "on",
        "groups": [str(g.pk) for g in Group.objects.all()],
        "password": "pbkdf2_sha256$1$x$y",
        "language": customer.language or "nl",
        "country": "NL",
        "billing_country": "NL",
        "billing_same_as_address": "on",
        "birth_date": "",
        "gender": "",
        "phone": "",
    }


@pytest.mark.parametrize("role", [SUPPORT, PRIVACY_OFFICER])
def test_a_role_corrects_a_profile_but_never_credentials_staff_status_or_groups(client, customer_a, roles, role):
    user = roles[role]
    client.force_login(user)
    url = reverse("admin:accounts_user_change", args=[customer_a.pk])
    page = client.get(url).content.decode()
    for field in ('name="is_superuser"', 'name="is_staff"', 'name="groups"', 'name="user_permissions"', 'name="email"'):
        assert field not in page
    response = client.post(url, _customer_post(customer_a))
    assert response.status_code == 302, response.content.decode()[:2000]
    customer_a.refresh_from_db()
    assert customer_a.first_name == "Gecorrigeerd"  # the correction is what support is for
    assert customer_a.email == "zwaluw-a@example.nl" and customer_a.username == "klant-a-zwaluw"
    assert not customer_a.is_staff and not customer_a.is_superuser and not customer_a.groups.exists()
    assert customer_a.check_password("Correct-Horse-Battery-9")


@pytest.mark.parametrize("role", [SUPPORT, FINANCE, PRIVACY_OFFICER])
def test_no_role_promotes_itself_edits_a_colleague_or_sets_any_password(client, customer_a, roles, role):
    user = roles[role]
    superuser = _staff("baas", superuser=True)
    client.force_login(user)
    for target in (user, superuser, roles[SUPPORT]):
        url = reverse("admin:accounts_user_change", args=[target.pk])
        response = client.post(url, {"is_superuser": "on", "is_staff": "on", "first_name": "X", "groups": ["1"]})
        assert response.status_code == 403
        target.refresh_from_db()
        assert target.first_name != "X"
    user.refresh_from_db()
    assert not user.is_superuser and list(user.groups.values_list("name", flat=True)) == [role]
    for target in (customer_a, superuser, user):
        url = reverse("admin:auth_user_password_change", args=[target.pk])
        response = client.post(url, {"password1": "Overgenomen-123!", "password2": "Overgenomen-123!"})
        assert response.status_code == 403
        target.refresh_from_db()
        assert not target.check_password("Overgenomen-123!")
    assert client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert client.post(reverse("admin:accounts_user_add"), {"username": "nieuw"}).status_code == 403


def test_support_sends_a_password_reset_mail_that_the_customer_uses_themselves(
    client, customer_a, roles, django_capture_on_commit_callbacks
):
    client.force_login(roles[SUPPORT])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "password_reset_send", "_selected_action": [customer_a.pk, roles[FINANCE].pk]},
        )
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [[customer_a.email]]  # never a colleague's
    assert Activity.objects.filter(
        user=customer_a, action=AccountAction.PASSWORD_RESET_SENT, actor=roles[SUPPORT]
    ).exists()


@pytest.mark.clause("C28")
def test_the_disclosure_register_needs_the_privacy_officer_role_superuser_or_not(client, roles):
    plain_superuser = _staff("alleen-super", superuser=True)
    officer_superuser = _staff("super-privacy", superuser=True, roles=[PRIVACY_OFFICER])
    url = reverse("admin:consent_disclosure_changelist")
    for user, status in (
        (plain_superuser, 403),
        (roles[SUPPORT], 403),
        (roles[PRIVACY_OFFICER], 200),
        (officer_superuser, 200),
    ):
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
        assert client.get(reverse("admin:consent_disclosure_add")).status_code == status, user.username


def test_every_superuser_action_is_recorded_and_mailed_to_the_privacy_officer(
    client, customer_a, roles, django_capture_on_commit_callbacks
):
    superuser = _staff("noodgeval", superuser=True)
    client.force_login(superuser)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "password_reset_send", "_selected_action": [customer_a.pk]},
        )
    assert response.status_code == 302
    record = Activity.objects.get(user=superuser, action=AccountAction.BREAK_GLASS)
    assert record.detail["method"] == "POST" and record.detail["path"] == reverse("admin:accounts_user_changelist")
    alerts = [m for m in mail.outbox if "Break-glass" in m.subject]
    assert len(alerts) == 1 and alerts[0].to == [roles[PRIVACY_OFFICER].email]
    client.get(reverse("admin:index"))  # reading is not an action
    assert Activity.objects.filter(user=superuser, action=AccountAction.BREAK_GLASS).count() == 1


def _service_with_alias(customer):
    from hosting.models import Service

    return Service.objects.filter(user=customer).order_by("pk").first()


@pytest.mark.parametrize("kind", ["support", "superuser"])
def test_staff_without_mfa_can_do_nothing_anywhere_until_they_set_it_up(client, customer_a, kind):
    user = _staff(
        f"zonder-mfa-{kind}", roles=[SUPPORT] if kind == "support" else [], superuser=kind == "superuser", mfa=False
    )
    client.force_login(user)
    service = _service_with_alias(customer_a)
    assert service is not None
    before = service.changes.count()
    urls = [
        reverse("admin:index"),
        reverse("accounts:dashboard"),
        reverse("services:detail", args=[service.pk]),
        reverse("accounts:photo", args=[customer_a.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp"), url
    for url in (reverse("services:dns_add", args=[service.pk]), reverse("services:alias_add", args=[service.pk])):
        response = client.post(url, {"type": "A", "name": "www", "value": "192.0.2.1", "domain": "voorbeeld.nl"})
        assert response.status_code == 302 and response["Location"] == reverse("mfa_activate_totp")
    assert service.changes.count() == before
    # setting it up stays possible
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200 or response["Location"] != reverse("mfa_activate_totp")


def test_customer_pages_with_staff_powers_follow_the_role(client, customer_a, roles):
    """Support acts on a customer's service (with MFA); finance and the privacy officer cannot, nor see a photo."""
    service = _service_with_alias(customer_a)
    detail = reverse("services:detail", args=[service.pk])
    photo = reverse("accounts:photo", args=[customer_a.pk])
    expected = {SUPPORT: (200, 200), FINANCE: (404, 404), PRIVACY_OFFICER: (404, 200)}
    for role, (service_status, photo_status) in expected.items():
        client.force_login(roles[role])
        assert client.get(detail).status_code == service_status, role
        assert client.get(photo).status_code == photo_status, role
