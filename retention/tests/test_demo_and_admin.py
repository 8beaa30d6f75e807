import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from privacy.models import LegalHold
from retention import engine
from retention.models import RetentionRun


@pytest.fixture
def officer(db):
    from allauth.mfa.models import Authenticator
    from django.contrib.auth.models import Group

    from accounts.tests.factories import UserFactory
    from portal.roles import PRIVACY_OFFICER

    user = UserFactory(username="privacy-officer", is_staff=True)
    user.groups.add(Group.objects.get(name=PRIVACY_OFFICER))
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"})
    return user


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.django_db
@pytest.mark.clause("D1", "D2")
def test_aged_demo_data_puts_something_due_under_every_declared_rule_and_a_sweep_clears_it(capsys):
    out = io.StringIO()
    call_command("seed_demo", "--spread-years", "9", stdout=out)
    output = out.getvalue()
    assert "retention: aged" in output
    assert "could not age" not in output, output

    call_command("retention_sweep", "--dry-run", "--json")
    before = json.loads(capsys.readouterr().out)
    not_due = [r["declaration"] for r in before["rules"] if r["due"] == 0]
    assert not_due == [], f"nothing due under {not_due}"

    call_command("retention_sweep", "--json")
    swept = json.loads(capsys.readouterr().out)
    assert swept["status"] == RetentionRun.Status.SUCCESS
    # A rule may find its rows gone already: an earlier rule's delete cascaded to them.
    assert sum(r["deleted"] + r["anonymised"] for r in swept["rules"]) >= len(before["rules"]) // 2

    call_command("retention_sweep", "--dry-run", "--json")
    after = json.loads(capsys.readouterr().out)
    assert [r for r in after["rules"] if r["due"]] == []


@pytest.mark.django_db
@pytest.mark.clause("D1")
def test_staff_see_the_runs_read_only_with_a_warning_when_the_sweep_is_stale(officer_client):
    admin_client = officer_client
    changelist = reverse("admin:retention_retentionrun_changelist")
    response = admin_client.get(changelist)
    assert response.status_code == 200
    assert "26" in "".join(str(m) for m in response.context["messages"])
    report = engine.sweep()
    response = admin_client.get(changelist)
    assert not list(response.context["messages"])
    detail = admin_client.get(reverse("admin:retention_retentionrun_change", args=[report.run.pk]))
    assert detail.status_code == 200
    assert admin_client.get(reverse("admin:retention_retentionrun_add")).status_code == 403
    assert RetentionRun.objects.count() == 1


@pytest.mark.django_db
def test_the_privacy_officer_places_and_releases_a_hold_in_the_admin(officer_client, officer):
    admin_client, admin_user = officer_client, officer
    from accounts.tests.factories import UserFactory

    customer = UserFactory()
    response = admin_client.post(
        reverse("admin:privacy_legalhold_add"),
        {"user": customer.pk, "content_type": "", "object_id": "", "reason": "Tax audit 2026"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    hold = LegalHold.objects.get()
    assert (hold.user, hold.placed_by, hold.active) == (customer, admin_user, True)
    invalid = admin_client.post(
        reverse("admin:privacy_legalhold_add"), {"user": "", "content_type": "", "object_id": "", "reason": "x"}
    )
    assert invalid.status_code == 200 and LegalHold.objects.count() == 1
    admin_client.post(
        reverse("admin:privacy_legalhold_changelist"),
        {"action": "release", "_selected_action": [hold.pk]},
    )
    hold.refresh_from_db()
    assert (hold.active, hold.released_by) == (False, admin_user)


@pytest.mark.django_db
def test_the_privacy_officer_role_may_manage_holds():
    from django.contrib.auth.models import Group

    from portal.roles import PRIVACY_OFFICER

    codenames = set(Group.objects.get(name=PRIVACY_OFFICER).permissions.values_list("codename", flat=True))
    assert {"add_legalhold", "change_legalhold", "view_retentionrun"} <= codenames
