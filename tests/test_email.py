"""Every e-mail in Netrex's look, in the customer's language, from one place (portal/email.py).

The root conftest checks every e-mail any test sends; this file proves the builder itself and that no
code builds a message another way.
"""

import ast
import pathlib

import pytest
from django.conf import settings
from django.core import mail
from django.utils import translation

from portal.email import branded_message, company_lines, signed
from tests.signup import PERSONAL

ROOT = pathlib.Path(__file__).resolve().parents[1]
# Django's mail classes and helpers: only portal/email.py may build a message from them.
BUILDERS = {"EmailMessage", "EmailMultiAlternatives", "send_mail", "send_mass_mail", "mail_admins", "mail_managers"}


def _calls_outside_the_builder() -> list[str]:
    found = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "var/")) or "/tests/" in relative or relative.startswith("tests/"):
            continue
        if relative in {"portal/email.py", "conftest.py"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in BUILDERS:
                    found.append(f"{relative}:{node.lineno} {name}")
    return found


def test_no_code_builds_an_email_outside_portal_email():
    assert _calls_outside_the_builder() == []


def test_the_scan_finds_a_message_built_elsewhere(tmp_path, monkeypatch):
    """The scan above can fail: a module that calls send_mail is reported."""
    rogue = ROOT / "portal" / "_rogue_mail_for_test.py"
    rogue.write_text("from django.core.mail import send_mail\n\nsend_mail('s', 'b', None, ['a@b.nl'])\n")
    try:
        assert any("_rogue_mail_for_test.py" in line for line in _calls_outside_the_builder())
    finally:
        rogue.unlink()


@pytest.mark.clause("C23")
def test_a_message_is_multipart_signed_and_carries_the_sites_message_id():
    message = branded_message(
        subject="Test", body="Hallo,\n\nZie https://mijn.netrex.nl/facturen/", to=["a@b.nl"], language="nl"
    )
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert '<html lang="nl">' in html
    assert '<a href="https://mijn.netrex.nl/facturen/"' in html  # links clickable
    for line in company_lines():
        assert line in message.body
    assert settings.NETREX_COMPANY_NAME in html and settings.NETREX_COMPANY_EMAIL in html
    assert settings.NETREX_COMPANY_PHONE in html
    assert message.extra_headers["Content-Language"] == "nl"
    assert message.message()["Message-ID"].endswith(f"@{settings.SITE_DOMAIN}>")


def test_the_html_follows_the_language_of_the_body():
    with translation.override("nl"):
        message = branded_message(subject="Hi", body="Hello", to=["a@b.nl"], language="en")
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert '<html lang="en">' in html


def test_a_signed_body_is_signed_once():
    once = signed("Hallo")
    assert signed(once) == once
    assert once.count(settings.NETREX_COMPANY_NAME) == 1


def test_the_html_escapes_what_the_body_carries():
    message = branded_message(subject="x", body="<script>alert(1)</script>", to=["a@b.nl"])
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert "<script>" not in html and "&lt;script&gt;" in html


@pytest.mark.django_db
def test_allauths_sign_up_mail_is_in_netrex_look_in_the_visitors_language(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/en/account/signup/",
            {
                "username": "newbie",
                "email": "newbie@example.org",
                "password1": "a-Long-passw0rd!",
                "password2": "a-Long-passw0rd!",
                **PERSONAL,
            },
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1, response.content[:2000]
    message = mail.outbox[0]
    assert "Hallo van" not in message.body and "Hello from" not in message.body
    html = {mimetype: content for content, mimetype in message.alternatives}["text/html"]
    assert '<html lang="en">' in html
    assert settings.NETREX_COMPANY_NAME in message.body
