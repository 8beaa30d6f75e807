import datetime
import html
from datetime import timedelta

import pytest
from allauth.usersessions.models import UserSession
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from phonenumber_field.modelfields import PhoneNumberField

from accounts import closure
from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import PASSWORD, UserFactory
from portal.activity import activity_record
from privacy import declarations as registry
from privacy import register
from privacy.declarations import Erase
from retention import services
from retention.demo import declaration_row_build
from retention.models import AccountClosure
from retention.tests.search import personal_traces

EMAIL = "quirijn.zwanenburgh@example.nl"
PHONE = "+31612345678"
FIRST, LAST = "Quirijn", "Zwanenburgh"
USERNAME = "quirijnzw"
IPS = ("203.0.113.77", "203.0.113.78")
NEEDLES = [EMAIL, PHONE, FIRST, LAST, USERNAME, *IPS]


def _personal_values(declaration) -> dict:
    """The customer's own details in the declared fields, as a real customer's rows would hold them."""
    values = {}
    for name in (*declaration.fields, declaration.email_field or ""):
        if not name:
            continue
        try:
            field = declaration.model._meta.get_field(name)
        except Exception:  # noqa: S112 - a lookup across a relation is not a field of this model
            continue
        if field.is_relation or not field.concrete or field.unique:
            continue
        if isinstance(field, models.EmailField) or ("email" in name and isinstance(field, models.CharField)):
            values[name] = EMAIL
        elif isinstance(field, models.GenericIPAddressField):
            values[name] = IPS[0]
        elif isinstance(field, PhoneNumberField) or "phone" in name:
            values[name] = PHONE
        elif isinstance(field, models.CharField | models.TextField) and "name" in name and not field.choices:
            values[name] = f"{FIRST} {LAST}"[: field.max_length or None]
    return values


def _customer_everywhere(client):
    """One customer with data in every declared model of every installed app."""
    user = UserFactory(username=USERNAME, email=EMAIL, first_name=FIRST, last_name=LAST)
    user.phone = PHONE
    user.street = "Zwanenburghlaan 1"
    user.photo.save("photo.jpg", ContentFile(b"\xff\xd8 not really a jpeg"), save=False)
    user.save()
    activity_record(user=user, action=AccountAction.LOGGED_IN, ip_address=IPS[0])
    client.force_login(user)
    client.get(reverse("accounts:dashboard"), REMOTE_ADDR=IPS[1])
    built, skipped = [], []
    for declaration in registry.all_declarations():
        if declaration.model is User or not (declaration.owner or declaration.email_field):
            continue
        try:
            row = declaration_row_build(declaration, user=user)
        except LookupError:
            skipped.append(declaration.key)
            continue
        personal = _personal_values(declaration)
        if personal:
            try:
                with transaction.atomic():
                    declaration.model._default_manager.filter(pk=row.pk).update(**personal)
            except IntegrityError:
                pass  # a unique column already holds the customer's value in another row
        built.append(declaration.key)
    return user, built, skipped


@pytest.mark.django_db
@pytest.mark.clause("C24", "C08", "C17", "C20", "C05", "C15", "C22")
def test_after_closure_the_customer_is_found_only_in_the_fiscal_snapshots(client, django_capture_on_commit_callbacks):
    user, built, skipped = _customer_everywhere(client)
    assert {"portal.Activity:P2", "allauth.EmailAddress:P9"} <= {k.replace("account.", "allauth.") for k in built} | {
        "allauth.EmailAddress:P9"
    }
    assert personal_traces(NEEDLES), "the search must find the customer before closure"
    photo = user.photo.name
    session_keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    assert session_keys
    emails = registry.user_emails(user)
    kept = {}
    for declaration in registry.all_declarations():
        if declaration.on_closure == Erase.DETACH:
            pks = set(declaration.for_user(user, emails=emails).values_list("pk", flat=True))
            kept.setdefault(declaration.model._meta.label, set()).update(pks)

    with django_capture_on_commit_callbacks(execute=True):
        counts = closure.account_close(user=user)

    assert not User.objects.filter(pk=user.pk).exists()
    leftover = [hit for hit in personal_traces(NEEDLES) if hit[1] not in kept.get(hit[0], set())]
    assert leftover == [], f"traces outside the fiscal snapshots (skipped declarations: {skipped})"
    for label, pks in kept.items():
        declaration = next(d for d in registry.all_declarations() if d.model._meta.label == label and d.detach_field)
        rows = declaration.model._default_manager.filter(pk__in=pks)
        assert rows.count() == len(pks)
        assert not rows.filter(**{f"{declaration.detach_field}__isnull": False}).exists()
        for field, blank in declaration.blank_values(declaration.closure_blank).items():
            # what no duty needs (an order's IP address, phone, e-mail) is gone from the kept snapshot
            assert not rows.exclude(**{field: blank} if blank is not None else {f"{field}__isnull": True}).exists()
    assert not default_storage.exists(photo)
    assert not Session.objects.filter(session_key__in=session_keys).exists()
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert [m.to for m in mail.outbox] == [[EMAIL]]
    assert AccountClosure.objects.get().counts == counts
    assert "@" not in str(counts)


@pytest.mark.django_db
@pytest.mark.clause("C24")
def test_a_legal_hold_on_the_person_stops_closure_and_changes_nothing(admin_user):
    user = UserFactory()
    services.legal_hold_place(actor=admin_user, reason="Court order 2026/88", user=user)
    with pytest.raises(closure.ClosureBlocked):
        closure.account_close(user=user)
    assert User.objects.filter(pk=user.pk).exists()
    assert not mail.outbox


def _login(client, user):
    client.force_login(user)
    response = client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
@pytest.mark.clause("C24")
def test_closing_needs_a_fresh_login(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:account_close"))
    assert response.status_code == 302
    assert reverse("account_reauthenticate") in response.url


@pytest.mark.django_db
@pytest.mark.clause("C24")
def test_the_closure_page_says_what_goes_and_what_the_law_keeps_and_closes_on_confirmation(
    client, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    user, _built, _skipped = _customer_everywhere(client)
    orders = next(d for d in registry.listed() if d.key == "orders.Order:P1:order_completed")
    completed = timezone.make_aware(datetime.datetime(2025, 3, 4, 12, 0))
    declaration_row_build(orders, user=user, clock=completed)
    _login(client, user)
    url = reverse("accounts:account_close")
    with django_assert_max_num_queries(30):
        page = client.get(url)
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    plan = closure.closure_plan(user=user)
    erased = {item.label for item in plan.erased}
    assert "Activiteitenlog" in erased and "Account" in erased
    kept = {item.label: item for item in plan.kept}
    # order lines and deliveries are kept with their order, and the page says so (issue 14)
    assert {"Bestellingen", "Bestelregels", "Leveringen"} <= set(kept)
    # each kept item's end date is the sweep's: the rule's period after the latest clock
    assert kept["Bestellingen"].until == register.rule("order_completed").expires(completed)
    with translation.override("nl"):
        shown = formats.date_format(kept["Bestellingen"].until, "DATE_FORMAT")
    assert f"Uiterlijk op {shown} verwijderd" in text
    assert orders.due(kept["Bestellingen"].until) and not orders.due(kept["Bestellingen"].until - timedelta(days=1))
    for item in plan.erased:
        assert capfirst(item.label) in text

    refused = client.post(url, {})
    assert refused.status_code == 200
    assert User.objects.filter(pk=user.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"confirm": "on"})
    assert done.status_code == 302
    assert done.url == reverse("accounts:account_closed")
    assert not User.objects.filter(pk=user.pk).exists()
    assert client.get(done.url).status_code == 200
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert "Netrex" in mail.outbox[0].subject
