"""Fixtures shared by every app's tests."""

import shutil

import pytest
from django.conf import settings

# Celery's fixtures (celery_app, celery_worker) for the tests that prove the real queue.
pytest_plugins = ("celery.contrib.pytest",)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium; Playwright never downloads a browser of its own here."""
    return {
        **browser_type_launch_args,
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Every test gets its own private storage folder."""
    location = tmp_path / "private"
    default = {**settings.STORAGES["default"], "OPTIONS": {"location": location}}
    settings.STORAGES = {**settings.STORAGES, "default": default}
    settings.MEDIA_ROOT = location
    from django.core.files.storage import default_storage, storages

    storages._storages.pop("default", None)
    default_storage._setup()
    yield location
    storages._storages.pop("default", None)
    default_storage._setup()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in Dutch: a page requested in English must not leak its language into the next test."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _every_mail_in_netrex_look():
    """Every e-mail any test makes the portal send is multipart text + HTML, signed with the company's details,
    with a Message-ID on the site's domain (portal/email.py): a new sender that skips it fails its own tests.
    Django's own error reports to the engineers (mail_admins) are left as Django makes them."""
    from django.core import mail

    yield
    for message in getattr(mail, "outbox", []):
        if message.subject.startswith(settings.EMAIL_SUBJECT_PREFIX):
            continue  # Django's error report to DJANGO_ADMINS (mail_admins): for the engineers, not a customer
        html = [content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"]
        assert html, f"e-mail {message.subject!r} has no HTML version: send it through portal.email.branded_message"
        assert settings.NETREX_COMPANY_NAME in message.body, f"e-mail {message.subject!r} is not signed"
        assert settings.NETREX_COMPANY_NAME in html[0], f"e-mail {message.subject!r}: HTML without the company"
        assert message.message()["Message-ID"].endswith(f"@{settings.SITE_DOMAIN}>"), message.message()["Message-ID"]


@pytest.fixture(autouse=True)
def _clean_cache():
    """allauth's rate limits live in the cache: no test may inherit another test's attempts."""
    _cache_clear()
    yield
    _cache_clear()


def _cache_clear() -> None:
    from django.core.cache import cache

    prefix = settings.CACHES["default"].get("KEY_PREFIX", "")
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and prefix:
        client = cache._cache.get_client(write=True)
        keys = list(client.scan_iter(f"{prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
    else:
        cache.clear()


@pytest.fixture
def celery_includes():
    """The worker of ``celery_worker`` knows every app's tasks, as the real worker does."""
    from importlib.util import find_spec

    from django.apps import apps

    return [f"{config.name}.tasks" for config in apps.get_app_configs() if find_spec(f"{config.name}.tasks")]


@pytest.fixture
def celery_config():
    """The real broker for tests that start a Celery worker (``celery_worker``)."""
    return {"broker_url": settings.CELERY_BROKER_URL, "task_always_eager": False}


_ROLES_SNAPSHOT: dict[str, list[tuple[str, str]]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Keep the staff roles that data migrations create across the flush of transactional tests.

    A ``transaction=True`` test empties every table when it ends; Django then re-creates content
    types and permissions (post_migrate) but not the groups of the data migrations.  The groups
    and their permissions are snapshotted once here and put back after each such flush.
    """
    from django.contrib.auth.models import Group
    from django.db.models.signals import post_migrate

    with django_db_blocker.unblock():
        for group in Group.objects.prefetch_related("permissions__content_type"):
            _ROLES_SNAPSHOT[group.name] = [(p.content_type.app_label, p.codename) for p in group.permissions.all()]
    post_migrate.connect(_restore_roles, dispatch_uid="tests-restore-roles")
    yield


def _restore_roles(sender, **kwargs) -> None:
    from django.apps import apps
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    last_app = list(apps.get_app_configs())[-1]  # post_migrate runs per app: by the last one, all permissions exist
    if sender.label != last_app.label or Group.objects.exists():
        return
    for name, grants in _ROLES_SNAPSHOT.items():
        group = Group.objects.create(name=name)
        condition = Q(pk__in=[])
        for app_label, codename in grants:
            condition |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(condition))
