"""'My consents': one switch per purpose, the effect hooks, the activity log (C39e, C10, C19, C27)."""

import pytest
from django.urls import reverse

from consent import selectors, services
from consent.models import ConsentRecord, Method
from portal.models import Activity
from privacy import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def effect_calls(monkeypatch):
    """A P7 effect like the newsletter app's, registered only for this test."""
    calls = []
    monkeypatch.setattr(services, "_effects", {})
    services.register_effect(
        "P7",
        on_withdraw=lambda *, user, request: calls.append(("withdraw", user.pk, request is not None)),
        on_give=lambda *, user, request: calls.append(("give", user.pk, request is not None)),
    )
    return calls


@pytest.mark.clause("C39e", "C19")
def test_withdraw_and_give_again_through_the_portal_runs_the_effect_and_logs_it(
    customer_client, customer, effect_calls
):
    url = reverse("consent:consents")
    page = customer_client.get(url).content.decode()
    assert 'id="consent-p7"' in page and 'aria-checked="true"' not in page  # no record: not given
    services.consent_set(user=customer, purpose_id="P7", given=True, method=Method.SIGNUP, run_effects=False)
    page = customer_client.get(url).content.decode()
    assert 'aria-checked="true"' in page

    response = customer_client.post(url, {"purpose": "P7", "given": "0"}, REMOTE_ADDR="192.0.2.9")
    assert response.status_code == 302
    assert effect_calls == [("withdraw", customer.pk, True)]
    assert selectors.consent_given(user=customer, purpose_id="P7") is False
    record = ConsentRecord.objects.filter(user=customer).latest("id")
    assert (record.purpose, record.given, record.method) == ("P7", False, Method.PRIVACY_PAGE)
    assert record.page == url
    assert record.statement_version.number == 1
    entry = Activity.objects.get(user=customer, action="consent_withdrawn")
    assert entry.detail["purpose"] == "P7"
    assert entry.ip_address == "192.0.2.9"

    customer_client.post(url, {"purpose": "P7", "given": "1"})
    assert effect_calls[-1] == ("give", customer.pk, True)
    assert selectors.consent_given(user=customer, purpose_id="P7") is True
    assert Activity.objects.filter(user=customer, action="consent_given").count() == 2  # sign-up, then here
    section = customer_client.get(url).content.decode().split('id="consent-p7"')[1].split("</li>")[0]
    assert 'aria-checked="true"' in section


@pytest.mark.clause("C39e")
def test_a_failing_effect_rolls_the_consent_change_back(customer, monkeypatch):
    monkeypatch.setattr(services, "_effects", {})

    def broken(*, user, request):
        raise RuntimeError("newsletter service down")

    services.register_effect("P3", on_withdraw=broken)
    with pytest.raises(RuntimeError):
        services.consent_withdraw(user=customer, purpose_id="P3", method=Method.PORTAL)
    assert not ConsentRecord.objects.exists()
    assert not Activity.objects.filter(action="consent_withdrawn").exists()


@pytest.mark.clause("C39e")
def test_fiscal_purposes_say_why_there_is_no_switch(customer_client, customer):
    page = customer_client.get(reverse("consent:consents")).content.decode()
    for purpose in register.PURPOSES:
        section = page.split(f'id="consent-{purpose.id.lower()}"')[1].split("</li>")[0]
        if purpose.consent_withdrawable:
            assert 'role="switch"' in section
        else:
            assert 'role="switch"' not in section
            assert 'class="no-switch"' in section
        if purpose.fiscal_duty:
            assert "fiscale bewaartermijn" in section
            assert "7 jaar nadat" in section
    response = customer_client.post(reverse("consent:consents"), {"purpose": "P1", "given": "0"}, follow=True)
    assert "kun je hier niet uitzetten" in response.content.decode()
    assert not ConsentRecord.objects.exists()


@pytest.mark.parametrize("data", [{"purpose": "P99", "given": "0"}, {"purpose": "P7", "given": "maybe"}, {}])
def test_bad_input_gives_a_message_not_an_error(customer_client, data):
    response = customer_client.post(reverse("consent:consents"), data, follow=True)
    assert response.status_code == 200
    assert "Die keuze begrepen we niet" in response.content.decode()


def test_consents_page_query_count_does_not_grow_with_history(customer_client, customer, django_assert_max_num_queries):
    for _round in range(3):
        for purpose_id in ("P3", "P7", "P10", "P6"):
            services.consent_withdraw(user=customer, purpose_id=purpose_id, method=Method.PORTAL)
            services.consent_give(user=customer, purpose_id=purpose_id, method=Method.PORTAL)
    with django_assert_max_num_queries(16):  # + the consent history and the cookie choices
        assert customer_client.get(reverse("consent:consents")).status_code == 200


def test_anonymous_visitors_are_sent_to_login(client):
    response = client.get(reverse("consent:consents"))
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.clause("C27")
def test_staff_records_a_phone_objection_with_themselves_as_actor(customer, privacy_officer):
    record = services.consent_withdraw(
        user=customer, purpose_id="P10", method=Method.STAFF_PHONE, actor=privacy_officer
    )
    assert record.actor == privacy_officer
    entry = Activity.objects.get(user=customer, action="consent_withdrawn")
    assert entry.actor == privacy_officer


@pytest.mark.clause("C39e", "C19")
def test_an_app_that_already_made_the_change_records_it_without_running_effects_again(customer, effect_calls):
    services.consent_set(user=customer, purpose_id="P7", given=False, method=Method.LINK, run_effects=False)
    assert effect_calls == []
    assert selectors.consent_given(user=customer, purpose_id="P7") is False
