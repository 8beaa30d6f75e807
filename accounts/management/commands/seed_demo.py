"""Create demo data: a customer, a staff member with MFA, and optionally many customers for load tests.

Every account it makes is marked ``is_demo``; it never changes an account it did not make (a real
account that happens to be called ``demo`` or ``beheer`` stops it), and the other apps' hooks
(``portal.demo.register``) create and age only rows of demo accounts.  Idempotent: a second run
changes nothing the first made (a demo password is set again only when it no longer matches).
"""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
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
        parser.add_argument(
            "--life",
            action="store_true",
            help="Give the demo customer a history made through the portal's services and the Mollie simulator "
            "(paid orders, a renewed subscription, credits spent, an answered question, an export); `make run` does.",
        )
        for name, help_text in demo.extra_arguments():
            parser.add_argument(name, **help_text)

    def handle(self, *args, customers: int = 0, **options):
        # The demo logins, passwords and TOTP secret are published in the README: never in production.
        if not (settings.DEBUG or getattr(settings, "DEMO_DATA_ALLOWED", False)):
            raise CommandError(
                "seed_demo creates users whose passwords are public: it runs only in development "
                "(DJANGO_DEBUG=on), never with the production settings."
            )
        customer, staff = self._seed(customers=customers, **options)
        if options.get("life"):
            # After the commit: the simulator, served on a local port, reads what the seeding wrote.
            with demo.serving():
                demo.run_life(customer=customer, staff=staff, stdout=self.stdout, options=options)
        self._report()

    @transaction.atomic
    def _seed(self, *, customers: int, **options) -> tuple[User, User]:
        customer = self._user(
            *DEMO_CUSTOMER,
            first_name="Demi",
            last_name="de Klant",
            street="Rijnstraat 12",
            postal_code="3441 BS",
            town="Woerden",
            phone="+31612345678",
        )
        staff = self._user(*DEMO_STAFF, first_name="Bea", last_name="Heer", is_staff=True, is_superuser=True)
        if not staff.groups.exists():
            staff.groups.set(Group.objects.filter(name__in=ROLES))
        self._totp(staff)
        self._created = self._bulk_customers(customers) if customers else 0
        demo.run_all(customer=customer, staff=staff, stdout=self.stdout, options=options)
        return customer, staff

    def _report(self) -> None:
        created = self._created
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(f"  customer: {DEMO_CUSTOMER[0]} / {DEMO_CUSTOMER[2]}  ({DEMO_CUSTOMER[1]})")
        self.stdout.write(f"  staff:    {DEMO_STAFF[0]} / {DEMO_STAFF[2]}  ({DEMO_STAFF[1]}), admin at /admin/")
        self.stdout.write(f"  staff TOTP secret: {DEMO_STAFF_TOTP_SECRET}  (add it to an authenticator app)")
        self.stdout.write(
            f"  staff TOTP code: a fresh one any time with `DJANGO_DEBUG=on python manage.py totp_code {DEMO_STAFF[0]}`"
        )
        if created:
            self.stdout.write(f"  {created} bulk customers created (password: {DEMO_CUSTOMER[2]})")

    def _user(self, username: str, email: str, password: str, **fields) -> User:
        """The demo account ``username``: created once with ``fields``, afterwards left as it is."""
        user, created = User.objects.get_or_create(
            username=username, defaults={"email": email, "is_demo": True, "language": "nl", **fields}
        )
        if not user.is_demo:
            raise CommandError(
                f"An account named {username!r} exists that seed_demo did not make: it leaves it alone. "
                "Use another database for the demo."
            )
        if created or not user.check_password(password):
            user.set_password(password)
            user.save(update_fields=["password"])
        if not EmailAddress.objects.filter(user=user, email=email).exists():
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
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
                        is_demo=True,
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
