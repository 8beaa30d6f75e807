"""A customer's first visit in Chromium: sign up, confirm, log in, edit the profile, read the log, switch language."""

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.activity import Action as AccountAction
from accounts.models import User
from portal.models import Activity
from tests.signup import fill_personal

PASSWORD = "Browser-Test-Wachtwoord-1"


def _submit(page: Page) -> None:
    page.locator("main form button[type=submit]").first.click()


@pytest.mark.browser
@pytest.mark.clause("C23", "C25", "C07", "C06")
@pytest.mark.django_db(transaction=True)
def test_sign_up_confirm_log_in_edit_profile_and_switch_to_english(page: Page, live_server):
    page.goto(f"{live_server.url}/account/signup/")
    expect(page.locator("h1")).to_have_text("Registreren")
    page.fill("#id_username", "sanne")
    page.fill("#id_email", "sanne@example.nl")
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    fill_personal(page)
    _submit(page)
    expect(page.locator("h1")).to_contain_text("e-mailadres")

    links = [re.search(r"https?://\S+/account/confirm-email/\S+", message.body) for message in mail.outbox]
    link = next(match.group(0) for match in links if match)
    page.goto(live_server.url + link[link.index("/account/") :])
    _submit(page)  # confirm
    page.locator("header form button", has_text="Afmelden").click()

    page.goto(f"{live_server.url}/account/login/")
    page.fill("#id_login", "sanne")
    page.fill("#id_password", PASSWORD)
    _submit(page)
    expect(page.locator("h1")).to_have_text("Welkom, Anneke de Vries")  # the name given at sign-up

    page.get_by_role("link", name="Mijn gegevens").first.click()
    page.fill("#id_first_name", "Sanne")
    page.fill("#id_town", "Bodegraven")
    _submit(page)
    expect(page.locator(".messages")).to_contain_text("Je gegevens zijn opgeslagen.")
    assert User.objects.get(username="sanne").town == "Bodegraven"

    page.get_by_role("link", name="Activiteit", exact=True).click()
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Profiel gewijzigd")
    expect(row).to_contain_text("woonplaats")
    expect(page.locator("tbody")).to_contain_text("Ingelogd")

    page.locator("header button[name=language][value=en]").click()
    expect(page.locator("h1")).to_have_text("Activity log")
    expect(page.locator("tbody tr").first).to_contain_text("Language changed")
    expect(page.locator("tbody")).to_contain_text("Profile changed")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.startswith(f"{live_server.url}/en/")
    assert User.objects.get(username="sanne").language == "en"
    assert Activity.objects.filter(user__username="sanne", action=AccountAction.LANGUAGE_CHANGED).exists()
