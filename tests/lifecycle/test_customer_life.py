"""A customer's whole life, as a Hypothesis state machine (issue 14 item 8).

Random sequences of what a customer, support, the privacy officer and the clock do, through the real
services, the Mollie simulator over HTTP and the provisioning adapter: orders paid, a subscription
taken out, renewed and cancelled, a hosting package with a mail forwarder, an add-on bought for a
package (and perhaps refunded in full), contact questions answered (and replied to, and answered
again), advertising choices made by the customer or taken down by support from a call, a message on
social media or a letter, an export, privacy requests by account and by address, legal holds placed
and released, time jumps of a day to eight years each followed by the real retention sweep, and at
the end the closure of the account (by the customer, or by an erasure request sent for their address).

After every step the invariants hold:

- a held record and everything that belongs to it is never erased;
- a contact thread the customer replied to is never erased while it waits for our answer;
- each advertising channel shows the latest consent proof for it, and its latest history row (while
  kept) names the same way the choice reached us (a letter is not recorded as a phone call);
- an add-on runs only while its package runs, and never after its order was refunded in full;
- every date "my data" shows is the date the sweep erases: after a sweep at ``now`` no item of the
  customer shows an end date before ``now`` (unless a hold keeps it) — nothing due survives, and
  what survives is not due;
- after closure no row outside the fiscal snapshots holds the customer's name, e-mail address,
  phone number, username or IP address, in any table (the admin log included), their files are
  gone, nothing of theirs is active at Mollie (the simulator) and every service of theirs was ended
  at the control panel.

Bounded and deterministic: ``derandomize``, few examples and steps, so ``make test`` is green every
time and never by luck.
"""

import datetime
import itertools

import pytest
import requests
import time_machine
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from accounts import closure
from accounts.activity import Action as AccountAction
from accounts.models import User
from accounts.tests.factories import UserFactory
from consent import services as consent_services
from consent import sync as consent_sync
from contact import services as contact_services
from contact.models import ContactRequest
from hosting import services as hosting_services
from hosting.models import Service, ServiceAddon
from hosting.provisioning import RecordingAdapter
from mollie_sim.models import SimSubscription
from newsletter import services as newsletter_services
from orders.demo import seed as seed_catalogue
from orders.models import Cart, CartLine, Order, OrderLine, Product
from orders.services import Item, order_place, orders_expire_unpaid
from orders.tests.helpers import payment_for, payment_move
from payments.models import Payment
from portal.activity import activity_record
from portal.roles import PRIVACY_OFFICER
from privacy import declarations as registry
from privacy.declarations import Erase
from privacy.erasure import Holds
from privacy.register import rule as register_rule
from retention import engine
from retention import services as retention_services
from retention.tests.search import personal_traces
from rights import selectors as rights_selectors
from rights import services as rights_services
from rights.models import RightsRequest
from subscriptions import services as subscription_services
from subscriptions.demo import seed_plans
from subscriptions.models import Subscription

pytestmark = pytest.mark.django_db(transaction=True)

START = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
SWEEP_INTERVAL = datetime.timedelta(days=1)
APPLIED: list[tuple[str, str]] = []  # what the control panel was asked to do: (change kind, service source)
_numbers = itertools.count(1)
_context: dict = {}
# How the consent proof names the way an advertising choice reached us: the consent app's own mapping, and the
# privacy page's switch, which the newsletter app records as "privacy_page" itself.
PROOF_METHOD = {**consent_sync.METHODS, "consent": "privacy_page"}


class SpyAdapter(RecordingAdapter):
    """The control panel: it records each change, so the test sees it after the portal's rows are gone
    (and, as the recording adapter, says a domain the portal already holds is taken)."""

    def apply(self, change):
        APPLIED.append((change.kind, change.service.source))
        return {"kind": change.kind}

    def backups(self, service):
        return []


class _Out:
    def write(self, *args, **kwargs) -> None:
        pass


class CustomerLife(RuleBasedStateMachine):
    @initialize()
    def sign_up(self):
        number = next(_numbers)
        self.now = START
        self.traveller = time_machine.travel(self.now, tick=False)
        self.traveller.start()
        self.email = f"levensloop{number}@example.nl"
        self.username = f"levensloop{number}"
        self.last_name = f"Levenszoom{number}x"
        self.phone = f"+316{55500000 + number}"
        self.ip = f"198.51.100.{number % 250 + 1}"
        self.user = UserFactory(username=self.username, email=self.email, first_name="Lieke", last_name=self.last_name)
        User.objects.filter(pk=self.user.pk).update(
            phone=self.phone, street="Levensweg 1", postal_code="3441 EM", town="Woerden", country="NL"
        )
        self.user.refresh_from_db()
        EmailAddress.objects.update_or_create(
            user=self.user, email=self.email, defaults={"verified": True, "primary": True}
        )
        activity_record(user=self.user, action=AccountAction.LOGGED_IN, ip_address=self.ip)
        self.client = Client()
        self.client.force_login(self.user)
        self.closed = False
        self.holds: list = []  # active LegalHold rows
        self.held_orders: set[int] = set()
        self.orders: list[int] = []
        self.subscription_ids: list[str] = []  # Mollie subscription ids of the customer's subscriptions
        self.service_sources: list[str] = []
        self.files: list[str] = []
        self.cart_quantity = 0  # YubiKeys in the customer's cart, as the customer put them there
        self.cart_changed = None
        self.addons: set[int] = set()  # add-ons bought for a package
        self.refunded_addons: set[int] = set()  # of which finance refunded the order in full
        self.awaiting: set[int] = set()  # contact threads the customer replied to, waiting for our answer

    def teardown(self):
        self.traveller.stop()

    # --- what the customer and the staff do -------------------------------------------------------

    @precondition(lambda self: not self.closed)
    @rule(paid=st.booleans())
    def order(self, paid):
        product = Product.objects.get(slug="domain-nl")
        order = order_place(user=self.user, items=[Item(product, domain=f"{self.username}-{len(self.orders)}.nl")])
        self.orders.append(order.pk)
        payment = payment_for(order)
        payment_move(payment, Payment.Status.PAID if paid else Payment.Status.FAILED)

    @precondition(lambda self: not self.closed)
    @rule(quantity=st.integers(min_value=1, max_value=60), as_visitor=st.booleans())
    def fill_the_cart(self, quantity, as_visitor):
        """Goods into the cart, as the customer or as a visitor who then logs in (the carts join, at most 99)."""
        product = Product.objects.get(slug="yubikey-5-nfc")
        client = Client() if as_visitor else self.client
        with translation.override("nl"):
            url = reverse("orders:cart_add")
        response = client.post(url, {"product": product.pk, "quantity": quantity})
        assert response.status_code == 302, response.content[:500]
        if as_visitor:
            client.force_login(self.user)  # user_logged_in: the visitor's cart joins the customer's
        self.cart_quantity = min(99, self.cart_quantity + quantity)
        self.cart_changed = self.now

    @precondition(lambda self: not self.closed and not self._running_subscription())
    @rule()
    def subscribe(self):
        self.client.force_login(self.user)  # a time jump may have ended the session
        response = self.client.post(
            "/abonnementen/nieuw/webcare-monthly/",
            {"target": "new", "domain": f"leven-{self.user.pk}-{Subscription.objects.count()}.nl"},
        )
        assert response.status_code == 302, response.status_code
        session = requests.Session()
        checkout = response["Location"]
        assert session.get(checkout, timeout=10).status_code == 200
        session.post(
            checkout,
            data={"status": "paid", "csrfmiddlewaretoken": session.cookies["csrftoken"]},
            headers={"Referer": checkout},
            allow_redirects=False,
            timeout=60,
        )
        subscription = Subscription.objects.filter(user=self.user).order_by("-pk").first()
        assert subscription is not None and subscription.status == Subscription.Status.ACTIVE
        self.subscription_ids.append(subscription.mollie_subscription_id)

    @precondition(lambda self: not self.closed and self._running_subscription() is not None)
    @rule()
    def renew(self):
        from mollie_sim import services as sim_services

        subscription = self._running_subscription()
        remote = SimSubscription.objects.get(sim_id=subscription.mollie_subscription_id)
        sim_services.subscription_charge(subscription=remote, status="paid")

    @precondition(lambda self: not self.closed and self._running_subscription() is not None)
    @rule()
    def cancel_subscription(self):
        subscription = self._running_subscription()
        subscription_services.subscription_cancel(subscription=subscription, user=self.user)
        subscription.refresh_from_db()
        assert subscription.cancelled_at is not None  # its seven-year clock has started

    @precondition(lambda self: not self.closed)
    @rule()
    def hosting_with_forwarder(self):
        source = f"life:{self.username}:{len(self.service_sources)}"
        domain = f"{self.username}{len(self.service_sources)}.nl"
        service, _created = hosting_services.service_create(
            user=self.user, kind=Service.Kind.HOSTING, domain=domain, source=source
        )
        hosting_services.forwarder_add(service=service, local_part="info", domain=domain, destination=self.email)
        self.service_sources.append(source)

    @precondition(lambda self: not self.closed and self._live_package() is not None)
    @rule(refunded=st.booleans())
    def addon_for_a_package(self, refunded):
        """An add-on bought for one of the customer's packages and paid at Mollie; finance may refund it in full."""
        from mollie_sim import services as sim_services
        from mollie_sim.models import SimPayment
        from orders.services import order_pay
        from payments import services as payment_services

        package = self._live_package()
        product = Product.objects.get(slug="addon-backup")
        order = order_place(
            user=self.user, items=[Item(product, target_ref=f"service:{package.pk}")], kind=Order.Kind.IN_APP
        )
        self.orders.append(order.pk)
        payment = order_pay(order=order)
        sim_services.payment_settle(payment=SimPayment.objects.get(sim_id=payment.mollie_id), status="paid")
        payment.refresh_from_db()
        lines = [f"order_line:{pk}" for pk in order.lines.values_list("pk", flat=True)]
        addon = ServiceAddon.objects.get(source__in=lines)
        assert addon.service_id == package.pk and addon.ended_at is None
        self.addons.add(addon.pk)
        if refunded:
            payment_services.refund_create(payment=payment, amount=None, staff_user=_context["staff"])
            self.refunded_addons.add(addon.pk)

    @precondition(lambda self: not self.closed)
    @rule(satisfied=st.booleans(), replies=st.booleans())
    def contact(self, satisfied, replies):
        question = contact_services.contact_submit(
            data={
                "name": f"Lieke {self.last_name}",
                "email": self.email,
                "phone": self.phone,
                "subject": f"Vraag van {self.last_name}",
                "message": f"Bel me op {self.phone}",
            },
            user=self.user,
        )
        contact_services.contact_answer(contact_request=question, answer="Zo doe je dat.", staff=_context["staff"])
        if satisfied:
            contact_services.contact_feedback(contact_request_id=question.pk, satisfied=True)
            assert not ContactRequest.objects.filter(pk=question.pk).exists()  # "until satisfied": gone now
        elif replies:  # the customer writes back in the thread: it waits for us again
            contact_services.contact_reply(contact_request=question, user=self.user, body=f"Nee, bel {self.phone}")
            self.awaiting.add(question.pk)

    @precondition(lambda self: not self.closed and bool(self.awaiting))
    @rule()
    def support_answers_the_replies(self):
        for question in ContactRequest.objects.filter(pk__in=self.awaiting).order_by("pk"):
            contact_services.contact_answer(contact_request=question, answer="Zo dan.", staff=_context["staff"])
        self.awaiting.clear()

    @precondition(lambda self: not self.closed)
    @rule(
        channel=st.sampled_from(["email", "phone", "social"]),
        allowed=st.booleans(),
        method=st.sampled_from(["portal", "phone", "social", "staff"]),
    )
    def an_advertising_choice(self, channel, allowed, method):
        by_staff = method != "portal"  # on the phone, on social media, by letter: support records it
        newsletter_services.advertising_choice_set(
            user=self.user,
            channel=channel,
            allowed=allowed,
            method=method,
            source=f"Brief van L. {self.last_name}" if by_staff else "",
            actor=_context["staff"] if by_staff else None,
        )

    @precondition(lambda self: not self.closed)
    @rule(purpose=st.sampled_from(["P3", "P10"]), given=st.booleans())
    def consent_changes(self, purpose, given):
        from consent.models import Method
        from consent.selectors import consent_states

        consent_services.consent_set(user=self.user, purpose_id=purpose, given=given, method=Method.PRIVACY_PAGE)
        # what "Mijn toestemmingen" shows is the latest record (no record is "not given")
        state = next(state for state in consent_states(user=self.user) if state.purpose.id == purpose)
        assert state.given is given and state.record is not None

    @precondition(lambda self: not self.closed)
    @rule(confirm=st.booleans())
    def newsletter_sign_up_by_address(self, confirm):
        pending = newsletter_services.subscription_request(email=self.email, language="nl")
        if confirm:
            newsletter_services.subscription_confirm(token=pending.token)

    @precondition(lambda self: not self.closed)
    @rule()
    def export(self):
        export = rights_services.export_request(user=self.user)
        rights_services.export_build(export_id=str(export.pk))
        export.refresh_from_db()
        if export.file:
            self.files.append(export.file.name)

    @precondition(lambda self: not self.closed)
    @rule()
    def access_request_by_address(self):
        rights_services.request_file(kind="access", email=self.email.upper(), language="nl", confirmation="x" * 32)

    @precondition(lambda self: not self.closed and bool(self.orders))
    @rule(which=st.integers(min_value=0, max_value=20))
    def hold_an_order(self, which):
        order = Order.objects.filter(pk=self.orders[which % len(self.orders)]).first()
        if order is None:
            return
        hold = retention_services.legal_hold_place(actor=_context["staff"], reason="Onderzoek", record=order)
        self.holds.append(hold)
        self.held_orders.add(order.pk)

    @precondition(lambda self: bool(self.holds))
    @rule()
    def release_a_hold(self):
        hold = self.holds.pop(0)
        retention_services.legal_hold_release(hold=hold, actor=_context["staff"])
        self.held_orders = {int(h.object_id) for h in self.holds if h.object_id}

    @rule(days=st.sampled_from([1, 31, 95, 400, 2600, 2930]))
    def time_passes_and_the_sweep_runs(self, days):
        self.now += datetime.timedelta(days=days)
        self.traveller.stop()
        self.traveller = time_machine.travel(self.now, tick=False)
        self.traveller.start()
        # the nightly jobs of beat, in their order: unpaid orders expire, paid-up services end, the sweep
        orders_expire_unpaid(now=self.now)
        hosting_services.services_end_due()
        engine.sweep(now=self.now)
        if self.closed:
            return
        # what "my data" shows is what the sweep does: nothing shown as due before now survives it
        holds = Holds()
        for purpose in rights_selectors.my_data(user=self.user):
            for item in purpose.items:
                if item.first_expiry is None or item.first_expiry > self.now:
                    continue
                held = holds.condition(item.declaration)
                rows = item.declaration.for_user(self.user)
                rule_, clock = registry.lifetime(item.declaration)
                due = rows.filter(**{f"{clock}__lte": rule_.cutoff(self.now)})
                if held is not None:
                    due = due.exclude(held)
                assert not due.exists(), f"{item.declaration.key} shows {item.first_expiry} yet survived {self.now}"

    @precondition(lambda self: not self.closed)
    @rule(by_request=st.booleans())
    def close_account(self, by_request):
        if closure.account_is_held(user=self.user):
            with pytest.raises(closure.ClosureBlocked):
                closure.account_close(user=self.user)
            assert User.objects.filter(pk=self.user.pk).exists()
            return
        self.kept = self._fiscal_rows()
        if by_request:
            # an erasure request sent without logging in, for the account holder's verified address
            token = rights_services.request_confirmation_token(kind="erasure", email=self.email, language="nl")
            confirm = reverse("rights:request_confirm", kwargs={"token": token})
            response = Client().post(confirm, {"confirm": "1"})
            assert response.status_code in (200, 302)
            request = RightsRequest.objects.filter(kind="erasure", email__iexact=self.email).latest("pk")
            assert request.user_id == self.user.pk  # acts on the person, not on an address
            self.kept = self._fiscal_rows()  # the request itself is kept as evidence, detached
            rights_services.request_complete(rights_request=request, actor=_context["officer"])
        else:
            closure.account_close(user=self.user)
        assert not User.objects.filter(pk=self.user.pk).exists()
        self.closed = True

    # --- invariants -------------------------------------------------------------------------------

    @invariant()
    def the_cart_holds_what_the_customer_put_in_until_its_period_ends(self):
        if not hasattr(self, "cart_quantity"):
            return
        lines = CartLine.objects.filter(cart__user=self.user)
        if self.closed:
            assert not Cart.objects.filter(user_id=self.user.pk).exists(), "a closed account's cart is left"
            return
        if self.cart_changed is not None and self.cart_changed <= register_rule("cart_abandoned").cutoff(self.now):
            self.cart_quantity, self.cart_changed = 0, None  # the sweep took the abandoned cart
        assert sum(line.quantity for line in lines) == self.cart_quantity

    @invariant()
    def an_add_on_runs_only_on_a_running_package_and_never_after_its_refund(self):
        if not getattr(self, "addons", None):
            return
        if self.closed:
            assert not ServiceAddon.objects.filter(pk__in=self.addons).exists(), "a closed account's add-on is left"
            return
        for addon in ServiceAddon.objects.live().filter(pk__in=self.addons).select_related("service"):
            assert addon.service.state != Service.State.ENDED, f"add-on {addon.pk} runs on an ended package"
            assert addon.pk not in self.refunded_addons, f"add-on {addon.pk} runs after its order was refunded"

    @invariant()
    def a_thread_waiting_for_our_answer_is_never_erased(self):
        if getattr(self, "closed", True):
            return
        assert ContactRequest.objects.filter(pk__in=self.awaiting).count() == len(self.awaiting)

    @invariant()
    def the_advertising_choice_shown_is_the_one_last_recorded_and_says_how_it_came(self):
        """Each channel's state on the preferences page is the latest consent proof for it, and the latest
        change in its history (while the history keeps it) names the same way it reached us."""
        if getattr(self, "closed", True):
            return
        from consent.models import ConsentRecord
        from newsletter.models import AdvertisingPreferenceChange
        from newsletter.selectors import preferences_for

        for channel, allowed in preferences_for(user=self.user)["advertising"].items():
            proof = ConsentRecord.objects.filter(user=self.user, purpose="P10", scope=channel).order_by("-id").first()
            assert allowed == (proof.given if proof is not None else False), channel
            change = AdvertisingPreferenceChange.objects.filter(user=self.user, channel=channel).order_by("-id").first()
            if change is not None:
                assert change.allowed == allowed and proof is not None
                assert proof.method == PROOF_METHOD[change.method], (change.method, proof.method)

    @invariant()
    def held_records_and_what_belongs_to_them_are_never_erased(self):
        if not getattr(self, "held_orders", None):
            return
        for pk in self.held_orders:
            assert Order.objects.filter(pk=pk).exists(), f"held order {pk} erased"
            assert OrderLine.objects.filter(order_id=pk).exists(), f"lines of held order {pk} erased"
            assert Payment.objects.filter(kind="order", object_id=pk).exists(), f"payment of held order {pk} erased"

    @invariant()
    def after_closure_nothing_of_the_customer_is_left_running_or_readable(self):
        if not getattr(self, "closed", False):
            return
        needles = [self.email, self.username, self.last_name, self.phone, self.ip]
        leftover = [hit for hit in personal_traces(needles) if hit[1] not in self.kept.get(hit[0], set())]
        assert leftover == [], leftover
        from django.core.files.storage import default_storage

        assert not [name for name in self.files if default_storage.exists(name)]
        active = SimSubscription.objects.filter(sim_id__in=self.subscription_ids, status="active")
        assert not active.exists(), "a closed account is still charged at Mollie"
        ended = {source for kind, source in APPLIED if kind == "service_end"}
        assert set(self.service_sources) <= ended, "a service of a closed account still runs at the control panel"
        assert not Service.objects.filter(source__in=self.service_sources).exists()

    @invariant()
    def after_closure_everything_kept_has_a_running_clock(self):
        if not getattr(self, "closed", False):
            return
        for label, pks in self.kept.items():
            declarations = [d for d in registry.all_declarations() if d.model._meta.label == label and d.retention]
            if not pks or not declarations:
                continue
            running = set()
            for declaration in declarations:
                rows = declaration.base_queryset().filter(pk__in=pks, **{f"{declaration.clock}__isnull": False})
                running.update(rows.values_list("pk", flat=True))
            model = declarations[0].model._default_manager
            waiting = model.filter(pk__in=pks - running)
            # an order not paid yet waits for its payment window to end (then it is abandoned, with a clock)
            unpaid = Order.objects.filter(status__in=[Order.Status.CREATED, Order.Status.PENDING]).values("pk")
            if label == "orders.Order":
                waiting = waiting.exclude(pk__in=unpaid)
            elif label == "orders.OrderLine":
                waiting = waiting.exclude(order__in=unpaid)
            elif label == "payments.Payment":
                waiting = waiting.exclude(kind="order", object_id__in=unpaid)
            assert not waiting.exists(), f"{label} {sorted(waiting.values_list('pk', flat=True))}: kept without a clock"

    # --- helpers ----------------------------------------------------------------------------------

    def _running_subscription(self):
        if getattr(self, "closed", True):
            return None
        return (
            Subscription.objects.filter(
                user=self.user, status__in=[Subscription.Status.ACTIVE, Subscription.Status.PAST_DUE]
            )
            .order_by("pk")
            .first()
        )

    def _live_package(self):
        if getattr(self, "closed", True):
            return None
        return Service.objects.filter(user=self.user, kind=Service.Kind.HOSTING, state=Service.State.ACTIVE).first()

    def _fiscal_rows(self) -> dict[str, set]:
        """The rows closure keeps (detached fiscal snapshots and what belongs to them), by model label."""
        emails = registry.user_emails(self.user)
        kept: dict[str, set] = {}
        for declaration in registry.all_declarations():
            if declaration.on_closure in (Erase.DETACH, Erase.KEEP):
                pks = set(declaration.for_user(self.user, emails=emails).values_list("pk", flat=True))
                kept.setdefault(declaration.model._meta.label, set()).update(pks)
        return kept


@pytest.mark.clause("C05", "C08", "C15", "C17", "C20", "C24", "C38", "C39d", "D2")
def test_a_customers_whole_life_keeps_every_promise(mollie_live, settings):
    settings.PROVISIONING_ADAPTER = "tests.lifecycle.test_customer_life.SpyAdapter"
    APPLIED.clear()
    seed_catalogue(customer=None, staff=None, stdout=_Out(), options={})
    seed_plans()
    staff = UserFactory(username="levensloop-support", is_staff=True)
    officer = UserFactory(username="levensloop-officer", is_staff=True)
    officer.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    _context.update(staff=staff, officer=officer)
    run_state_machine_as_test(
        CustomerLife,
        settings=settings_for_ci(),
    )


def settings_for_ci():
    return hypothesis_settings(
        max_examples=6,
        stateful_step_count=14,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
