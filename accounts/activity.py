"""Activity-log actions of the accounts app (registered with ``portal.activity`` in ``AppConfig.ready``)."""

from django.db.models import TextChoices
from django.utils.translation import gettext_lazy as _


class Action(TextChoices):
    SIGNED_UP = "signed_up", _("Signed up")
    LOGGED_IN = "logged_in", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login attempt")
    LOGGED_OUT = "logged_out", _("Logged out")
    EMAIL_CONFIRMED = "email_confirmed", _("Email address confirmed")
    EMAIL_CHANGED = "email_changed", _("Email address changed")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset")
    PROFILE_CHANGED = "profile_changed", _("Profile changed")
    PHOTO_CHANGED = "photo_changed", _("Profile photo changed")
    PHOTO_REMOVED = "photo_removed", _("Profile photo removed")
    MFA_ADDED = "mfa_added", _("Two-factor authentication added")
    MFA_REMOVED = "mfa_removed", _("Two-factor authentication removed")
    MFA_CODES_RESET = "mfa_codes_reset", _("Recovery codes regenerated")
    SESSIONS_ENDED = "sessions_ended", _("Other sessions logged out")
    LANGUAGE_CHANGED = "language_changed", _("Language changed")
    PASSWORD_RESET_SENT = "password_reset_sent", _("Password-reset email sent by staff")
    BREAK_GLASS = "break_glass", _("Superuser action (break-glass)")
