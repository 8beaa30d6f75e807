"""Issue 17: Dutch addresses on Dutch pages and English ones under /en/, the language switch, the menu, formats."""

import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse, translate_url
from django.utils import translation

from accounts.tests.factories import UserFactory
from tests.signup import PERSONAL

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "dutch", "english"),
    [
        ("accounts:profile", "/profiel/", "/en/profile/"),
        ("orders:catalogue", "/bestellingen/winkel/", "/en/orders/shop/"),
        ("orders:list", "/bestellingen/", "/en/orders/"),
        ("rights:my_data", "/mijn-gegevens/", "/en/my-data/"),
        ("services:list", "/diensten/", "/en/services/"),
        ("subscriptions:list", "/abonnementen/", "/en/subscriptions/"),
        ("consent:consents", "/privacy/toestemmingen/", "/en/privacy/consents/"),
        ("credits:overview", "/credits/", "/en/credits/"),
    ],
)
def test_every_page_has_its_address_in_the_pages_language(name, dutch, english):
    with translation.override("nl"):
        assert reverse(name) == dutch
        assert translate_url(dutch, "en") == english
    with translation.override("en"):
        assert reverse(name) == english
        assert translate_url(english, "nl") == dutch


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/orders/shop/", "/bestellingen/winkel/"),
        ("/orders/", "/bestellingen/"),
        ("/en/profiel/", "/en/profile/"),
        ("/en/abonnementen/", "/en/subscriptions/"),
        ("/orders/shop", "/bestellingen/winkel/"),
        ("/orders/shop/?page=2", "/bestellingen/winkel/?page=2"),
    ],
)
def test_old_addresses_and_the_other_languages_addresses_redirect(client, old, new):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == new


def test_a_form_posted_to_an_old_address_keeps_its_method_and_an_unknown_address_is_a_404(client):
    response = client.post("/en/rechten/verzoek/", {"kind": "access"})
    assert response.status_code == 308 and response["Location"] == "/en/rights/request/"
    assert client.get("/bestaat-niet/").status_code == 404
    assert client.get("/en/does-not-exist/").status_code == 404


@pytest.mark.parametrize("page", ["/en/profile/", "/en/orders/shop/", "/en/privacy/"])
def test_switching_from_english_back_to_dutch_lands_on_the_dutch_page(client, page):
    client.force_login(UserFactory(language="en"))
    response = client.post("/i18n/setlang/", {"language": "nl", "next": page})
    assert response.status_code == 302
    with translation.override("en"):
        name = client.get(page).resolver_match.view_name
    with translation.override("nl"):
        assert response["Location"] == reverse(name)
    back = client.post("/i18n/setlang/", {"language": "en", "next": response["Location"]})
    assert back["Location"] == page


def test_a_visitor_switches_language_without_a_token_and_a_customer_only_with_one():
    """The switch saves a customer's language on their account: a forged post is refused; a visitor's is not."""
    from django.test import Client

    from accounts.models import User

    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get("/privacy/")
    assert "csrfmiddlewaretoken" not in page.content.decode() and not page.cookies
    response = visitor.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302 and response["Location"] == "/en/privacy/"
    assert response.cookies["django_language"].value == "en"

    customer = UserFactory(language="nl")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(customer)
    forged = browser.post("/i18n/setlang/", {"language": "en", "next": "/privacy/"})
    assert forged.status_code == 403
    assert User.objects.get(pk=customer.pk).language == "nl"
    html = browser.get("/privacy/").content.decode()
    token = html.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/privacy/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302 and User.objects.get(pk=customer.pk).language == "en"


def test_the_main_menu_has_six_grouped_entries_and_marks_the_current_one(client):
    client.force_login(UserFactory())
    html = client.get(reverse("orders:catalogue")).content.decode()
    menu = html.split('id="main-nav"', 1)[1].split("</nav>", 1)[0]
    assert menu.count("<li>") == 6
    for label in ("Overzicht", "Bestellingen &amp; facturen", "Diensten", "Account", "Mijn privacy", "Contact"):
        assert label in menu
    assert menu.count("aria-current") == 1
    assert 'href="/bestellingen/" id="nav-orders" aria-current="true"' in menu
    section = html.split('class="section-nav"', 1)[1].split("</nav>", 1)[0]
    assert 'href="/bestellingen/winkel/" aria-current="page"' in section or (
        'href="/bestellingen/winkel/" id="nav-shop" aria-current="page"' in section
    )
    assert 'id="menu-toggle" aria-expanded="false" aria-controls="main-nav"' in html
    assert "<script src=" in html and "<script>" not in html  # the menu button's script is a file (CSP)


def test_dates_phone_numbers_and_stored_labels_in_the_pages_language():
    from phonenumber_field.phonenumber import PhoneNumber

    day = datetime.date(2026, 11, 29)
    template = Template('{% load phone %}{{ day|date:"DATE_FORMAT" }}|{{ mobile|phone }}|{{ abroad|phone }}')
    context = Context(
        {
            "day": day,
            "mobile": PhoneNumber.from_string("+31612345678"),
            "abroad": PhoneNumber.from_string("+32470123456"),
        }
    )
    with translation.override("nl"):
        assert template.render(context) == "29 nov. 2026|06 12345678|+32 470 12 34 56"
    with translation.override("en"):
        assert template.render(context).startswith("29 Nov 2026|")
    with translation.override("nl"):
        assert Template("{% load i18n %}{% translate 'Delivery service' %}").render(Context()) == "Bezorgdienst"
        assert Template("{% load i18n %}{% translate 'Payment is past due.' %}").render(Context()) != (
            "Payment is past due."
        )


@pytest.mark.clause("C23")
@pytest.mark.parametrize(("language", "greeting", "prefix"), [("nl", "Hallo,", ""), ("en", "Hello,", "/en")])
def test_allauths_mails_are_multipart_in_netrex_look_with_the_sites_name_and_message_id(
    client, settings, django_capture_on_commit_callbacks, language, greeting, prefix
):
    from django.core import mail

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{prefix}/account/signup/",
            {
                "username": "nieuw",
                "email": "nieuw@example.nl",
                "password1": "Een-lang-wachtwoord-9",
                "password2": ("Een-lang-wachtwoord-9"),
                **PERSONAL,
            },
        )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.body.startswith(greeting)
    assert "Hallo van" not in message.body and "Hello from" not in message.body and "zijn of haar" not in message.body
    assert "Netrex Internet Solutions BV" in message.body
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert "Netrex Internet Solutions BV" in html and "<a href=" in html
    assert message.message()["Message-ID"].endswith(f"@{settings.SITE_DOMAIN}>")
