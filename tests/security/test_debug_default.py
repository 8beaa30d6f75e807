"""Without DJANGO_DEBUG the portal is production: no debug pages, no development key, no simulator,
no demo users with published passwords (C36).  Development says DJANGO_DEBUG=on (``make run``)."""

import io
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from tests.test_deploy import ROOT, _settings_variables

pytestmark = pytest.mark.clause("C36")
PRODUCTION_SECRETS = {
    "DJANGO_SECRET_KEY": "a-real-secret-" * 5,
    "DJANGO_ALLOWED_HOSTS": "portal.example",
    "MOLLIE_API_KEY": "live_not_a_real_key",
    "NETREX_KVK_NUMBER": "12345678",
    "NETREX_VAT_ID": "NL123456789B01",
}
SHOW = (
    "import json, django; django.setup(); from django.conf import settings as s; from django.urls import reverse;"
    "from django.urls.exceptions import NoReverseMatch\n"
    "try:\n    reverse('mollie_sim:checkout', args=['x']); sim = True\nexcept NoReverseMatch:\n    sim = False\n"
    "print(json.dumps({'debug': s.DEBUG, 'simulator': s.MOLLIE_SIMULATOR, 'mounted': sim, 'key': s.SECRET_KEY}))"
)


def _bare_env(**extra: str) -> dict[str, str]:
    """This machine's environment without anything the settings read: as a server that sets nothing."""
    dropped = _settings_variables() | {"DJANGO_SETTINGS_MODULE"}
    return (
        {k: v for k, v in os.environ.items() if k not in dropped}
        | {"DJANGO_SETTINGS_MODULE": "netrex.settings"}
        | extra
    )


def _python(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_without_django_debug_the_portal_refuses_to_start_with_the_development_key():
    result = _python("-c", SHOW, env=_bare_env())
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS" in result.stderr


def test_without_django_debug_there_is_no_debug_and_no_simulator():
    result = _python("-c", SHOW, env=_bare_env(**PRODUCTION_SECRETS))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == (
        f'{{"debug": false, "simulator": false, "mounted": false, "key": "{PRODUCTION_SECRETS["DJANGO_SECRET_KEY"]}"}}'
    )


def test_development_is_asked_for_explicitly():
    result = _python("-c", SHOW, env=_bare_env(DJANGO_DEBUG="on"))
    assert result.returncode == 0, result.stderr
    assert '"debug": true, "simulator": true, "mounted": true' in result.stdout
    assert "DJANGO_DEBUG = on" in (ROOT / "Makefile").read_text()
    assert '"DJANGO_DEBUG": "on"' in (ROOT / "scripts" / "run.py").read_text()


def test_seed_demo_refuses_production_settings_before_touching_the_database():
    env = _bare_env(**PRODUCTION_SECRETS)
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"  # never reached
    result = _python("manage.py", "seed_demo", env=env)
    assert result.returncode != 0
    assert "only in development (DJANGO_DEBUG=on)" in result.stderr


@pytest.mark.django_db
def test_seed_demo_refuses_with_debug_off(settings):
    settings.DEBUG = False
    del settings.DEMO_DATA_ALLOWED
    with pytest.raises(CommandError, match="DJANGO_DEBUG=on"):
        call_command("seed_demo", stdout=io.StringIO())
    assert not User.objects.filter(username__in=["demo", "beheer"]).exists()


@pytest.mark.django_db
def test_seed_demo_runs_in_development(settings):
    settings.DEBUG = True
    del settings.DEMO_DATA_ALLOWED
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data ready." in out.getvalue()
    assert User.objects.filter(username__in=["demo", "beheer"]).count() == 2
