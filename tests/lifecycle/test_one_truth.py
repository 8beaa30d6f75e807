"""One truth per period (issue 14 item 7): every date a customer reads is the date the sweep deletes.

A customer gets a row under every declaration that has a clock, all clocks started at the same
moment.  "My data" (the page and the items behind it) and the closure page show an end date per
kind of data; the real sweep, run the day before and the day after each date shown, keeps the
rows and then erases them.  The periods on the privacy page are the register's (published) rules.
"""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import dateformat, formats, timezone, translation

from accounts import closure
from accounts.tests.factories import UserFactory
from privacy import declarations as registry
from privacy import register
from privacy.declarations import Erase
from retention import engine
from retention.demo import declaration_row_build
from rights import selectors

STARTED = datetime.datetime(2020, 2, 3, 12, 0, tzinfo=datetime.UTC)
DAY = datetime.timedelta(days=1)


def _shown(date: datetime.datetime) -> set[str]:
    """The ways a page may write ``date`` in Dutch (the locale's date format, or the long one)."""
    local = timezone.localtime(date)
    with translation.override("nl"):
        return {formats.date_format(local, "DATE_FORMAT"), dateformat.format(local, "j F Y")}


def _customer_with_a_row_under_every_clock():
    user = UserFactory()
    rows = {}
    for declaration in registry.all_declarations():
        rule = declaration.retention
        if rule is None or not rule.published or declaration.owner is None or declaration.extra_filter:
            continue
        try:
            row = declaration_row_build(declaration, user=user, clock=STARTED)
        except LookupError:
            continue
        rows[declaration.key] = (declaration, row, rule.expires(STARTED))
    return user, rows


@pytest.mark.django_db
@pytest.mark.clause("C05", "C08", "C15", "C17", "C38", "D2")
def test_every_end_date_on_my_data_and_the_closure_page_is_the_sweeps(client):
    user, rows = _customer_with_a_row_under_every_clock()
    assert len(rows) >= 12, sorted(rows)

    # "my data": each item's end date is the rule's period after the clock, for every kind of data
    items = {item.declaration.key: item for purpose in selectors.my_data(user=user) for item in purpose.items}
    client.force_login(user)
    page = html.unescape(client.get(reverse("rights:my_data")).content.decode())
    checked = 0
    for key, (_declaration, _row, expires) in rows.items():
        item = items.get(key)
        if item is None or item.first_expiry is None:
            continue
        assert item.first_expiry == item.last_expiry == expires, key
        assert _shown(expires) & {text for text in _shown(expires) if text in page}, (key, _shown(expires))
        checked += 1
    assert checked >= 8

    # the closure page: each kept item's last date is the same date
    plan = closure.closure_plan(user=user)
    for item in plan.kept:
        if item.until is not None:
            assert item.until in {expires for _d, _r, expires in rows.values()}, item.label

    # the sweep agrees: the day before a date shown the row is there, the day after it is gone
    for key, (declaration, row, expires) in sorted(rows.items(), key=lambda entry: entry[1][2]):
        model = declaration.model._default_manager
        if not model.filter(pk=row.pk).exists():
            continue  # erased with an earlier row it belongs to (an order's lines go with the order)
        engine.sweep(now=expires - DAY, rules=[declaration.key])
        assert model.filter(pk=row.pk).exists(), f"{key} erased before the date shown"
        if declaration.erase == Erase.ANONYMISE:
            assert not model.filter(engine.blank_condition(declaration), pk=row.pk).exists(), f"{key} blanked early"
        engine.sweep(now=expires + DAY, rules=[declaration.key])
        if declaration.erase == Erase.ANONYMISE:
            assert model.filter(engine.blank_condition(declaration), pk=row.pk).exists(), f"{key} not blanked"
        else:
            assert not model.filter(pk=row.pk).exists(), f"{key} still there after the date shown"


@pytest.mark.django_db
@pytest.mark.clause("C04", "C37")
def test_the_privacy_page_shows_each_published_rules_period_and_no_other(client):
    page = html.unescape(client.get(reverse("consent:statement")).content.decode())
    for rule in register.RULES.values():
        text = rule.period_text()
        if rule.published:
            assert text in page, rule.key
    assert "simulator" not in page.lower()


@pytest.mark.django_db
@pytest.mark.clause("C08", "C37")
def test_p2_is_kept_until_the_end_of_the_service_as_the_statement_says():
    purpose = register.purpose("P2")
    assert "einde van de dienstverlening" in purpose.statement_retention_nl
    ended = register.rule("service_ended")
    assert ended.expires(STARTED) == STARTED  # no grace period after the service ends
    assert not ended.setting


@pytest.mark.django_db
@pytest.mark.clause("C39c")
def test_the_export_link_expires_when_the_sweep_deletes_the_file():
    from rights.models import DataExport

    user = UserFactory()
    export = DataExport.objects.create(user=user)
    declaration = next(d for d in registry.for_model(DataExport) if d.rule == "export_expired")
    assert register.rule("export_expired").event == register.Event.EXPORT_MADE
    assert not declaration.due(export.expires_at - datetime.timedelta(seconds=1)).filter(pk=export.pk).exists()
    assert declaration.due(export.expires_at).filter(pk=export.pk).exists()
    assert export.is_expired(export.expires_at) and not export.is_expired(export.expires_at - DAY)
