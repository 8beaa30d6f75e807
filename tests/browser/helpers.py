"""What the browser tests share: logging in (staff with their TOTP code) and the sideways-scroll check."""

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.utils import timezone
from playwright.sync_api import Page, expect

from accounts.tests.factories import PASSWORD

TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # accounts.tests.factories.with_totp


def log_in(page: Page, base: str, username: str, *, totp: bool = False, login_path: str = "/account/login/") -> None:
    """Log in through the real pages; staff type the current code of the factory's TOTP secret."""
    page.goto(base + login_path)
    page.fill("#id_login", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    if totp:
        counter = int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD
        page.fill("input[name=code]", format_hotp_value(hotp_value(TOTP_SECRET, counter)))
        page.locator("main form button[type=submit]").first.click()
    expect(page.locator("h1")).to_contain_text("Welkom")


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("() => document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"
