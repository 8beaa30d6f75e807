"""Sign-up asks the name and address an invoice needs (C23); the profile changes them later (C25)."""

import pytest
from django.urls import reverse

from accounts.models import User
from tests.signup import PERSONAL

PASSWORD = "Een-lang-genoeg-wachtwoord-2026"
pytestmark = [pytest.mark.django_db, pytest.mark.clause("C23")]


def _data(**overrides):
    data = {"username": "nieuw", "email": "nieuw@example.nl", "password1": PASSWORD, "password2": PASSWORD}
    return {**data, **PERSONAL, **overrides}


def test_the_name_and_address_given_at_sign_up_are_on_the_profile(client):
    response = client.post(reverse("account_signup"), _data(postal_code="3441em"))
    assert response.status_code == 302
    user = User.objects.get(username="nieuw")
    assert (user.first_name, user.last_name) == ("Anneke", "de Vries")
    assert (user.street, user.postal_code, user.town, str(user.country)) == (
        "Dorpsstraat 1",
        "3441 EM",
        "Woerden",
        "NL",
    )


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("last_name", "", "Dit veld is verplicht."),
        ("street", "", "Dit veld is verplicht."),
        ("postal_code", "12345", "Vul een Nederlandse postcode in, zoals 3441 EM."),
    ],
)
def test_a_missing_or_wrong_detail_is_refused_in_dutch_and_makes_no_account(client, field, value, message):
    response = client.post(reverse("account_signup"), _data(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.filter(username="nieuw").exists()


def test_a_foreign_postal_code_is_kept_as_typed(client):
    client.post(reverse("account_signup"), _data(country="BE", postal_code="1000"))
    assert User.objects.get(username="nieuw").postal_code == "1000"
