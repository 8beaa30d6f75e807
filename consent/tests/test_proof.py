"""Consent that can be proven (issue 16): no record is no consent, every sign-up choice is recorded with its
ground and text, profiling waits for an opt-in, and records are never changed."""

import pytest
from django.urls import reverse

from accounts.models import User
from accounts.tests.factories import UserFactory
from consent import selectors, services
from consent.models import ConsentRecord, Method
from newsletter.forms import SIGNUP_TEXT_VERSION
from newsletter.models import AdvertisingPreference, AdvertisingPreferenceChange
from newsletter.selectors import advertising_audience
from privacy import register
from stats.buffer import buffer
from stats.models import ProfilingEvent
from tests.signup import PERSONAL

pytestmark = pytest.mark.django_db

PASSWORD = "een-Lang-wachtwoord-42"


def _sign_up(client, django_capture_on_commit_callbacks, username: str, **choices) -> User:
    data = {
        "username": username,
        "email": f"{username}@example.nl",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **PERSONAL,
    }
    data.update({name: "on" for name, ticked in choices.items() if ticked})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return User.objects.get(username=username)


def _latest(user, purpose_id: str, scope: str = "") -> ConsentRecord:
    return ConsentRecord.objects.filter(user=user, purpose=purpose_id, scope=scope).latest("id")


@pytest.mark.clause("C10", "C18", "C20", "C26", "C27", "C39e")
def test_sign_up_without_ticking_anything_records_every_choice_with_its_ground(
    client, django_capture_on_commit_callbacks
):
    page = client.get(reverse("account_signup")).content.decode()
    for name in ("profiling_opt_in", "advertising_social_opt_in", "newsletter_opt_out", "advertising_opt_out"):
        assert f'name="{name}"' in page
        tag = page[page.index(f'name="{name}"') - 200 : page.index(f'name="{name}"') + 200]
        assert "checked" not in tag  # nothing pre-ticked (Planet49)

    user = _sign_up(client, django_capture_on_commit_callbacks, "zonderkeuze")

    profiling = _latest(user, "P3")
    assert (profiling.given, profiling.ground, profiling.method) == (False, "consent", Method.SIGNUP)
    newsletter = _latest(user, "P7")
    assert (newsletter.given, newsletter.ground, newsletter.method) == (True, "customer_opt_out", Method.SIGNUP)
    assert newsletter.text_version == SIGNUP_TEXT_VERSION and newsletter.page == reverse("account_signup")
    assert newsletter.statement_version == selectors.statement_current()
    assert _latest(user, "P10").given is True
    for channel, given, ground in (
        ("email", True, "customer_opt_out"),
        ("phone", True, "customer_opt_out"),
        ("social", False, "consent"),
    ):
        record = _latest(user, "P10", channel)
        assert (record.given, record.ground, record.method) == (given, ground, Method.SIGNUP), channel
        assert AdvertisingPreference.objects.get(user=user, channel=channel).allowed is given
    assert set(AdvertisingPreferenceChange.objects.filter(user=user).values_list("channel", "method")) == {
        ("email", "signup"),
        ("phone", "signup"),
        ("social", "signup"),
    }
    states = {state.purpose.id: state for state in selectors.consent_states(user=user)}
    assert states["P3"].given is False and states["P3"].record == profiling
    assert states["P7"].given is True and states["P7"].record == newsletter


@pytest.mark.clause("C10", "C20", "C27")
def test_sign_up_with_every_box_ticked_opts_in_and_out_as_the_boxes_say(client, django_capture_on_commit_callbacks):
    user = _sign_up(
        client,
        django_capture_on_commit_callbacks,
        "allesaan",
        profiling_opt_in=True,
        advertising_social_opt_in=True,
        newsletter_opt_out=True,
        advertising_opt_out=True,
    )
    assert _latest(user, "P3").given is True
    assert _latest(user, "P7").given is False
    assert [_latest(user, "P10", c).given for c in ("email", "phone", "social")] == [False, False, True]
    assert user not in advertising_audience(channel="email")
    assert user not in advertising_audience(channel="phone")


@pytest.mark.clause("C39e")
def test_no_record_means_not_given_and_my_consents_shows_only_what_has_a_record(client):
    user = UserFactory()
    assert all(state.given is False and state.record is None for state in selectors.consent_states(user=user))
    assert selectors.consent_given(user=user, purpose_id="P7") is False
    assert user not in advertising_audience(channel="email")  # no choice recorded: no advertising
    client.force_login(user)
    page = client.get(reverse("consent:consents")).content.decode()
    assert 'aria-checked="true"' not in page
    assert "Geen keuze vastgelegd" in page


@pytest.mark.clause("C39e")
def test_a_consent_record_is_append_only_and_carries_its_proof(rf):
    user = UserFactory()
    request = rf.post("/privacy/toestemmingen/?email=x@example.nl")
    request.user = user
    record = services.consent_set(
        user=user, purpose_id="P3", given=True, method=Method.PRIVACY_PAGE, request=request, run_effects=False
    )
    assert record.page == "/privacy/toestemmingen/"  # the path, never the query string
    assert record.ground == register.purpose("P3").ground() == "consent"
    record.given = False
    with pytest.raises(ValueError):
        record.save()
    assert ConsentRecord.objects.get(pk=record.pk).given is True


@pytest.mark.clause("C09", "C10", "C11", "C39f")
def test_a_new_customer_is_profiled_only_after_opting_in_and_not_after_opting_out(client):
    user = UserFactory()
    client.force_login(user)
    for _ in range(3):
        client.get(reverse("consent:statement"))
    buffer.flush()
    assert ProfilingEvent.objects.filter(user=user).count() == 0

    client.post(reverse("stats:objection"), {"choice": "allow"})
    assert _latest(user, "P3").given is True
    client.get(reverse("consent:statement"))
    buffer.flush()
    assert ProfilingEvent.objects.filter(user=user).count() >= 1

    client.post(reverse("consent:consents"), {"purpose": "P3", "given": "0"})
    assert _latest(user, "P3").method == Method.PRIVACY_PAGE
    assert ProfilingEvent.objects.filter(user=user).count() == 0  # what was recorded goes at once
    client.get(reverse("consent:statement"))
    buffer.flush()
    assert ProfilingEvent.objects.filter(user=user).count() == 0


@pytest.mark.clause("C27")
def test_the_advertising_history_names_channel_method_and_source(client, privacy_officer):
    from newsletter import services as newsletter_services
    from portal.models import Activity

    user = UserFactory()
    newsletter_services.advertising_choice_set(
        user=user, channel="phone", allowed=False, method="phone", source="Gebeld op 3 mei", actor=privacy_officer
    )
    entry = Activity.objects.filter(user=user, action="advertising_objected").latest("id")
    assert "telefoon" in entry.detail["summary"] and "phone" in entry.detail["summary"]
    client.force_login(user)
    page = client.get(reverse("newsletter:preferences")).content.decode()
    history = page[page.index('id="advertising-history"') :]
    assert "Gebeld op 3 mei" in history and "telefoon" in history
    record = _latest(user, "P10", "phone")
    assert (record.given, record.method, record.actor) == (False, Method.STAFF_PHONE, privacy_officer)


@pytest.mark.clause("C27", "C39e")
@pytest.mark.parametrize(
    ("method", "recorded", "shown"),
    [
        ("phone", Method.STAFF_PHONE, "telefonisch"),
        ("social", Method.STAFF_SOCIAL, "via sociale media"),
        ("staff", Method.STAFF_OTHER, "per brief of op een andere manier"),
    ],
)
def test_an_objection_recorded_by_staff_keeps_how_it_reached_us(privacy_officer, method, recorded, shown):
    """A letter is not a phone call: the consent record says how the objection came, as the advertising history does."""
    from django.utils import translation

    from newsletter import services as newsletter_services

    user = UserFactory()
    newsletter_services.advertising_choice_set(
        user=user, channel="email", allowed=False, method=method, source="Brief van 3 mei", actor=privacy_officer
    )
    record = _latest(user, "P10", "email")
    assert (record.given, record.method, record.actor) == (False, recorded, privacy_officer)
    with translation.override("nl"):
        assert record.get_method_display().startswith(shown)


@pytest.mark.clause("C10", "C20", "C26")
def test_the_register_and_the_privacy_page_name_the_ground_of_each_purpose(client):
    assert register.purpose("P3").ground() == "consent"
    assert register.purpose("P7").ground() == "customer_opt_out"
    assert register.purpose("P10").ground("social") == "consent"
    assert register.purpose("P10").ground("email") == "customer_opt_out"
    page = client.get(reverse("consent:statement")).content.decode()
    for purpose_id in ("P3", "P7", "P10"):
        section = page[page.index(f'data-purpose="{purpose_id}"') :]
        section = section[: section.index("</section>")]
        assert "purpose-ground" in section, purpose_id
    p7 = page[page.index('data-purpose="P7"') :]
    assert "Telecommunicatiewet" in p7[: p7.index("</section>")]
