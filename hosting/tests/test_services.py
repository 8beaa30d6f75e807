"""The services of the services app: life cycle, every setting, the adapter, the log and the P2 clock."""

import datetime
import uuid

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from hosting import services
from hosting.activity import Action as ActivityAction
from hosting.models import Change, DnsRecord, Service, ServiceClock
from hosting.provisioning import FailingAdapter
from portal.models import Activity
from privacy.declarations import for_model


@pytest.fixture(autouse=True)
def _language():
    """The messages of these tests are matched in English."""
    with translation.override("en"):
        yield


def _entries(service):
    return list(Activity.objects.filter(user=service.user, detail__service=service.pk).order_by("created_at", "id"))


# --- life cycle ---


@pytest.mark.clause("C06")
def test_a_new_service_is_set_up_by_the_adapter_and_becomes_active(hosting):
    assert hosting.state == Service.State.ACTIVE
    assert hosting.activated_at is not None
    setup = hosting.changes.get(kind=Change.Kind.SERVICE_SETUP)
    assert setup.status == Change.Status.APPLIED
    assert setup.result["service"] == {"id": hosting.pk, "kind": "hosting", "domain": "example.nl"}
    assert setup.result["data"]["php_version"] == hosting.php_version


def test_creating_a_service_twice_from_the_same_source_gives_one_service(customer):
    first, created = services.service_create(user=customer, kind="hosting", domain="example.nl", source="order_line:7")
    again, created_again = services.service_create(
        user=customer, kind="hosting", domain="example.nl", source="order_line:7"
    )
    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert Service.objects.count() == 1


def test_an_invalid_domain_from_an_order_is_left_empty_for_support(customer):
    service, _ = services.service_create(user=customer, kind="hosting", domain="not a domain", source="x:1")
    assert service.domain == ""
    with pytest.raises(ValidationError, match="no domain"):
        services.dns_record_add(service=service, name="www", rtype="A", value="192.0.2.1", ttl=3600)


@pytest.mark.clause("C06", "C07")
def test_suspend_reactivate_and_end(hosting, on_commit):
    with on_commit():
        assert services.service_suspend(service=hosting, reason="Payment is past due.")
    hosting.refresh_from_db()
    assert hosting.state == Service.State.SUSPENDED and hosting.suspended_at
    assert not services.service_suspend(service=hosting, reason="again")
    with pytest.raises(ValidationError, match="suspended"):
        services.php_version_set(service=hosting, version="8.2")

    with on_commit():
        assert services.service_reactivate(service=hosting, reason="Payment received.")
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ACTIVE and hosting.suspended_at is None

    with on_commit():
        assert services.service_end(service=hosting, reason="Customer left")
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ENDED and hosting.ended_at
    assert not services.service_reactivate(service=hosting, reason="x")
    kinds = list(hosting.changes.order_by("created_at", "id").values_list("kind", "status"))
    assert kinds == [
        ("service_setup", "applied"),
        ("service_suspend", "applied"),
        ("service_reactivate", "applied"),
        ("service_end", "applied"),
    ]
    actions = [entry.action for entry in _entries(hosting)]
    assert actions == [
        ActivityAction.SERVICE_STARTED,
        ActivityAction.SERVICE_SUSPENDED,
        ActivityAction.SERVICE_REACTIVATED,
        ActivityAction.SERVICE_ENDED,
    ]


@pytest.mark.clause("C08")
def test_a_scheduled_end_ends_the_service_once_the_paid_period_passed(hosting):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        services.service_end_schedule(service=hosting, ends_on=datetime.date(2026, 3, 31), reason="Cancelled")
        assert services.services_end_due() == 0
    with time_machine.travel(datetime.datetime(2026, 3, 31, 12, tzinfo=datetime.UTC), tick=False):
        assert services.services_end_due() == 1
        assert services.services_end_due() == 0
    hosting.refresh_from_db()
    assert hosting.state == Service.State.ENDED
    assert hosting.state_reason == services.REASON_PERIOD_ENDED


# --- the adapter ---


def test_the_failing_adapter_marks_the_change_failed_with_its_reason(customer, settings, make_service):
    settings.PROVISIONING_ADAPTER = "hosting.provisioning.FailingAdapter"
    service = make_service(customer)
    assert service.state == Service.State.SETTING_UP
    setup = service.changes.get()
    assert setup.status == Change.Status.FAILED
    assert setup.reason == FailingAdapter.reason
    assert setup.finished_at is not None


def test_applying_a_change_twice_does_nothing_the_second_time(hosting, settings):
    change = services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    assert services.change_apply(change_id=change.pk).status == Change.Status.APPLIED
    settings.PROVISIONING_ADAPTER = "hosting.provisioning.FailingAdapter"
    assert services.change_apply(change_id=change.pk).status == Change.Status.APPLIED
    assert services.change_apply(change_id=999_999) is None


def test_a_change_is_handed_to_the_task_only_after_commit(hosting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        change = services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    change.refresh_from_db()
    assert change.status == Change.Status.PENDING
    handed = [callback for callback in callbacks if "change_apply" in repr(callback)]
    assert len(handed) == 1  # once (the other callbacks renew cached pages)
    handed[0]()
    change.refresh_from_db()
    assert change.status == Change.Status.APPLIED


# --- every setting, valid and invalid ---


@pytest.mark.clause("C06", "C07")
def test_dns_records_are_stored_applied_and_logged(hosting, on_commit):
    with on_commit():
        change = services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=300)
    change.refresh_from_db()
    record = hosting.dns_records.get()
    assert (record.name, record.rtype, record.value, record.ttl) == ("www.example.nl", "A", "192.0.2.1", 300)
    assert record.change == change and change.status == Change.Status.APPLIED
    assert change.result["data"] == {"name": "www.example.nl", "type": "A", "value": "192.0.2.1", "ttl": 300}
    entry = _entries(hosting)[-1]
    assert entry.action == ActivityAction.DNS_ADDED
    assert entry.detail == {"service": hosting.pk, "summary": "DNS A www.example.nl → 192.0.2.1", "change": change.pk}

    with on_commit():
        removal = services.dns_record_remove(service=hosting, record=record)
    assert not hosting.dns_records.exists()
    removal.refresh_from_db()
    assert removal.kind == Change.Kind.DNS_REMOVE and removal.status == Change.Status.APPLIED
    assert _entries(hosting)[-1].action == ActivityAction.DNS_REMOVED


@pytest.mark.parametrize(
    ("name", "rtype", "value", "ttl", "field"),
    [
        ("www", "A", "not-an-ip", 3600, "value"),
        ("www.other.nl.", "A", "192.0.2.1", 3600, "name"),
        ("www", "A", "192.0.2.1", 10, "ttl"),
        ("www", "A", "192.0.2.1", 100_000, "ttl"),
        ("www", "NS", "ns1.example.nl", 3600, "rtype"),
        ("@", "CNAME", "web.netrex.nl", 3600, "name"),
    ],
)
def test_invalid_dns_records_are_refused_per_field(hosting, name, rtype, value, ttl, field):
    with pytest.raises(ValidationError) as error:
        services.dns_record_add(service=hosting, name=name, rtype=rtype, value=value, ttl=ttl)
    assert field in error.value.message_dict
    assert not DnsRecord.objects.exists() and not hosting.changes.exclude(kind="service_setup").exists()
    assert _entries(hosting)[-1].action == ActivityAction.SERVICE_STARTED


def test_no_cname_beside_other_records_and_no_duplicates(hosting):
    services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600)
    with pytest.raises(ValidationError, match="CNAME"):
        services.dns_record_add(service=hosting, name="www", rtype="CNAME", value="web.netrex.nl", ttl=3600)
    with pytest.raises(ValidationError, match="already exists"):
        services.dns_record_add(service=hosting, name="www.example.nl.", rtype="A", value="192.0.2.1", ttl=60)
    services.dns_record_add(service=hosting, name="shop", rtype="CNAME", value="shops.example.com", ttl=3600)
    with pytest.raises(ValidationError, match="CNAME"):
        services.dns_record_add(service=hosting, name="shop", rtype="TXT", value="hello", ttl=3600)
    with pytest.raises(ValidationError, match="CNAME"):
        services.dns_record_add(service=hosting, name="shop", rtype="CNAME", value="other.example.com", ttl=3600)
    assert hosting.dns_records.count() == 2


def test_aliases(hosting, make_service, other, prove):
    prove(hosting.user, "example.com")
    change = services.alias_add(service=hosting, name="Example.COM")
    assert hosting.aliases.get().name == "example.com"
    assert change.payload == {"name": "example.com"}
    for bad, message in (("example.nl", "already a name"), ("example.com", "already a name"), ("no way", "valid")):
        with pytest.raises(ValidationError, match=message):
            services.alias_add(service=hosting, name=bad)
    make_service(other, domain="taken.nl")
    prove(hosting.user, "taken.nl")
    with pytest.raises(ValidationError, match="in use"):
        services.alias_add(service=hosting, name="taken.nl")
    services.alias_remove(service=hosting, alias=hosting.aliases.get())
    assert not hosting.aliases.exists()
    assert [e.action for e in _entries(hosting)][-2:] == [ActivityAction.ALIAS_ADDED, ActivityAction.ALIAS_REMOVED]


def test_forwarders_only_at_the_customers_own_domains(hosting, make_service, other, prove):
    prove(hosting.user, "example.com")
    services.alias_add(service=hosting, name="example.com")
    services.forwarder_add(service=hosting, local_part="Info", domain="example.nl", destination="jan@Gmail.COM")
    services.forwarder_add(service=hosting, local_part="sales", domain="example.com", destination="jan@gmail.com")
    forwarder = hosting.forwarders.get(domain="example.nl")
    assert (forwarder.address, forwarder.destination) == ("info@example.nl", "jan@gmail.com")
    make_service(other, domain="theirs.nl")
    cases = [
        ({"local_part": "info", "domain": "theirs.nl", "destination": "a@b.nl"}, "domain"),
        ({"local_part": "in fo", "domain": "example.nl", "destination": "a@b.nl"}, "local_part"),
        ({"local_part": "x", "domain": "example.nl", "destination": "not-an-email"}, "destination"),
        ({"local_part": "x", "domain": "example.nl", "destination": "x@example.nl"}, "destination"),
        ({"local_part": "info", "domain": "example.nl", "destination": "jan@gmail.com"}, "destination"),
    ]
    for data, field in cases:
        with pytest.raises(ValidationError) as error:
            services.forwarder_add(service=hosting, **data)
        assert field in error.value.message_dict, data
    services.forwarder_remove(service=hosting, forwarder=forwarder)
    assert hosting.forwarders.count() == 1


def test_php_version_and_https(hosting, settings):
    settings.SERVICES_PHP_VERSIONS = ["8.2", "8.3"]
    assert hosting.php_version == "8.3"
    assert services.php_version_set(service=hosting, version="8.3") is None
    change = services.php_version_set(service=hosting, version="8.2")
    assert change.summary == "PHP 8.3 → 8.2"
    with pytest.raises(ValidationError) as error:
        services.php_version_set(service=hosting, version="5.6")
    assert "version" in error.value.message_dict
    assert services.https_set(service=hosting, enabled=True) is None
    change = services.https_set(service=hosting, enabled=False)
    hosting.refresh_from_db()
    assert hosting.php_version == "8.2" and hosting.https_enabled is False
    assert change.payload == {"https": False}


def test_hosting_settings_do_not_exist_for_a_domain_registration(customer, make_service):
    domain = make_service(customer, kind="domain", domain="mijnnaam.nl")
    with pytest.raises(ValidationError, match="does not exist"):
        services.php_version_set(service=domain, version="8.2")
    services.dns_record_add(service=domain, name="@", rtype="MX", value="10 mx.netrex.nl", ttl=3600)
    assert domain.dns_records.get().value == "10 mx.netrex.nl."


# --- backups paid with credits ---


def _grant(user, amount):
    from credits.services import credits_grant

    credits_grant(user=user, amount=amount, reason="test", idempotency_key=f"test-{user.pk}")


@pytest.mark.clause("C06")
def test_restoring_a_backup_spends_credits_once_per_request(hosting, backup, settings, on_commit):
    from credits.models import CreditBalance

    settings.SERVICES_RESTORE_CREDITS = 5
    _grant(hosting.user, 12)
    key = uuid.uuid4()
    with on_commit():
        change = services.backup_restore(service=hosting, backup=backup, request_key=key)
    again = services.backup_restore(service=hosting, backup=backup, request_key=key)
    assert again.pk == change.pk
    assert CreditBalance.objects.get(user=hosting.user).balance == 7
    change.refresh_from_db()
    assert change.status == Change.Status.APPLIED and change.payload["backup"] == backup.reference
    entry = _entries(hosting)[-1]
    assert entry.action == ActivityAction.BACKUP_RESTORE and entry.detail["credits"] == 5


def test_restoring_without_enough_credits_is_refused_and_changes_nothing(hosting, backup, settings):
    from credits.models import CreditBalance

    settings.SERVICES_RESTORE_CREDITS = 5
    _grant(hosting.user, 3)
    with pytest.raises(ValidationError, match="enough credits"):
        services.backup_restore(service=hosting, backup=backup, request_key=uuid.uuid4())
    assert CreditBalance.objects.get(user=hosting.user).balance == 3
    assert not hosting.changes.filter(kind=Change.Kind.BACKUP_RESTORE).exists()


def test_backups_are_recorded_from_the_adapter_and_pruned(hosting, settings):
    settings.SERVICES_BACKUPS_KEEP = 2
    for day in (1, 2, 3):
        with time_machine.travel(datetime.datetime(2026, 5, day, 9, tzinfo=datetime.UTC), tick=False):
            services.backups_record(service=hosting)
            services.backups_record(service=hosting)
    assert list(hosting.backups.values_list("reference", flat=True)) == ["example.nl-20260503", "example.nl-20260502"]


# --- staff acting on the customer's behalf ---


@pytest.mark.clause("C07")
def test_staff_actions_name_the_staff_member(hosting, rf):
    staff = UserFactory(is_staff=True)
    request = rf.post("/", REMOTE_ADDR="198.51.100.7")
    request.user = staff
    services.service_suspend(service=hosting, reason="Abuse report", request=request)
    services.service_reactivate(service=hosting, reason="Resolved", request=request)
    services.dns_record_add(service=hosting, name="www", rtype="A", value="192.0.2.1", ttl=3600, request=request)
    for entry in _entries(hosting)[1:]:
        assert entry.actor == staff
        assert entry.ip_address == "198.51.100.7"
        assert entry.user == hosting.user


# --- the end-of-service clock (C08) ---


def _clock(user):
    return ServiceClock.objects.filter(user=user).values_list("service_ended_at", flat=True).first()


@pytest.mark.clause("C08")
def test_the_clock_starts_when_the_last_service_ends_and_a_new_service_stops_it(customer, make_service):
    first = make_service(customer)
    second = make_service(customer, kind="domain", domain="tweede.nl")
    assert _clock(customer) is None
    services.service_end(service=first, reason="x")
    assert _clock(customer) is None  # another service still runs
    moment = datetime.datetime(2026, 6, 1, 10, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        services.service_end(service=second, reason="x")
    assert _clock(customer) == moment
    make_service(customer, domain="derde.nl")
    assert _clock(customer) is None


@pytest.mark.clause("C08")
def test_the_activity_log_and_services_go_when_the_last_service_ends_as_the_statement_says(
    customer, other, make_service
):
    """P2 is kept "until the end of the service to you": the clock has no grace period (issue 14)."""
    service = make_service(customer)
    make_service(other, domain="other.nl")
    ended = datetime.datetime(2026, 1, 10, 12, tzinfo=datetime.UTC)
    with time_machine.travel(ended, tick=False):
        services.service_end(service=service, reason="x")
    activity = next(d for d in for_model(Activity) if d.rule == "service_ended")
    service_declaration = next(d for d in for_model(Service) if d.rule == "service_ended")
    assert not activity.listed
    just_before = ended - datetime.timedelta(seconds=1)
    assert not activity.due(just_before).exists()
    due = activity.due(ended)
    assert due.exists() and set(due.values_list("user_id", flat=True)) == {customer.pk}
    assert list(service_declaration.due(ended)) == [service]


def test_declarations_cover_every_model_of_the_app():
    from django.apps import apps

    from privacy.declarations import declared_models

    models = set(apps.get_app_config("services").get_models())
    assert models <= declared_models()
    assert timezone.now()


def test_demo_seed_is_idempotent(customer):
    from hosting.demo import seed

    class Out:
        def write(self, *args) -> None:
            pass

    seed(customer=customer, staff=None, stdout=Out(), options={})
    seed(customer=customer, staff=None, stdout=Out(), options={})
    assert Service.objects.for_user(customer).count() == 2
    assert Service.objects.get(source="demo:hosting").dns_records.count() == 2
