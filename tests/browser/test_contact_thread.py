"""Issue 20 items 3 and 4 in Chromium, in Dutch, at a phone's size (390×844) and a laptop's (1366×768).

A customer asks a question, support answers it in the admin (logged in with password and TOTP code),
the customer reads the answer under "Mijn vragen" and replies in the same thread, and support sees
the reply.  The newsletter admin's lists are read by a support colleague at 1366×768: no column cut
off, no table wider than the screen.
"""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Browser, expect

from accounts.tests.factories import UserFactory, with_totp
from contact.models import ContactMessage, ContactRequest
from newsletter import services as newsletter_services
from newsletter.models import Channel, ChoiceMethod, Newsletter
from portal.roles import SUPPORT
from tests.browser.helpers import log_in, no_sideways_scroll

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 768}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESKTOP, id="desktop")]
TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # accounts.tests.factories.with_totp


def _support(username: str = "anna.support"):
    staff = with_totp(UserFactory(username=username, first_name="Anna", is_staff=True))
    staff.groups.add(Group.objects.get(name=SUPPORT))
    return staff


@pytest.mark.browser
@pytest.mark.clause("C16", "C17")
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("size", SIZES)
def test_a_question_answered_in_the_admin_read_and_replied_to_in_the_portal(browser: Browser, live_server, size):
    base = live_server.url
    UserFactory(username="vrager", first_name="Jan")
    _support()
    customer_context = browser.new_context(viewport=size, locale="nl-NL")
    customer = customer_context.new_page()
    log_in(customer, base, "vrager")

    customer.goto(f"{base}/contact/")
    expect(customer.locator("#id_email")).to_have_value("vrager@example.nl")
    customer.fill("#id_subject", "E-mail komt niet aan")
    customer.fill("#id_message", "Sinds gisteren komt er geen mail meer binnen op info@.")
    customer.locator("#contact-form button[type=submit]").click()
    expect(customer.locator("#contact-thanks")).to_be_visible()
    number = customer.locator("#request-number").inner_text()
    assert re.fullmatch(r"V-\d{4}-\d{5}", number)
    contact_request = ContactRequest.objects.get(subject="E-mail komt niet aan")
    assert contact_request.number == number

    staff_context = browser.new_context(viewport=size, locale="nl-NL")
    staff = staff_context.new_page()
    log_in(staff, base, "anna.support", totp=True)
    staff.goto(f"{base}/admin/contact/contactrequest/?status__exact=open")
    staff.get_by_role("link", name="E-mail komt niet aan").click()
    expect(staff.locator("#contact-thread")).to_contain_text("Sinds gisteren komt er geen mail meer binnen")
    staff.locator("#contact-answer-link").click()
    staff.fill("#id_answer", "We hebben de doorstuurregel hersteld. Komt je mail nu weer binnen?")
    staff.locator("#contact-answer-form input[type=submit]").click()
    expect(staff.locator(".messagelist")).to_contain_text("vrager@example.nl")

    customer.goto(f"{base}/contact/mijn-vragen/")
    expect(customer.locator("#my-questions")).to_contain_text(number)
    customer.get_by_role("link", name="E-mail komt niet aan").click()
    expect(customer.locator("#thread")).to_contain_text("We hebben de doorstuurregel hersteld")
    expect(customer.locator("#thread")).to_contain_text("Anna (Netrex)")
    expect(customer.locator("#thread")).not_to_contain_text("anna.support")
    expect(customer.locator("#thread-status")).to_have_text("beantwoord")
    no_sideways_scroll(customer)
    customer.fill("#id_body", "Ja, dank je! Alleen de mail van gisteren mis ik nog.")
    customer.locator("#reply-button").click()
    expect(customer.locator("#thread-status")).to_have_text("wacht op ons antwoord")
    expect(customer.locator("#thread")).to_contain_text("Alleen de mail van gisteren mis ik nog.")
    no_sideways_scroll(customer)

    staff.reload()
    expect(staff.locator("#contact-thread")).to_contain_text("Alleen de mail van gisteren mis ik nog.")
    expect(staff.locator("#contact-thread")).to_contain_text("open: wacht op ons antwoord")
    assert list(ContactMessage.objects.values_list("author", flat=True)) == ["staff", "customer"]
    customer_context.close()
    staff_context.close()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_newsletter_admin_lists_fit_a_1366_screen(browser: Browser, live_server):
    base = live_server.url
    support = _support("piet.support")
    customer = UserFactory(username="lange.naam.van.een.klant.met.veel.letters", first_name="Maximiliaan")
    newsletter_services.newsletter_subscribe_user(user=customer, method="portal")
    leaving = UserFactory(username="vertrekker")
    newsletter_services.newsletter_subscribe_user(user=leaving, method="portal")
    newsletter_services.newsletter_unsubscribe_user(user=leaving, method="portal")  # a row on the suppression list
    for channel in Channel.values:
        newsletter_services.advertising_choice_set(
            user=customer,
            channel=channel,
            allowed=False,
            method=ChoiceMethod.PHONE,
            source="Telefoongesprek van 3 mei met de klant, die geen reclame meer wil ontvangen via dit kanaal",
            actor=support,
        )
    Newsletter.objects.create(
        kind=Newsletter.Kind.ADVERTISING,
        subject_nl="Onze najaarsaanbieding voor webhosting met gratis domeinnaam en SSL-certificaat",
        subject_en="Autumn offer",
        body_nl="x",
        body_en="x",
    )
    context = browser.new_context(viewport=DESKTOP, locale="nl-NL")
    page = context.new_page()
    log_in(page, base, "piet.support", totp=True)
    for model in ("newsletter", "subscriber", "suppression", "advertisingpreference", "advertisingpreferencechange"):
        page.goto(f"{base}/admin/newsletter/{model}/")
        expect(page.locator("#result_list")).to_be_visible()
        fit = page.evaluate(
            """() => {
              const table = document.querySelector('#result_list');
              const box = table.closest('.results') || table.parentElement;
              const cells = [...table.querySelectorAll('th, td')].filter(c => c.scrollWidth > c.clientWidth + 1);
              return {
                page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                box: box.scrollWidth - box.clientWidth,
                right: table.getBoundingClientRect().right - window.innerWidth,
                cut: cells.map(c => c.textContent.trim().slice(0, 30)),
              };
            }"""
        )
        assert fit["page"] <= 0 and fit["box"] <= 0 and fit["right"] <= 0, (model, fit)
        assert fit["cut"] == [], (model, fit)
    page.goto(f"{base}/admin/newsletter/advertisingpreferencechange/")
    expect(page.locator("#result_list")).to_contain_text("telefoon")
    expect(page.locator("#result_list")).to_contain_text("medewerker (support)")
    context.close()
