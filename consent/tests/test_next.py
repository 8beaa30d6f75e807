"""The ``next`` of the cookie-settings and statement-read forms: a path on this site, or a safe page (C36)."""

import re

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.clause("C36")]

UNSAFE = [
    "javascript:alert(1)",
    "//evil.example",
    "not a path",
    "https://evil.example/",
    "/\\evil.example",
    "consent:consents",  # a URL name is not a path either
    " /privacy/",
]


def _cookie_choice(client, next_url: str):
    return client.post(reverse("consent:cookies"), {"action": "refuse_all", "next": next_url})


@pytest.mark.parametrize("next_url", UNSAFE)
def test_the_cookie_form_falls_back_to_the_cookie_page(client, next_url):
    response = _cookie_choice(client, next_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:cookies")


@pytest.mark.parametrize("next_url", UNSAFE)
def test_the_statement_read_form_falls_back_to_the_statement(customer_client, next_url):
    response = customer_client.post(reverse("consent:statement_read"), {"next": next_url})
    assert response.status_code == 302
    assert response["Location"] == reverse("consent:statement")


@pytest.mark.parametrize("next_url", UNSAFE)
def test_the_cookie_page_does_not_put_an_unsafe_next_in_its_form(client, next_url):
    page = client.get(reverse("consent:cookies"), {"next": next_url})
    assert page.status_code == 200
    assert page.context["next"] == ""
    rendered = re.findall(r'name="next" value="([^"]*)"', page.content.decode())
    assert rendered and all(value.startswith(reverse("consent:cookies")) for value in rendered)


def test_a_path_on_this_site_is_followed(client, customer_client):
    target = reverse("consent:statement") + "?a=1&b=2"
    assert _cookie_choice(client, target)["Location"] == target
    assert customer_client.post(reverse("consent:statement_read"), {"next": target})["Location"] == target
    page = client.get(reverse("consent:cookies"), {"next": target})
    assert page.context["next"] == target
