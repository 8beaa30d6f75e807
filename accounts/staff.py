"""What staff may do to a customer's account beyond correcting profile fields.

A staff member never sets a customer's password or e-mail address: the customer does, through a
link sent to an address they proved to hold.  Support's only lever on credentials is to send that
link (allauth's own password-reset mail), which is recorded in the customer's activity log with the
staff member as actor.
"""

from collections.abc import Iterable

from allauth.account.forms import ResetPasswordForm
from allauth.account.models import EmailAddress
from django.http import HttpRequest

from accounts.activity import Action as AccountAction
from accounts.models import User
from portal.activity import activity_record


def password_reset_send(*, users: Iterable[User], request: HttpRequest) -> int:
    """Send allauth's password-reset mail to each customer's verified primary address; returns how many."""
    sent = 0
    for user in users:
        if user.is_staff or user.is_superuser or not user.is_active:
            continue  # staff credentials are a superuser's business, and a closed account has none
        address = (
            EmailAddress.objects.filter(user=user, verified=True)
            .order_by("-primary", "pk")
            .values_list("email", flat=True)
            .first()
        )
        if not address:
            continue
        form = ResetPasswordForm(data={"email": address})
        if not form.is_valid():
            continue
        form.save(request)
        activity_record(user=user, action=AccountAction.PASSWORD_RESET_SENT, request=request, actor=request.user)
        sent += 1
    return sent


def break_glass_record(*, user: User, request: HttpRequest, status: int) -> None:
    """Record one superuser action and tell the privacy officers (after commit, through the queue)."""
    from django.conf import settings
    from django.utils import timezone

    from portal.roles import privacy_officer_addresses
    from portal.tasks import email_send

    detail = {"method": request.method, "path": request.path[:200], "status": status}
    activity_record(user=user, action=AccountAction.BREAK_GLASS, request=request, detail=detail)
    to = [address for address in privacy_officer_addresses() if address != user.email]
    if not to:
        return
    log_url = f"{settings.SITE_URL.rstrip('/')}/admin/portal/activity/?user__id__exact={user.pk}"
    body = (
        f"Superuser {user.get_username()} deed om {timezone.localtime():%Y-%m-%d %H:%M:%S} "
        f"{request.method} {request.path[:200]} (antwoord {status}).\n\n"
        "Superuser-rechten zijn alleen voor noodgevallen en het beheer van medewerkers. "
        f"Het activiteitenlog van dit account toont elke actie: {log_url}\n"
    )
    email_send.delay_on_commit(subject=f"[Netrex] Break-glass: {user.get_username()}", body=body, to=to)
