"""Create demo data: a customer, a staff member with MFA, and optionally many customers for load tests.

Idempotent: running it again resets the demo passwords and leaves everything else as it is.
Other apps add their own demo data through ``portal.demo.register``.
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, hotp_value
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from portal import demo
from portal.roles import ROLES

DEMO_CUSTOMER = ("demo", "demo@example.nl", "Netrex-demo-2026!")
DEMO_STAFF = ("beheer", "beheer@example.nl", "Netrex-beheer-2026!")
# A fixed secret so that the printed set-up stays valid across runs (development only).
DEMO_STAFF_TOTP_SECRET = "JBSWY3DPEHPK3PXPNETREXDEMO234567"  # noqa: S105
BULK_BATCH = 2000


class Command(BaseCommand):
    help = "Create the demo customer and staff member (and with --customers N, N more customers)."

    def add_arguments(self, parser):
        parser.add_argument("--customers", type=int, default=0, help="Also create this many customers in bulk.")
        for name, help_text in demo.extra_arguments():
            parser.add_argument(name, **help_text)

    def handle(self, *args, customers: int = 0, **options):
        # The demo logins, passwords and TOTP secret are published in the README: never in production.
        if not (settings.DEBUG or getattr(settings, "DEMO_DATA_ALLOWED", False)):
            raise CommandError(
                "seed_demo creates users whose passwords are public: it runs only in development "
                "(DJANGO_DEBUG=on), never with the production settings."
            )
        self._seed(customers=customers, **options)

    @transaction.atomic
    def _seed(self, *, customers: int, **options) -> None:
        customer = self._user(*DEMO_CUSTOMER, first_name="Demi", last_name="de Klant", town="Woerden")
        staff = self._user(*DEMO_STAFF, first_name="Bea", last_name="Heer", is_staff=True, is_superuser=True)
        staff.groups.set(Group.objects.filter(name__in=ROLES))
        self._totp(staff)
        created = self._bulk_customers(customers) if customers else 0
        demo.run_all(customer=customer, staff=staff, stdout=self.stdout, options=options)

        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"  customer: {DEMO_CUSTOMER[0]} / {DEMO_CUSTOMER[2]}  ({DEMO_CUSTOMER[1]})")
        self.stdout.write(f"  staff:    {DEMO_STAFF[0]} / {DEMO_STAFF[2]}  ({DEMO_STAFF[1]}), admin at /admin/")
        self.stdout.write(f"  staff TOTP secret: {DEMO_STAFF_TOTP_SECRET}  (add it to an authenticator app)")
        self.stdout.write(f"  staff TOTP code right now: {hotp_value(DEMO_STAFF_TOTP_SECRET, _counter()):06d}")
        if created:
            self.stdout.write(f"  {created} bulk customers created (password: {DEMO_CUSTOMER[2]})")

    def _user(self, username: str, email: str, password: str, **fields) -> User:
        user, _ = User.objects.get_or_create(username=username, defaults={"email": email, **fields})
        user.email = email
        for name, value in fields.items():
            setattr(user, name, value)
        user.set_password(password)
        user.save()
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
        return user

    def _totp(self, user: User) -> None:
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, DEMO_STAFF_TOTP_SECRET)

    def _bulk_customers(self, count: int) -> int:
        """Insert ``count`` verified customers with one password hash computed once."""
        password = make_password(DEMO_CUSTOMER[2])
        start = User.objects.filter(username__startswith="klant").count()
        made = 0
        while made < count:
            size = min(BULK_BATCH, count - made)
            numbers = range(start + made, start + made + size)
            users = User.objects.bulk_create(
                [
                    User(
                        username=f"klant{n:07d}",
                        email=f"klant{n:07d}@example.nl",
                        password=password,
                        first_name="Klant",
                        last_name=f"{n}",
                        town="Utrecht",
                        language=settings.LANGUAGE_CODE,
                    )
                    for n in numbers
                ],
                batch_size=BULK_BATCH,
            )
            if not all(user.pk for user in users):
                users = list(User.objects.filter(username__in=[u.username for u in users]))
            EmailAddress.objects.bulk_create(
                [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users],
                batch_size=BULK_BATCH,
            )
            made += size
        return made


def _counter() -> int:
    import time

    from allauth.mfa import app_settings

    return int(time.time()) // app_settings.TOTP_PERIOD
