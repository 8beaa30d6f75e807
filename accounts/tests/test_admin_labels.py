"""The Dutch admin speaks Dutch: section and model names, the group picker's script, list columns."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.urls import reverse
from django.utils import translation

from accounts.tests.factories import UserFactory
from tests.security.conftest import customer_a, staff  # noqa: F401  (fixtures)

pytestmark = pytest.mark.django_db

ENGLISH_NAMES = (
    "Accounts",
    "User sessions",
    "User Sessions",
    "Authenticators",
    "MFA",
    "Simulated payments",
    "Simulated customers",
    "Simulated subscriptions",
    "Sim webhook calls",
    "Task outbox",
    "Outbox messages",
)
# allauth's own lists (second factors, login sessions: superusers only) are relabelled in accounts/admin.py.
ALLAUTH_OWN_LISTS: tuple[str, ...] = ()
# Raw stored values that must never be a whole cell of a list: a choice shows its label.
RAW_VALUES = {"pending", "paid", "open", "failed", "active", "canceled", "cancelled", "expired", "ended", "order"}


@pytest.fixture
def superuser_client(client):
    user = UserFactory(username="labels-super", is_staff=True, is_superuser=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    client.force_login(user)
    return client


def _index_names(page: str) -> tuple[list[str], list[str]]:
    sections = [name.strip() for name in re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", page)]
    models = [name.strip() for name in re.findall(r'<th scope="row"[^>]*>\s*(?:<a[^>]*>)?([^<]*)', page)]
    return sections, models


def test_the_dutch_admin_index_has_no_english_section_or_model_names(superuser_client):
    sections, models = _index_names(superuser_client.get(reverse("admin:index")).content.decode())
    assert sections and models
    assert not set(ENGLISH_NAMES) & set(sections + models), set(ENGLISH_NAMES) & set(sections + models)
    assert len(sections) == len(set(sections)), sections  # no two sections under one name
    assert "Klanten" in sections and "Inloggen en e-mail" in sections


def test_the_english_admin_names_the_two_account_sections_apart(superuser_client):
    with translation.override("en"):
        url = reverse("admin:index")
    page = superuser_client.get(url).content.decode()
    sections, _models = _index_names(page)
    assert "Customers" in sections and "Login and e-mail" in sections
    assert sections.count("Accounts") == 0


def test_the_group_picker_script_is_dutch_whole(superuser_client):
    """Django 5.2's Dutch catalogue lacks the picker's new sentences: the project's djangojs catalogue adds them."""
    script = superuser_client.get(reverse("admin:jsi18n")).content.decode()
    assert "Kies %s door ze te selecteren" in script
    assert "Alle %s kiezen" in script and "Alle %s verwijderen" in script


def test_admin_lists_head_the_customer_column_in_dutch_and_show_no_raw_values(superuser_client, customer_a):  # noqa: F811
    for model in admin.site._registry:
        if model._meta.app_label in ALLAUTH_OWN_LISTS:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        response = superuser_client.get(url)
        if response.status_code != 200:
            continue
        page = response.content.decode()
        heads = re.findall(r'<th scope="col"[^>]*>.*?(?:<a[^>]*>|<span>)([^<]*)</', page, re.S)
        assert "User" not in [head.strip() for head in heads], url
        cells = re.findall(r'<td class="field-\w+[^"]*">([^<]*)</td>', page)
        assert not RAW_VALUES & {cell.strip() for cell in cells}, (url, RAW_VALUES & {c.strip() for c in cells})
