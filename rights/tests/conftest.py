import time

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.utils import translation

from accounts.tests.factories import UserFactory
from portal.roles import PRIVACY_OFFICER, SUPPORT


@pytest.fixture(autouse=True)
def _dutch():
    """Every test starts in the default language, whatever an earlier request activated."""
    translation.activate("nl")
    yield
    translation.deactivate()


@pytest.fixture
def customer(db):
    return UserFactory(language="en")


@pytest.fixture
def other(db):
    return UserFactory(username="andere", first_name="Otto", last_name="Anders")


def reauthenticate(client, user) -> None:
    """What allauth records after the customer entered their password again."""
    session = client.session
    session["account_authentication_methods"] = [{"method": "password", "at": time.time(), "reauthenticated": True}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


@pytest.fixture
def reauthenticated_client(customer_client, customer):
    reauthenticate(customer_client, customer)
    return customer_client


@pytest.fixture
def officer(db):
    user = UserFactory(username="privacy", is_staff=True)
    user.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def support(db):
    user = UserFactory(username="support", is_staff=True)
    user.groups.add(Group.objects.get(name=SUPPORT))
    return user
