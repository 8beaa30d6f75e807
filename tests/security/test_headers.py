"""Security headers and cookie flags on every response (C36).

In the test settings every customer page (anonymous and logged in), an error page and a redirect
carry the headers; the production flags (HSTS, Secure cookies, the redirect to https) are checked on
real responses of a subprocess started with ``DJANGO_DEBUG=off`` and the production values of
``.env.example`` (as ``tests/test_deploy.py`` does for the settings themselves).
"""

import json
import re
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.tests.factories import PASSWORD, UserFactory
from tests.security.conftest import customer_patterns
from tests.test_deploy import ROOT, _production_env

pytestmark = pytest.mark.clause("C36")


def _check_headers(response, where: str) -> None:
    policy = response.get("Content-Security-Policy", "")
    directives = dict((part.strip().split(" ", 1) + [""])[:2] for part in policy.split(";") if part.strip())
    assert directives, f"{where}: no Content-Security-Policy"
    for name in ("script-src", "style-src", "default-src"):
        assert "unsafe-inline" not in directives.get(name, "") and "unsafe-eval" not in directives.get(name, ""), where
    assert directives.get("frame-ancestors") == "'none'", where
    assert directives.get("object-src") == "'none'", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "same-origin", where
    assert response["X-Frame-Options"] == "DENY", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    if response.get("Content-Type", "").startswith("text/html") and not response.streaming:
        body = response.content.decode()
        nonces = re.findall(r"<script(?![^>]*\bsrc=)[^>]*\bnonce=\"([^\"]+)\"", body)
        for nonce in nonces:
            assert f"'nonce-{nonce}'" in directives["script-src"], f"{where}: inline script without its nonce"
        assert len(nonces) == len(re.findall(r"<script(?![^>]*\bsrc=)", body)), f"{where}: inline script, no nonce"
    for cookie in response.cookies.values():
        if cookie.value:
            assert cookie["samesite"] in ("Lax", "Strict"), f"{where}: cookie {cookie.key} without SameSite"
            if cookie.key in (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME):
                assert cookie["httponly"], f"{where}: cookie {cookie.key} readable by scripts"


@pytest.mark.django_db
def test_every_customer_page_error_and_redirect_carries_the_security_headers(client):
    plain = [name for _route, name, converters in customer_patterns() if not converters]
    assert len(plain) > 30
    responses = [("404", client.get("/bestaat-niet/")), ("login", client.get(reverse("account_login")))]
    for name in plain:
        responses.append((f"anonymous {name}", client.get(reverse(name))))
    client.force_login(UserFactory())
    for name in plain:
        responses.append((f"customer {name}", client.get(reverse(name))))
    responses.append(("customer 404", client.get("/bestellingen/999999/")))
    for where, response in responses:
        _check_headers(response, where)
    assert {r.status_code for _w, r in responses} >= {200, 302, 404}


PRODUCTION_SCRIPT = """
import json, django
django.setup()
from django.test import Client
from django.conf import settings
from django.test.utils import override_settings
# No collectstatic here: plain static storage instead of the manifest (not what is under test).
static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
override_settings(STORAGES={**settings.STORAGES, "staticfiles": static}).enable()
host = settings.ALLOWED_HOSTS[0]
from allauth.account.models import EmailAddress
from accounts.models import User
user = User.objects.get(username="%(username)s")
user.set_password("%(password)s")  # hashed with the production hasher (the tests use a fast one)
user.save()
EmailAddress.objects.update_or_create(user=user, email=user.email, defaults={"verified": True, "primary": True})
out = {}
plain = Client(HTTP_HOST=host).get("/account/login/")
out["http"] = [plain.status_code, plain.get("Location", "")]
client = Client(HTTP_HOST=host, enforce_csrf_checks=True)
page = client.get("/account/login/", secure=True)
token = page.cookies["csrftoken"].value
login = client.post("/account/login/", {"login": "%(username)s", "password": "%(password)s",
                    "csrfmiddlewaretoken": token}, secure=True, HTTP_REFERER=f"https://{host}/account/login/")
def cookies(response):
    return {c.key: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
            for c in response.cookies.values()}
out["page"] = {"status": page.status_code, "hsts": page.get("Strict-Transport-Security", ""),
               "cookies": cookies(page), "csp": page.get("Content-Security-Policy", "")}
out["login"] = {"status": login.status_code, "cookies": cookies(login), "body": login.content.decode()[-3000:]}
print(json.dumps(out))
"""


@pytest.mark.django_db(transaction=True)
def test_production_responses_carry_hsts_and_secure_httponly_cookies():
    user = UserFactory(username="productie")
    env = _production_env() | {
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.CACHES["default"]["LOCATION"],
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
    }
    script = PRODUCTION_SCRIPT % {"username": user.username, "password": PASSWORD}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["http"][0] == 301 and out["http"][1].startswith("https://")
    assert out["page"]["status"] == 200
    assert out["page"]["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert "unsafe-inline" not in out["page"]["csp"]
    assert out["page"]["cookies"]["csrftoken"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert out["login"]["status"] == 302, out
    assert out["login"]["cookies"]["sessionid"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    for name, flags in {**out["page"]["cookies"], **out["login"]["cookies"]}.items():
        assert flags["secure"] and flags["samesite"], name


def _database_url() -> str:
    from tests.fault.conftest import test_database_url

    return test_database_url()
