"""Every e-mail of the portal in Netrex's look: one function builds the message every sender sends.

A sender renders its text body in the customer's language and hands it here with that language; the
message that comes back is multipart (the text with the company's signature, and the same text in the
HTML layout of ``templates/email/base.html``), from the portal's address, with a Message-ID on the site's
domain (``settings.DNS_NAME``).  ``tests/test_email.py`` proves that no code sends mail any other way.
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.defaultfilters import linebreaks_filter, urlize
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe

SIGNATURE_MARK = "-- "


def company_lines() -> list[str]:
    """Name, address and contact details of the company, as the footer of every e-mail shows them."""
    address = ", ".join(settings.NETREX_COMPANY_ADDRESS)
    return [
        f"{settings.NETREX_COMPANY_NAME} · {address}",
        f"{settings.NETREX_COMPANY_EMAIL} · {settings.NETREX_COMPANY_PHONE} · {settings.SITE_URL}",
    ]


def signed(body: str) -> str:
    """The text body with the company's signature once (a body that already carries it is left as it is)."""
    if settings.NETREX_COMPANY_NAME in body:
        return body
    return f"{body.rstrip()}\n\n{SIGNATURE_MARK}\n" + "\n".join(company_lines()) + "\n"


def html_version(subject: str, body: str, language: str | None = None) -> str:
    """The text of a mail in the portal's HTML layout, links clickable, in the mail's language."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    with translation.override(language):
        return render_to_string(
            "email/base.html",
            {
                "subject": subject,
                "body_html": mark_safe(linebreaks_filter(urlize(body, autoescape=True), autoescape=False)),  # noqa: S308
                "site_name": settings.SITE_NAME,
                "site_domain": settings.SITE_DOMAIN,
                "site_url": settings.SITE_URL,
                "company_name": settings.NETREX_COMPANY_NAME,
                "company_address": ", ".join(settings.NETREX_COMPANY_ADDRESS),
                "company_email": settings.NETREX_COMPANY_EMAIL,
                "company_phone": settings.NETREX_COMPANY_PHONE,
                "company_phone_link": "+31" + settings.NETREX_COMPANY_PHONE.replace(" ", "")[1:],
                "LANGUAGE_CODE": language,
            },
        )


def branded_message(
    *,
    subject: str,
    body: str,
    to: Sequence[str],
    language: str | None = None,
    html: str | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
    headers: dict[str, str] | None = None,
    from_email: str | None = None,
) -> EmailMultiAlternatives:
    """One e-mail, multipart text + HTML, signed with the company's details (``html`` for a sender with its own)."""
    language = language or translation.get_language() or settings.LANGUAGE_CODE
    text = signed(body)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=from_email,
        to=list(to),
        headers={"Content-Language": language, **(headers or {})},
    )
    message.attach_alternative(html if html is not None else html_version(subject, body, language), "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message
