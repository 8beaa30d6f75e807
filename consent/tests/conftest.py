import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group

from accounts.tests.factories import UserFactory
from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT


@pytest.fixture
def customer(db):
    return UserFactory()


@pytest.fixture
def customer_client(client, customer):
    client.force_login(customer)
    return client


def _staff(role: str | None, **extra):
    user = UserFactory(username=f"staff-{(role or 'super').replace(' ', '-')}", is_staff=True, **extra)
    if role:
        user.groups.add(Group.objects.get(name=role))
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "JBSWY3DPEHPK3PXP"}}
    )
    return user


@pytest.fixture
def staff_client_for(db, client):
    """``staff_client_for(role)``: a client logged in as a staff member with that role (``None``: superuser)."""

    def make(role: str | None):
        user = _staff(role, is_superuser=role is None)
        client.force_login(user)
        client.staff_user = user
        return client

    return make


@pytest.fixture
def privacy_officer(db):
    return _staff(PRIVACY_OFFICER)


ROLES = {"support": SUPPORT, "finance": FINANCE, "privacy": PRIVACY_OFFICER}
