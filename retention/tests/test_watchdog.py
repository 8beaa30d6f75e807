"""The sweep's watchdog: ops and the privacy officer are mailed once per problem, a fresh install is left alone,
and the admin's index shows a banner while the sweep is stale or failing (D1, C36)."""

import datetime

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from netrex import schedule
from portal.roles import PRIVACY_OFFICER
from retention import selectors, watchdog
from retention.models import RetentionRun
from retention.tasks import sweep_watchdog

pytestmark = [pytest.mark.clause("C36", "D1"), pytest.mark.django_db]

OPS = ("Netrex ops", "ops@netrex.example")


@pytest.fixture
def officer(db):
    from allauth.mfa.models import Authenticator

    user = UserFactory(username="privacy-officer", email="privacy-officer@netrex.example", is_staff=True)
    user.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def ops(settings):
    settings.ADMINS = [OPS]
    return OPS[1]


def _run(status: str, *, hours_ago: float = 1, full: bool = True) -> RetentionRun:
    finished = timezone.now() - datetime.timedelta(hours=hours_ago)
    return RetentionRun.objects.create(
        started_at=finished - datetime.timedelta(minutes=5), finished_at=finished, status=status, full=full
    )


def test_a_failed_sweep_mails_ops_and_the_privacy_officer_once(ops, officer):
    _run(RetentionRun.Status.SUCCESS, hours_ago=24)
    failed = _run(RetentionRun.Status.FAILED, hours_ago=0.5)
    RetentionRun.objects.filter(pk=failed.pk).update(error="OperationalError")

    assert sweep_watchdog.delay().get() == "alerted"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [ops, officer.email]
    assert message.subject == "[Netrex] De bewaartermijnronde is mislukt"  # staff are written to in Dutch
    assert f"ronde {failed.pk}" in message.body and "OperationalError" in message.body
    assert reverse("admin:retention_retentionrun_changelist") in message.body

    # Every hour after: the same problem, no second mail, not even after the next night's run fails again.
    assert watchdog.sweep_check() == "alerted before"
    _run(RetentionRun.Status.ERRORS, hours_ago=0.1)
    assert watchdog.sweep_check() == "alerted before"
    assert len(mail.outbox) == 1


def test_a_success_ends_the_problem_and_a_later_failure_is_a_new_one(ops, officer):
    _run(RetentionRun.Status.FAILED, hours_ago=3)
    assert watchdog.sweep_check() == "alerted"
    _run(RetentionRun.Status.SUCCESS, hours_ago=2)
    assert watchdog.sweep_check() == "ok"
    _run(RetentionRun.Status.FAILED, hours_ago=1)
    assert watchdog.sweep_check() == "alerted"
    assert len(mail.outbox) == 2


def test_a_failing_hourly_statistics_sweep_alerts_too(ops, officer):
    _run(RetentionRun.Status.SUCCESS, hours_ago=5)
    _run(RetentionRun.Status.FAILED, hours_ago=1, full=False)
    assert selectors.sweep_health().state == selectors.SweepState.FAILED
    assert watchdog.sweep_check() == "alerted"


def test_a_stale_sweep_on_a_fresh_install_does_not_alarm_until_the_install_is_older_than_the_period(ops, officer):
    # The test database was migrated moments ago: a fresh installation whose first nightly sweep has not come yet.
    assert not RetentionRun.objects.exists()
    assert selectors.sweep_health().state == selectors.SweepState.NEVER_RUN
    assert watchdog.sweep_check() == "never-run"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=25)):
        assert watchdog.sweep_check() == "never-run"
    assert mail.outbox == []

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=27)):
        assert watchdog.sweep_check() == "alerted"
        assert watchdog.sweep_check() == "alerted before"
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Netrex] Er is al 26 uur geen bewaartermijnronde geslaagd"
    assert "nog nooit een volledige ronde geslaagd" in mail.outbox[0].body


def test_a_sweep_that_stopped_succeeding_is_mailed_once_when_it_turns_stale(ops, officer):
    _run(RetentionRun.Status.SUCCESS, hours_ago=20)
    assert watchdog.sweep_check() == "ok"
    with time_machine.travel(timezone.now() + datetime.timedelta(hours=7)):
        assert watchdog.sweep_check() == "alerted"
        assert watchdog.sweep_check() == "alerted before"
    assert [m.to for m in mail.outbox] == [[ops, officer.email]]


def test_without_privacy_officer_accounts_the_alert_goes_to_privacy_officer_email(ops, settings):
    settings.PRIVACY_OFFICER_EMAIL = "privacy@netrex.example"
    _run(RetentionRun.Status.FAILED)
    assert watchdog.sweep_check() == "alerted"
    assert mail.outbox[0].to == [ops, "privacy@netrex.example"]


def test_while_the_cache_does_not_answer_the_alert_waits_instead_of_going_out_every_hour(ops, officer, monkeypatch):
    _run(RetentionRun.Status.FAILED)
    monkeypatch.setattr(caches["default"], "ping", lambda: False)  # Redis gone: the cache itself fails open
    assert watchdog.sweep_check() == "postponed"
    assert watchdog.sweep_check() == "postponed"
    assert mail.outbox == []
    monkeypatch.undo()
    assert watchdog.sweep_check() == "alerted"


def test_a_mail_that_could_not_be_sent_is_tried_again_the_next_hour(ops, officer, monkeypatch):
    _run(RetentionRun.Status.FAILED)

    def refuse(*args, **kwargs):
        raise OSError("SMTP server unreachable")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refuse)
    with pytest.raises(OSError):
        watchdog.sweep_check()
    monkeypatch.undo()
    assert watchdog.sweep_check() == "alerted"
    assert len(mail.outbox) == 1


def test_the_watchdog_runs_hourly_from_the_one_schedule():
    entry = schedule.beat_schedule()["retention-sweep-watchdog"]
    assert entry["task"] == "retention.tasks.sweep_watchdog"
    assert entry["schedule"].hour == set(range(24)) and len(entry["schedule"].minute) == 1


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


def test_the_admin_index_shows_a_banner_while_the_sweep_failed_or_is_stale(officer_client):
    index = reverse("admin:index")
    response = officer_client.get(index)
    assert response.status_code == 200
    assert "retention-sweep-banner" not in response.content.decode()  # a fresh install: never run, no alarm

    _run(RetentionRun.Status.FAILED)
    body = officer_client.get(index).content.decode()
    assert 'id="retention-sweep-banner"' in body
    assert "De bewaartermijnronde is mislukt" in body
    assert reverse("admin:retention_retentionrun_changelist") in body

    _run(RetentionRun.Status.SUCCESS, hours_ago=0.5)
    assert "retention-sweep-banner" not in officer_client.get(index).content.decode()

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=27)):
        body = officer_client.get(index).content.decode()
    assert 'id="retention-sweep-banner"' in body
    assert "Er is de afgelopen 26 uur geen volledige bewaartermijnronde geslaagd" in body
