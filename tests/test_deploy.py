"""Production settings: `check --deploy` is clean with .env.example, and the security headers hold (C36)."""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "netrex" / "settings.py"
ENV_EXAMPLE = ROOT / ".env.example"


def _env_example() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = value.strip()
    return values


def _production_env() -> dict[str, str]:
    """The machine's environment less anything the settings read, plus .env.example with a real secret."""
    dropped = _settings_variables() | {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {name: value for name, value in os.environ.items() if name not in dropped}
    secret = secrets.token_urlsafe(64)
    # The seller's registration numbers are left blank in .env.example (each deployment fills in its own).
    registration = {"NETREX_KVK_NUMBER": "12345678", "NETREX_VAT_ID": "NL123456789B01"}
    secrets_ = registration | {"DJANGO_SECRET_KEY": secret, "DJANGO_SETTINGS_MODULE": "netrex.settings"}
    return base | _env_example() | secrets_


def _settings_variables() -> set[str]:
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z0-9_]+)"', SETTINGS.read_text()))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603
        [sys.executable, *args], cwd=ROOT, env=_production_env(), capture_output=True, text=True, timeout=120
    )


def test_env_example_lists_every_variable_the_settings_read():
    read = _settings_variables()
    assert len(read) > 20, "the pattern no longer finds the settings' variables"
    documented = set(re.findall(r"^(?:# ?)?([A-Z][A-Z0-9_]+)=", ENV_EXAMPLE.read_text(), re.M))
    assert read - documented == set()


@pytest.mark.clause("C36")
def test_deploy_check_reports_no_issue_with_the_production_values_of_env_example():
    result = _run("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


@pytest.mark.clause("C36")
def test_production_settings_harden_transport_cookies_and_passwords():
    script = (
        "import json; from django.conf import settings as s; import django; django.setup(); print(json.dumps({"
        "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS, 'ssl': s.SECURE_SSL_REDIRECT,"
        "'session_secure': s.SESSION_COOKIE_SECURE, 'session_httponly': s.SESSION_COOKIE_HTTPONLY,"
        "'csrf_secure': s.CSRF_COOKIE_SECURE, 'csrf_httponly': s.CSRF_COOKIE_HTTPONLY, 'debug': s.DEBUG,"
        "'hasher': s.PASSWORD_HASHERS[0],"
        "'validators': [v['NAME'].rsplit('.', 1)[1] for v in s.AUTH_PASSWORD_VALIDATORS],"
        "'min_length': s.AUTH_PASSWORD_VALIDATORS[1]['OPTIONS']['min_length'], 'tz': s.TIME_ZONE, 'use_tz': s.USE_TZ,"
        "'cache': s.CACHES['default']['BACKEND'], 'broker': s.CELERY_BROKER_URL.split(':')[0]}))"
    )
    result = _run("-c", script)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["debug"] is False
    assert values["hsts"] >= 31536000 and values["subdomains"] and values["ssl"]
    assert values["session_secure"] and values["session_httponly"] and values["csrf_secure"] and values["csrf_httponly"]
    assert values["hasher"].endswith("Argon2PasswordHasher")
    assert values["validators"] == [
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    ]
    assert values["min_length"] == 12
    assert (values["tz"], values["use_tz"]) == ("Europe/Amsterdam", True)
    assert values["cache"].endswith("RedisCache")  # allauth's rate limits shared by every web process
    assert values["broker"] == "redis"


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS"])
def test_production_refuses_to_start_without_its_secrets(missing):
    env = _production_env()
    env.pop(missing)
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY and DJANGO_ALLOWED_HOSTS" in result.stderr


@pytest.mark.django_db
@pytest.mark.clause("C36")
def test_pages_carry_a_csp_without_unsafe_inline(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    body = response.content.decode()
    assert " style=" not in body
    for script in re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", body):
        assert "nonce=" in script


@pytest.mark.django_db
@pytest.mark.clause("C36")
@pytest.mark.urls("tests.csp_urls")
def test_an_inline_script_runs_only_with_the_nonce_of_its_response(client):
    first, second = client.get("/inline-script/"), client.get("/inline-script/")
    nonce = re.search(r'<script nonce="([^"]+)">', first.content.decode()).group(1)
    policy = first["Content-Security-Policy"]
    assert f"'nonce-{nonce}'" in policy
    assert "unsafe-inline" not in policy
    assert nonce not in second["Content-Security-Policy"]  # a fresh nonce for every response


def test_docker_compose_runs_web_worker_and_one_beat_on_postgres_and_redis():
    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"web", "worker", "beat", "postgres", "redis"} <= set(services)
    assert services["postgres"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert services["web"]["command"][:2] == ["gunicorn", "netrex.wsgi"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "netrex", "worker"]
    assert services["beat"]["command"][:4] == ["celery", "-A", "netrex", "beat"]
    assert services["beat"]["deploy"]["replicas"] == 1
    assert "/healthz" in " ".join(services["web"]["healthcheck"]["test"])
    for name in ("web", "worker", "beat", "postgres", "redis", "proxy"):
        assert services[name].get("healthcheck"), name
    for name in ("web", "worker"):
        assert "private-media:/app/var/private" in services[name]["volumes"]
        assert services[name]["env_file"] == ".env"
    assert {"postgres-data", "private-media"} <= set(compose["volumes"])


def _compose() -> dict:
    import yaml

    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


@pytest.mark.clause("C36")
def test_only_the_tls_proxy_is_published_and_gunicorn_stays_on_the_compose_network():
    services = _compose()["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    proxy = services["proxy"]
    assert proxy["image"] == "caddy:2-alpine"
    assert {port.split("/")[0] for port in proxy["ports"]} == {"80:80", "443:443"}
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in proxy["volumes"]
    assert "caddy-data:/data" in proxy["volumes"]  # the certificates survive a restart
    assert services["web"]["expose"] == ["8000"]
    assert "--bind" in services["web"]["command"] and "0.0.0.0:8000" in services["web"]["command"]
    # One proxy in front of gunicorn: the portal and allauth take the last address of X-Forwarded-For.
    assert _env_example()["DJANGO_NUM_PROXIES"] == "1"


def _caddyfile_directives() -> list[list[str]]:
    lines = (ROOT / "deploy" / "Caddyfile").read_text().splitlines()
    return [line.split() for line in lines if line.strip() and not line.lstrip().startswith("#")]


@pytest.mark.clause("C36")
def test_the_caddyfile_serves_the_portal_domain_over_https_and_trusts_no_client_x_forwarded_for():
    directives = _caddyfile_directives()
    words = [word for directive in directives for word in directive]
    # A bare domain as the site address: automatic HTTPS, with http redirected to https.
    assert ["{$PORTAL_DOMAIN}", "{"] in directives
    assert not any(word.startswith("http://") for word in words)
    assert "reverse_proxy" in words
    assert ["name", "web"] in directives and ["port", "8000"] in directives
    # Incoming X-Forwarded-* headers are kept only from trusted_proxies; with none, Caddy sets
    # X-Forwarded-For to the connecting client's address and drops whatever the client sent.
    assert "trusted_proxies" not in words
    assert not any(directive[:1] == ["header_up"] and "X-Forwarded-For" in directive for directive in directives)
    for name in ("PORTAL_DOMAIN", "ACME_EMAIL"):
        assert _env_example()[name]
        assert name in _compose()["services"]["proxy"]["environment"]


def test_every_service_keeps_its_logs_bounded():
    for name, service in _compose()["services"].items():
        logging = service.get("logging") or {}
        assert logging.get("driver") == "json-file", name
        assert logging["options"].get("max-size") and int(logging["options"].get("max-file", 0)) >= 1, name


def test_the_database_password_is_one_value_for_postgres_and_database_url():
    from urllib.parse import urlsplit

    env = _env_example()
    url = urlsplit(env["DATABASE_URL"])
    assert env["POSTGRES_PASSWORD"] and url.password == env["POSTGRES_PASSWORD"]
    postgres = _compose()["services"]["postgres"]["environment"]
    assert postgres["POSTGRES_PASSWORD"].startswith("${POSTGRES_PASSWORD")
    assert ":-" not in postgres["POSTGRES_PASSWORD"]  # no default password: compose refuses to start without one
    assert (url.username, url.path.lstrip("/")) == (postgres["POSTGRES_USER"], postgres["POSTGRES_DB"])
    assert url.hostname == "postgres"  # the compose service


def test_the_backup_service_uses_the_servers_pg_dump_and_sees_the_private_media():
    services = _compose()["services"]
    backup = services["backup"]
    assert backup["image"] == services["postgres"]["image"]  # pg_dump of the server's major version
    assert backup["profiles"] == ["backup"]  # run on demand, never by `up`
    assert backup["entrypoint"] == ["bash", "/scripts/backup.sh"]
    assert "./scripts:/scripts:ro" in backup["volumes"] and "private-media:/app/var/private" in backup["volumes"]
    assert _env_example()["PRIVATE_MEDIA_ROOT"] == "/app/var/private"


@pytest.mark.parametrize(("age", "healthy"), [(10, True), (14 * 60, True), (16 * 60, False), (None, False)])
def test_the_beat_health_check_fails_when_the_schedule_file_goes_stale(tmp_path, age, healthy):
    import time

    beat = _compose()["services"]["beat"]
    schedule = beat["command"][beat["command"].index("--schedule") + 1]
    test = beat["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    code = test[3]
    assert f"'{schedule}*'" in code  # the file beat writes, with the suffix its dbm module adds
    if age is not None:
        written = tmp_path / "celerybeat-schedule.db"
        written.write_bytes(b"schedule")
        os.utime(written, (time.time() - age, time.time() - age))
    local = code.replace(f"'{schedule}*'", repr(f"{tmp_path}/celerybeat-schedule*"))
    result = subprocess.run([sys.executable, "-c", local], capture_output=True, timeout=30)  # noqa: S603
    assert (result.returncode == 0) is healthy, result.stderr
