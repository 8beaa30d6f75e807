"""Error pages in the portal's look and the visitor's language, never Django's bare "403 Forbidden"."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path

from netrex.urls import urlpatterns as portal_urls


def _boom(request):
    raise RuntimeError("kapot")


def _forbidden(request):
    raise PermissionDenied


# The portal's own URLs too: the error pages link to them (menu, footer).
urlpatterns = [path("boom/", _boom), path("forbidden/", _forbidden), *portal_urls]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("prefix", "heading"), [("", "We kunnen deze pagina niet vinden"), ("/en", "We can't find this page")]
)
def test_a_missing_page_says_so_in_the_visitors_language(client, prefix, heading):
    response = client.get(f"{prefix}/bestaat-niet/")
    assert response.status_code == 404
    assert heading in response.content.decode()
    assert "0348 433 886" in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_forbidden_page_explains_what_to_do():
    response = Client().get("/forbidden/")
    assert response.status_code == 403
    assert "Je hebt geen toegang tot deze pagina" in response.content.decode()


@pytest.mark.django_db
def test_an_expired_form_asks_to_send_it_again():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/account/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    assert "Dit formulier is verlopen" in response.content.decode()


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_a_calm_page_without_details():
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "Er ging bij ons iets mis" in body
    assert "kapot" not in body and "Traceback" not in body
