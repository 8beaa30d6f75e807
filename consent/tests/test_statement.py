"""The privacy statement page: its content comes from the register, its date is on top, versions and notices."""

import datetime
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from consent import services
from consent.models import StatementNotice, StatementVersion
from consent.tasks import statement_announce
from portal.models import Activity
from privacy import register

pytestmark = pytest.mark.django_db


def _rule_text(html: str, key: str) -> str:
    match = re.search(rf'<li data-rule="{key}">\s*(.*?)\s*</li>', html, re.S)
    assert match, f"no line for rule {key}"
    return match.group(1)


@pytest.mark.clause("C37", "C41", "C42")
def test_dutch_page_shows_its_date_on_top_the_complaint_authority_and_contact(client):
    response = client.get("/privacy/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("24 mei 2018") < html.index("Afhandelen bestelling")
    assert "Wees gerust! We doen niets raars met jouw gegevens." in html
    for text in (
        "Autoriteit Persoonsgegevens",
        "autoriteitpersoonsgegevens.nl",
        "Postbus 93374, 2509 AJ Den Haag",
        "088 - 1805 250",
    ):
        assert text in html
    controller = register.CONTROLLER
    for key in ("name", "address", "email", "phone"):
        assert controller[key] in html


@pytest.mark.clause("C37", "C04")
def test_english_page_is_the_translation_with_every_purpose(client):
    html = client.get("/en/privacy/").content.decode()
    assert "24 May 2018" in html
    assert "Rest assured! We do nothing strange with your data." in html
    for purpose in register.PURPOSES:
        assert f'data-purpose="{purpose.id}"' in html
        assert purpose.name_en in html
    assert "Unlike the statement of 2018" in html


@pytest.mark.clause("C04", "C05")
def test_every_period_on_the_page_is_the_registers_period(client):
    html = client.get("/en/privacy/").content.decode()
    for purpose in register.PURPOSES:
        section = html[html.index(f'data-purpose="{purpose.id}"') :]
        section = section[: section.index("</section>")]
        for label in purpose.category_labels():
            assert label in section
        for rule in purpose.rules:
            assert _rule_text(section, rule.key).startswith(rule.period_text())


@pytest.mark.clause("C04")
def test_changing_a_rules_setting_changes_the_page(client, settings):
    settings.RETENTION_ABANDONED_ORDER_DAYS = 90
    assert _rule_text(client.get("/en/privacy/").content.decode(), "order_abandoned").startswith("90 days after")
    settings.RETENTION_ABANDONED_ORDER_DAYS = 21
    assert _rule_text(client.get("/en/privacy/").content.decode(), "order_abandoned").startswith("3 weeks after")
    assert _rule_text(client.get("/privacy/").content.decode(), "order_abandoned").startswith("3 weken nadat")


def test_statement_page_query_count_is_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        assert client.get("/privacy/").status_code == 200


def test_rights_link_is_left_out_while_the_rights_pages_do_not_exist(client):
    html = client.get("/privacy/").content.decode()
    try:
        rights = reverse("rights:index")
    except Exception:  # noqa: BLE001 (NoReverseMatch: the rights app is not installed)
        assert 'id="rights-link"' not in html
    else:
        assert f'href="{rights}"' in html


def _publish(
    staff,
    *,
    number=2,
    summary_nl="Google Analytics alleen na toestemming.",
    summary_en="Google Analytics only after consent.",
):
    version = StatementVersion.objects.create(
        number=number, date=datetime.date(2026, 11, 1), summary_nl=summary_nl, summary_en=summary_en
    )
    return services.statement_publish(version=version, staff=staff)


@pytest.mark.clause("C37")
def test_publishing_keeps_the_earlier_version_readable_in_the_archive(client, django_capture_on_commit_callbacks):
    staff = UserFactory(username="redacteur", is_staff=True)
    with django_capture_on_commit_callbacks(execute=True):
        _publish(staff)
    html = client.get("/privacy/").content.decode()
    assert "1 november 2026" in html
    assert reverse("consent:statement_version", args=[1]) in html
    old = client.get(reverse("consent:statement_version", args=[1]))
    assert old.status_code == 200
    assert "24 mei 2018" in old.content.decode()
    assert client.get(reverse("consent:statement_version", args=[2])).status_code == 302
    assert client.get(reverse("consent:statement_version", args=[9])).status_code == 404
    assert Activity.objects.filter(user=staff, action="statement_published").exists()


@pytest.mark.clause("C37")
def test_notice_shows_on_every_page_until_the_customer_has_read_it(client, django_capture_on_commit_callbacks):
    customer = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))
    newcomer_after = None
    with django_capture_on_commit_callbacks(execute=True):
        version = _publish(UserFactory(username="redacteur", is_staff=True))
    newcomer_after = UserFactory(username="nieuw")
    client.force_login(customer)
    for _visit in range(2):
        assert 'id="statement-notice"' in client.get(reverse("accounts:dashboard")).content.decode()
    response = client.post(reverse("consent:statement_read"), {"next": reverse("accounts:activity")})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:activity")
    assert 'id="statement-notice"' not in client.get(reverse("accounts:dashboard")).content.decode()
    assert StatementNotice.objects.get(user=customer, version=version).read_at is not None
    assert Activity.objects.filter(user=customer, action="statement_read").count() == 1
    client.force_login(newcomer_after)
    assert 'id="statement-notice"' not in client.get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.clause("C37")
def test_reading_the_statement_page_counts_as_read(client, django_capture_on_commit_callbacks):
    customer = UserFactory(date_joined=timezone.now() - datetime.timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        _publish(UserFactory(username="redacteur", is_staff=True))
    client.force_login(customer)
    client.get("/privacy/")
    assert 'id="statement-notice"' not in client.get(reverse("accounts:dashboard")).content.decode()


@pytest.mark.clause("C37")
def test_announcement_email_goes_to_each_customer_once_in_their_language(
    django_capture_on_commit_callbacks, monkeypatch
):
    monkeypatch.setattr("consent.tasks.ANNOUNCE_BATCH", 2)
    past = timezone.now() - datetime.timedelta(days=10)
    dutch = UserFactory(username="anna", language="nl", date_joined=past)
    english = UserFactory(username="john", language="en", date_joined=past)
    third = UserFactory(username="piet", language="nl", date_joined=past)
    UserFactory(username="medewerker", is_staff=True, date_joined=past)
    with django_capture_on_commit_callbacks(execute=True):
        version = _publish(UserFactory(username="redacteur", is_staff=True, date_joined=past))
    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (dutch, english, third))
    by_address = {m.to[0]: m for m in mail.outbox}
    assert by_address[dutch.email].subject == "Onze privacyverklaring is gewijzigd"
    assert "Google Analytics alleen na toestemming." in by_address[dutch.email].body
    assert "/privacy/" in by_address[dutch.email].body and "/en/privacy/" not in by_address[dutch.email].body
    assert by_address[english.email].subject == "Our privacy statement has changed"
    assert "Google Analytics only after consent." in by_address[english.email].body
    assert "/en/privacy/" in by_address[english.email].body
    with django_capture_on_commit_callbacks(execute=True):
        statement_announce(version.pk)
    assert len(mail.outbox) == 3
    assert StatementNotice.objects.filter(version=version, emailed_at__isnull=False).count() == 3


def test_publishing_queues_the_announcement_only_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _publish(UserFactory(username="redacteur", is_staff=True))
    assert mail.outbox == []
    assert callbacks


@pytest.mark.clause("C29", "C30", "C31", "C32", "C33", "C34")
def test_cookie_section_names_every_tool_and_cookie_with_its_lifetime(client):
    html = client.get("/privacy/").content.decode()
    cookies_section = html[html.index('id="cookies"') :]
    cookies_section = cookies_section[: cookies_section.index("</section>")]
    for text in (
        "SalesFeed",
        "Matomo (voorheen Piwik)",
        "Google Analytics",
        "<code>_pk_id.*</code></td>",
        "14 dagen na je laatste bezoek",
        "<code>_pk_ses.*</code></td>",
        "<code>_pk_ref.*</code></td>",
        "<code>_gid</code></td>",
        "30 minuten inactiviteit",
        "de laatste 2 bytes worden weggelaten",
        "Verenigde Staten",
        "uitdrukkelijk",
        "<code>sessionid</code>",
        "<code>csrftoken</code>",
    ):
        assert text in cookies_section, text
