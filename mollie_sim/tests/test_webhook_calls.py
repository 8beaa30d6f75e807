"""The simulator retries a webhook the way Mollie does, and production refuses to point at it."""

import os
import subprocess
import sys
from decimal import Decimal

import pytest
import requests
from django.core.management import CommandError, call_command

from mollie_sim import services, tasks
from mollie_sim.models import SimCustomer, SimMandate, SimPayment, SimSubscription, SimWebhookCall


class FlakyEndpoint:
    """A webhook endpoint that fails ``failures`` times (error or 500), then answers 200."""

    def __init__(self, failures: int):
        self.failures = failures
        self.posts: list[dict] = []

    def __call__(self, url, data=None, timeout=None):
        self.posts.append(data)
        response = requests.Response()
        if len(self.posts) <= self.failures:
            if len(self.posts) % 2:
                raise requests.ConnectionError("connection refused")
            response.status_code = 500
        else:
            response.status_code = 200
        return response


def _payment(**extra) -> SimPayment:
    return SimPayment.objects.create(
        sim_id="tr_flaky00001",
        amount=Decimal("5.00"),
        description="Test",
        webhook_url="https://shop.example/hook",
        redirect_url="https://shop.example/back",
        **extra,
    )


@pytest.mark.django_db
def test_a_failing_webhook_is_retried_with_backoff_until_it_answers(
    monkeypatch, settings, django_capture_on_commit_callbacks
):
    settings.MOLLIE_SIM_WEBHOOK_BACKOFF = 0
    endpoint = FlakyEndpoint(failures=3)
    monkeypatch.setattr(tasks.requests, "post", endpoint)
    payment = _payment()
    with django_capture_on_commit_callbacks(execute=True):
        services.payment_settle(payment=payment, status="paid")
    assert endpoint.posts == [{"id": "tr_flaky00001"}] * 4  # only the id, form-encoded, as Mollie
    calls = list(SimWebhookCall.objects.order_by("attempt").values_list("attempt", "status_code"))
    assert calls == [(1, None), (2, 500), (3, None), (4, 200)]


@pytest.mark.django_db
def test_the_simulator_gives_up_after_the_configured_number_of_tries(monkeypatch, settings):
    settings.MOLLIE_SIM_WEBHOOK_BACKOFF = 0
    settings.MOLLIE_SIM_WEBHOOK_TRIES = 3
    endpoint = FlakyEndpoint(failures=100)
    monkeypatch.setattr(tasks.requests, "post", endpoint)
    payment = _payment(status="paid")
    assert tasks.webhook_deliver.delay(payment.pk).get() is False
    assert len(endpoint.posts) == 3 and SimWebhookCall.objects.count() == 3


@pytest.mark.django_db
def test_charge_command_makes_a_recurring_payment_now(monkeypatch, settings):
    endpoint = FlakyEndpoint(failures=0)
    monkeypatch.setattr(tasks.requests, "post", endpoint)
    customer = SimCustomer.objects.create(sim_id="cst_test000001", name="Jan", email="jan@example.nl")
    mandate = SimMandate.objects.create(sim_id="mdt_test000001", customer=customer)
    import datetime

    subscription = SimSubscription.objects.create(
        sim_id="sub_test000001",
        customer=customer,
        mandate=mandate,
        amount=Decimal("24.20"),
        interval="1 month",
        description="Webcare",
        start_date=datetime.date(2026, 1, 31),
        next_payment_date=datetime.date(2026, 1, 31),
        webhook_url="https://shop.example/hook",
    )
    call_command("mollie_sim_charge", "sub_test000001", "--status", "failed")
    payment = SimPayment.objects.get()
    assert (payment.status, payment.sequence_type, payment.subscription, payment.mandate) == (
        "failed",
        "recurring",
        subscription,
        mandate,
    )
    subscription.refresh_from_db()
    assert subscription.next_payment_date == datetime.date(2026, 2, 28)
    with pytest.raises(CommandError):
        call_command("mollie_sim_charge", "sub_nope")


@pytest.mark.parametrize(
    "environment",
    [
        {
            "MOLLIE_API_ENDPOINT": "https://portal.example/mollie-sim",
            "MOLLIE_API_KEY": "live_x",
            "MOLLIE_SIMULATOR": "off",
        },
        {"MOLLIE_API_ENDPOINT": "https://api.mollie.com", "MOLLIE_API_KEY": "live_x", "MOLLIE_SIMULATOR": "on"},
        {"MOLLIE_API_ENDPOINT": "https://api.mollie.com", "MOLLIE_SIMULATOR": "off"},
    ],
)
def test_production_settings_refuse_the_simulator(environment):
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        "DJANGO_SETTINGS_MODULE": "netrex.settings",
        **environment,
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter on our own settings module
        [sys.executable, "-c", "import netrex.settings"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert result.returncode != 0 and "ImproperlyConfigured" in result.stderr


def test_production_settings_accept_the_real_mollie():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_DEBUG": "off",
        "DJANGO_SECRET_KEY": "x" * 50,
        "DJANGO_ALLOWED_HOSTS": "portal.example",
        "MOLLIE_API_KEY": "live_x",
        "NETREX_KVK_NUMBER": "12345678",
        "NETREX_VAT_ID": "NL123456789B01",
    }
    result = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-c",
            "import netrex.settings as s; print(s.MOLLIE_API_ENDPOINT, 'mollie_sim' in s.INSTALLED_APPS)",
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["https://api.mollie.com", "False"]
