"""Every retention period a customer reads comes from the register, never from a template or a setting's default.

Templates and emails ask the register through ``{% retention_period %}`` (``privacy/templatetags``); a
setting that tunes a rule defaults to ``None`` (the register's own value) and is assigned once.
"""

import re
from pathlib import Path

import pytest
from dateutil.relativedelta import relativedelta
from django.conf import settings as django_settings
from django.core import mail
from django.template import Context, Template, engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from accounts.tests.factories import UserFactory
from contact.models import ContactRequest
from contact.services import contact_answer
from orders.models import Order
from privacy import register

BASE_DIR = Path(django_settings.BASE_DIR).resolve()

_NUMBER = (
    r"\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|thirty|ninety|a|an|half"
    r"|een|één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|veertien|dertig|negentig"
)
_UNIT = r"years?|jaar|jaren|months?|maand|maanden|weeks?|weken|days?|dag|dagen|hours?|uur|uren"
STATED_PERIOD = re.compile(rf"\b(?:{_NUMBER})\s+(?:{_UNIT})\b", re.IGNORECASE)

_CONFIRM_LINK = "the confirmation link's validity (rights.services.CONFIRM_MAX_AGE, C40): a technical expiry"
_ANSWER_DEADLINE = "the answer deadline of GDPR art. 12(3) (rights.models.DEADLINE): a legal deadline"
_SALESFEED = "the 2018 statement's own words on SalesFeed's session cookie (C31): a cookie lifetime, not a rule"
# Periods that templates may state because they are not retention periods of the register.
ALLOWED = {
    ("consent/templates/consent/_statement_body.html", "an hour"): _SALESFEED,
    ("consent/templates/consent/_statement_body.html", "half uur"): _SALESFEED,
    ("rights/templates/rights/email/request_confirm.txt", "one day"): _CONFIRM_LINK,
    ("rights/templates/rights/request_new.html", "one day"): _CONFIRM_LINK,
    ("rights/templates/rights/request_sent.html", "one day"): _CONFIRM_LINK,
    ("rights/templates/rights/request_sent.html", "one month"): _ANSWER_DEADLINE,
    ("rights/templates/rights/request_confirm.html", "one month"): _ANSWER_DEADLINE,
    ("rights/templates/rights/rights.html", "one month"): _ANSWER_DEADLINE,
    ("rights/templates/rights/rights.html", "two months"): _ANSWER_DEADLINE + " (its extension)",
}


def _project_templates() -> list[Path]:
    """Every page and email template of the project: the engine's directories, less installed packages."""
    files = []
    for directory in engines["django"].template_dirs:
        directory = Path(directory).resolve()
        if not directory.is_relative_to(BASE_DIR) or ".venv" in directory.relative_to(BASE_DIR).parts:
            continue
        files += [path for path in directory.rglob("*") if path.suffix in (".html", ".txt") and path.is_file()]
    return sorted(files)


def _stated_periods() -> set[tuple[str, str]]:
    found = set()
    for path in _project_templates():
        for match in STATED_PERIOD.finditer(path.read_text()):
            found.add((str(path.relative_to(BASE_DIR)), match.group(0).lower()))
    return found


def _render(source: str, language: str, **context) -> str:
    with translation.override(language):
        return Template("{% load privacy_register %}" + source).render(Context(context))


@pytest.mark.clause("C05", "C13", "C15", "C22", "D2")
def test_no_template_or_email_states_a_period_of_its_own():
    templates = _project_templates()
    assert len(templates) > 50, "the scan no longer finds the project's templates"
    assert any(path.suffix == ".txt" for path in templates), "the scan no longer finds the email templates"
    stated = _stated_periods()
    assert sorted(stated - ALLOWED.keys()) == [], "state these periods with {% retention_period %}"
    assert sorted(ALLOWED.keys() - stated) == [], "the allow-list names periods no template states any more"


def test_the_scan_finds_a_period_written_in_words_or_digits():
    for text in ("for seven years", "zeven jaar", "7 jaar", "90 days", "twee weken", "3 maanden", "one month"):
        assert STATED_PERIOD.search(text), text
    for text in ("{{ period }} days", "{{ days }} dagen", "the first month", "a while", "jaarlijks"):
        assert not STATED_PERIOD.search(text), text


@pytest.mark.clause("C05", "C11", "C13", "C15", "C22")
@pytest.mark.parametrize("purpose", register.PURPOSES, ids=lambda purpose: purpose.id)
def test_the_statements_quoted_retention_agrees_with_the_purposes_rules(purpose):
    """The register quotes the statement ("then seven years"); the quote and the clock may not drift apart."""
    words = {"six": 6, "seven": 7, "zes": 6, "zeven": 7}
    units = {"years": "years", "jaar": "years", "weeks": "weeks", "weken": "weeks"}
    periods = {rule.duration for rule in purpose.rules}
    for text in (purpose.statement_retention_en, purpose.statement_retention_nl):
        for match in STATED_PERIOD.finditer(text):
            number, unit = match.group(0).lower().split()
            assert relativedelta(**{units[unit]: words[number]}) in periods, (purpose.id, match.group(0))


@pytest.mark.clause("C05", "C13", "C15", "C22")
@pytest.mark.parametrize("rule", register.RULES.values(), ids=lambda rule: rule.key)
def test_the_tag_renders_every_rules_period_in_the_active_language(rule):
    for language in ("nl", "en"):
        with translation.override(language):
            expected = rule.period_text()
        assert _render("{% retention_period key %}", language, key=rule.key) == expected


@pytest.mark.clause("C05", "C15")
def test_the_tag_renders_dutch_under_nl_and_english_under_en():
    assert _render('{% retention_period "order_completed" %}', "nl") == "7 jaar"
    assert _render('{% retention_period "order_completed" %}', "en") == "7 years"
    assert _render('{% retention_period "subscription_cancelled" as p %}[{{ p }}]', "nl") == "[7 jaar]"
    assert _render('{% retention_period "profiling_recorded" %}', "nl") == "6 weken"
    assert _render('{% purpose_name "P1" %}', "nl") == "Afhandelen bestelling"
    assert _render('{% purpose_name "P1" %}', "en") == "Order handling"


def test_an_unknown_rule_fails_loudly_instead_of_rendering_nothing():
    with pytest.raises(KeyError):
        _render('{% retention_period "no_such_rule" %}', "nl")


@pytest.mark.django_db
@pytest.mark.clause("C17")
@pytest.mark.parametrize(
    ("language", "days", "expected"),
    [("nl", None, "30 dagen na ons antwoord"), ("nl", 14, "2 weken na ons antwoord"), ("en", 10, "10 days after")],
)
def test_changing_a_rules_setting_changes_what_the_answer_email_says(
    settings, django_capture_on_commit_callbacks, language, days, expected
):
    settings.RETENTION_CONTACT_SILENCE_DAYS = days
    contact_request = ContactRequest.objects.create(
        email="vraag@example.nl", subject="PHP", message="Hoe zet ik PHP 8.3 aan?", language=language
    )
    with django_capture_on_commit_callbacks(execute=True):
        contact_answer(contact_request=contact_request, answer="Onder Website > PHP.", staff=UserFactory(is_staff=True))
    body = mail.outbox[-1].body
    assert expected in body
    assert "a while" not in body and "een tijd na" not in body


@pytest.mark.clause("C39b")
def test_the_export_link_lives_the_registers_seven_days_unless_the_setting_says_otherwise(settings):
    settings.RIGHTS_EXPORT_DAYS = None
    assert register.rule("export_expired").period() == relativedelta(days=7)
    assert _render('{% retention_period "export_expired" %}', "nl") == "1 week"
    settings.RIGHTS_EXPORT_DAYS = 3
    assert register.rule("export_expired").period() == relativedelta(days=3)
    assert _render('{% retention_period "export_expired" %}', "en") == "3 days"


@pytest.mark.clause("C08", "C17", "C39b")
def test_every_setting_of_a_rule_defaults_to_the_register_and_is_assigned_once():
    source = (BASE_DIR / "netrex" / "settings.py").read_text()
    env_example = (BASE_DIR / ".env.example").read_text()
    names = {rule.setting for rule in register.RULES.values() if rule.setting}
    assert names >= {"RIGHTS_EXPORT_DAYS", "RETENTION_CONTACT_SILENCE_DAYS"}
    assert not register.rule("service_ended").setting, "P2 follows the statement: a grace period is a new statement"
    for name in sorted(names):
        assignments = re.findall(rf"^{name}\s*=.*$", source, re.MULTILINE)
        assert assignments == [f'{name} = env.int("{name}", default=None)'], name
        assert re.search(rf"^# {name}=$", env_example, re.MULTILINE), f".env.example must leave {name} unset"


@pytest.mark.django_db
@pytest.mark.clause("C05", "C13", "C22")
@pytest.mark.parametrize("kind", Order.Kind.values)
def test_the_order_page_states_the_period_of_the_orders_own_rule(client, kind):
    user = UserFactory()
    order = Order.objects.create(
        user=user,
        kind=kind,
        status=Order.Status.COMPLETED,
        completed_at=timezone.now(),
        total=0,
        vat_total=0,
        invoice_name="Jan",
        invoice_email="jan@example.nl",
    )
    client.force_login(user)
    for language, sentence in (
        ("nl", "We bewaren deze bestelling en de factuur tot {} na afronding"),
        ("en", "We keep this order and its invoice for {} after completion"),
    ):
        with translation.override(language):
            page = client.get(reverse("orders:detail", args=[order.pk])).content.decode()
            assert sentence.format(register.rule(order.purpose_rule).period_text()) in page


@pytest.mark.clause("C05", "C15", "C39d")
@pytest.mark.parametrize(
    ("template", "context", "nl", "en"),
    [
        (
            "subscriptions/email/cancelled_body.txt",
            {"subscription": {"billing_name": "Jan"}, "plan": {"title": "Pro"}},
            "nog 7 jaar na de opzegging",
            "for 7 years after cancellation",
        ),
    ],
)
def test_the_emails_state_the_registers_period_in_the_customers_language(template, context, nl, en):
    for language, expected in (("nl", nl), ("en", en)):
        with translation.override(language):
            assert expected in render_to_string(template, context)
