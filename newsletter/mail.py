"""Rendering of newsletter, advertising and confirmation emails, each in the recipient's language.

Every newsletter and advertising email carries its own one-click link and the RFC 8058 headers
``List-Unsubscribe`` and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``.
"""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from newsletter import tokens
from newsletter.models import Channel, Newsletter
from portal.email import branded_message


def absolute_url(name: str, language: str, **kwargs) -> str:
    with translation.override(language):
        return settings.SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def opt_out_url(*, newsletter: Newsletter, language: str, recipient: str, user_id: int | None) -> str:
    """The one-click link of this recipient: unsubscribe (newsletter) or object to email advertising."""
    if newsletter.kind == Newsletter.Kind.ADVERTISING:
        token = tokens.advertising_token(user_id, Channel.EMAIL)
        return absolute_url("newsletter:advertising_object", language, token=token)
    return absolute_url("newsletter:unsubscribe", language, token=tokens.unsubscribe_token(recipient))


def newsletter_message(
    *, newsletter: Newsletter, email: str, language: str, opt_out: str, test: bool = False
) -> EmailMultiAlternatives:
    with translation.override(language):
        context = {
            "newsletter": newsletter,
            "subject": newsletter.subject(language),
            "body": newsletter.body(language),
            "opt_out_url": opt_out,
            "advertising": newsletter.kind == Newsletter.Kind.ADVERTISING,
        }
        subject = ("[TEST] " if test else "") + newsletter.subject(language)
        text = render_to_string("newsletter/email/newsletter.txt", context)
        html = render_to_string("newsletter/email/newsletter.html", context)
    return branded_message(
        subject=subject,
        body=text,
        to=[email],
        language=language,
        html=html,
        headers={"List-Unsubscribe": f"<{opt_out}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )


def confirmation_message(*, email: str, language: str, token: str) -> EmailMultiAlternatives:
    """The double opt-in mail: its link carries only the opaque token of the pending sign-up, never the address."""
    url = absolute_url("newsletter:confirm", language, token=token)
    with translation.override(language):
        context = {"confirm_url": url, "days": settings.NEWSLETTER_CONFIRM_DAYS}
        subject = render_to_string("newsletter/email/confirm_subject.txt", context).strip()
        text = render_to_string("newsletter/email/confirm.txt", context)
    return branded_message(subject=subject, body=text, to=[email], language=language)
