"""Receivers that turn allauth's and Django's authentication signals into activity-log rows (C07).

They hold no rules: each one calls ``accounts.services.activity_record``.
"""

from allauth.account import signals as account_signals
from allauth.core import context as allauth_context
from allauth.mfa import signals as mfa_signals
from allauth.mfa.models import Authenticator
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.db.models import Q
from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.activity import Action as AccountAction
from portal.activity import activity_record


@receiver(account_signals.user_signed_up)
def _signed_up(request, user, **kwargs):
    activity_record(user=user, action=AccountAction.SIGNED_UP, request=request)


@receiver(account_signals.user_logged_in)
def _logged_in(request, user, **kwargs):
    activity_record(user=user, action=AccountAction.LOGGED_IN, request=request)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        activity_record(user=user, action=AccountAction.LOGGED_OUT, request=request)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    login = credentials.get("username") or credentials.get("email") or credentials.get("login")
    if not login:
        return
    user = get_user_model().objects.filter(Q(username__iexact=login) | Q(email__iexact=login)).first()
    if user is not None:
        activity_record(user=user, action=AccountAction.LOGIN_FAILED, request=request)


@receiver(account_signals.email_confirmed)
def _email_confirmed(request, email_address, **kwargs):
    activity_record(user=email_address.user, action=AccountAction.EMAIL_CONFIRMED, request=request)


@receiver(account_signals.email_changed)
def _email_changed(request, user, from_email_address, to_email_address, **kwargs):
    activity_record(user=user, action=AccountAction.EMAIL_CHANGED, request=request)


@receiver(account_signals.password_changed)
@receiver(account_signals.password_set)
def _password_changed(request, user, **kwargs):
    activity_record(user=user, action=AccountAction.PASSWORD_CHANGED, request=request)


@receiver(account_signals.password_reset)
def _password_reset(request, user, **kwargs):
    activity_record(user=user, action=AccountAction.PASSWORD_RESET, request=request)


# allauth announces a new authenticator only after the commit; the model signal fires inside the
# transaction that writes it, so the log row is part of the same change.
@receiver(post_save, sender=Authenticator)
def _mfa_added(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        activity_record(
            user=instance.user,
            action=AccountAction.MFA_ADDED,
            request=allauth_context.request,
            detail={"type": instance.type},
        )


# Removal is taken from allauth's own signal (sent after the commit of the customer's action), not
# from post_delete, which also fires while an account and everything it owns is being deleted.
@receiver(mfa_signals.authenticator_removed)
def _mfa_removed(request, user, authenticator, **kwargs):
    activity_record(user=user, action=AccountAction.MFA_REMOVED, request=request, detail={"type": authenticator.type})


@receiver(mfa_signals.authenticator_reset)
def _mfa_reset(request, user, authenticator, **kwargs):
    if authenticator.type == Authenticator.Type.RECOVERY_CODES:
        activity_record(user=user, action=AccountAction.MFA_CODES_RESET, request=request)
