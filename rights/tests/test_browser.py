"""In Chromium: ask for an export, wait for it, download the ZIP and open it (C39b)."""

import json
import re
import zipfile

import pytest
from playwright.sync_api import expect

from accounts.activity import Action as AccountAction
from accounts.tests.factories import PASSWORD, UserFactory
from portal.models import Activity


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.clause("C39b")
def test_customer_requests_an_export_waits_downloads_and_opens_it(page, live_server, tmp_path):
    customer = UserFactory(nickname="Browserklant")
    Activity.objects.create(user=customer, action=AccountAction.PROFILE_CHANGED, detail={"fields": ["nickname"]})

    page.goto(f"{live_server.url}/account/login/")
    page.fill("input[name=login]", customer.username)
    page.fill("input[name=password]", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/$"))

    page.goto(f"{live_server.url}/mijn-gegevens/")
    expect(page.locator("#purpose-P9")).to_contain_text("Browserklant")
    page.locator("#export-start").click()
    if "reauthenticate" in page.url:
        page.fill("input[name=password]", PASSWORD)
        page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/mijn-gegevens/export/[0-9a-f-]+/$"))
    expect(page.locator("#export-download")).to_be_visible(timeout=20000)

    with page.expect_download() as download_info:
        page.locator("#export-download").click()
    target = tmp_path / "export.zip"
    download_info.value.save_as(target)
    with zipfile.ZipFile(target) as archive:
        names = archive.namelist()
        assert "overview.html" in names
        account = json.loads(archive.read(next(name for name in names if name.startswith("P9-"))))
    users = next(block for block in account["data"] if block["model"] == "accounts.User")
    assert users["rows"][0]["nickname"] == "Browserklant"
