"""Print the current TOTP code of an account's authenticator (development only: ``make run``'s staff log-in)."""

from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.mfa.utils import decrypt
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import User


class Command(BaseCommand):
    help = "Print the current TOTP code of a demo account (development only, DJANGO_DEBUG=on)."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        if not settings.DEBUG:
            raise CommandError("totp_code prints a second factor: it runs only in development (DJANGO_DEBUG=on).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        if not user.is_demo:
            raise CommandError(f"{username!r} is not a demo account: totp_code shows only the codes of demo accounts.")
        authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if authenticator is None:
            raise CommandError(f"{username!r} has no authenticator app set up.")
        secret = decrypt(authenticator.data["secret"])
        now = int(timezone.now().timestamp())
        counter, left = divmod(now, app_settings.TOTP_PERIOD)
        code = format_hotp_value(hotp_value(secret, counter))
        self.stdout.write(f"{code}  (valid for another {app_settings.TOTP_PERIOD - left} s)")
