"""Personal data held by the accounts app (and the allauth and admin models it brings in)."""

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import LogEntry
from django.db.models import Exists, OuterRef

from accounts.models import User
from portal.models import Activity
from privacy.declarations import Declaration, Erase, register
from privacy.register import Event


def _never_confirmed(queryset):
    """Sign-ups that never confirmed their email address and never logged in."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), verified=True)
    return queryset.filter(~Exists(verified), last_login__isnull=True, is_staff=False)


def _describe_activity(row: Activity) -> str:
    return f"{row.created_at:%Y-%m-%d %H:%M} {row.get_action_display()}"


register(
    Declaration(
        model=User,
        purpose="P9",
        owner="pk",
        fields=(
            "username",
            "email",
            "first_name",
            "last_name",
            "nickname",
            "street",
            "postal_code",
            "town",
            "country",
            "phone",
            "gender",
            "birth_date",
            "billing_same_as_address",
            "billing_name",
            "billing_street",
            "billing_postal_code",
            "billing_town",
            "billing_country",
            "photo",
            "language",
            "date_joined",
            "last_login",
        ),
        files=("photo",),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Account",
    ),
    Declaration(
        model=User,
        purpose="P9",
        owner="pk",
        fields=("username", "email"),
        rule="account_stale",
        clock="date_joined",
        extra_filter=_never_confirmed,
        listed=False,
    ),
    Declaration(
        model=EmailAddress,
        purpose="P9",
        fields=("email", "verified", "primary"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
    ),
    Declaration(
        model=EmailConfirmation,
        purpose="P9",
        owner="email_address__user",
        fields=("created", "sent"),
        rule="account_stale",
        clock="created",
        on_closure=Erase.DELETE,
        listed=False,
    ),
    Declaration(
        model=UserSession,
        purpose="P9",
        fields=("ip", "user_agent", "created_at", "last_seen_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Sessions",
    ),
    Declaration(
        model=Authenticator,
        purpose="P9",
        fields=("type", "created_at", "last_used_at"),
        on_closure=Erase.DELETE,
        until=Event.ACCOUNT_CLOSED,
        label="Two-factor authentication",
    ),
    Declaration(
        model=Activity,
        purpose="P2",
        fields=("action", "detail", "ip_address", "created_at"),
        on_closure=Erase.DELETE,
        describe=_describe_activity,
        label="Activity log",
    ),
    Declaration(
        model=LogEntry,
        purpose="P2",
        fields=("action_time", "object_repr", "change_message"),
        rule="admin_log_recorded",
        clock="action_time",
        erase=Erase.DELETE,
        on_closure=Erase.DELETE,
        label="Admin actions (staff)",
    ),
)
