"""The one place where allauth is customised for the portal."""

from collections import Counter
from dataclasses import dataclass

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from accounts.activity import Action as AccountAction
from accounts.models import User
from portal.activity import activity_record
from portal.email import company_lines


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        """New customers keep the language they signed up in: their emails go out in it."""
        user.language = translation.get_language() or user.language
        return super().save_user(request, user, form, commit=commit)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """Render in the customer's language and send after the transaction commits."""
        from django.contrib.sites.shortcuts import get_current_site

        ctx = {"request": self.request, "email": email, "current_site": get_current_site(self.request)}
        ctx.update(context)
        # The site's real name and domain, not the host the request came in on ("Hallo van 127.0.0.1:8000!").
        ctx["current_site"] = _Site(name=settings.SITE_NAME, domain=settings.SITE_DOMAIN)
        ctx["site_url"] = settings.SITE_URL
        ctx["company_signature"] = "\n".join(company_lines())
        user = ctx.get("user")
        language = getattr(user, "language", None) or translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, ctx)
        from portal.tasks import email_send

        # allauth's own HTML version where it has one; portal.email lays out the text otherwise.
        email_send.delay_on_commit(
            subject=message.subject,
            body=message.body,
            to=list(message.to),
            alternatives=[(content, mimetype) for content, mimetype in getattr(message, "alternatives", [])],
            language=language,
        )


@dataclass(frozen=True)
class _Site:
    name: str
    domain: str


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """End the sessions and log, per customer, how many were ended ("log out elsewhere")."""
        sessions = list(sessions)
        super().end_sessions(sessions)
        if not sessions:
            return
        # allauth builds this adapter without a request; its middleware keeps the current one.
        request: HttpRequest | None = self.request or allauth_context.request
        ended = Counter(session.user_id for session in sessions)
        users = User.objects.in_bulk(list(ended))
        for user_id, count in ended.items():
            activity_record(
                user=users[user_id], action=AccountAction.SESSIONS_ENDED, request=request, detail={"count": count}
            )
