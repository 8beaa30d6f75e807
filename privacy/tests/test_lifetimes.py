"""No personal data without a clock (issue 14 item 6).

Every declaration either has a retention rule (its own, or the unlisted one of the same model and
purpose that sweeps its rows) or names the event that erases its rows at once (``until``), and
that event is really handled: closure erases what is kept until the account is closed.
"""

import json

import pytest
from django.core.management import call_command

from privacy import declarations as registry
from privacy import register
from privacy.declarations import Erase

# Events on which a declaration's rows are erased at once, and where that happens.
HANDLED_AT_ONCE = {
    register.Event.ACCOUNT_CLOSED: "accounts/closure.py (on_closure DELETE or ANONYMISE)",
    register.Event.UNSUBSCRIBED: "newsletter/services.py (the unsubscribe deletes the subscription)",
    register.Event.OBJECTED: "newsletter/services.py (an objection ends what it objects to)",
}


@pytest.mark.clause("C38", "D2")
def test_every_declaration_has_a_clock_or_an_explicit_event_that_erases_it_at_once():
    missing = []
    for declaration in registry.all_declarations():
        rule, _clock = registry.lifetime(declaration)
        if rule is not None:
            continue
        if declaration.until is None:
            if not declaration.kept_because:
                missing.append(declaration.key)
            continue
        assert declaration.until in HANDLED_AT_ONCE, f"{declaration.key}: nothing erases it on {declaration.until}"
        if declaration.until == register.Event.ACCOUNT_CLOSED:
            assert declaration.on_closure in (Erase.DELETE, Erase.ANONYMISE), declaration.key
    assert missing == [], "declarations with neither a rule nor an explicit 'until' event"


@pytest.mark.django_db
@pytest.mark.clause("D2")
def test_the_dry_run_lists_a_rule_for_every_purpose_that_holds_personal_data(capsys):
    call_command("retention_sweep", "--dry-run", "--json")
    report = json.loads(capsys.readouterr().out)
    swept_purposes = {register.rule(entry["rule"]).purpose for entry in report["rules"]}
    declared_purposes = {declaration.purpose for declaration in registry.all_declarations()}
    assert declared_purposes <= swept_purposes
    assert {"admin_log_recorded", "service_ended", "export_expired"} <= {entry["rule"] for entry in report["rules"]}
