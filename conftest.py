"""Fixtures shared by every app's tests."""

import shutil

import pytest
from django.conf import settings


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
    settings.STORAGES = {**settings.STORAGES, "default": {**settings.STORAGES["default"], "OPTIONS": {"location": location}}}
    settings.MEDIA_ROOT = location
    from django.core.files.storage import default_storage, storages

    storages._storages.pop("default", None)
    default_storage._setup()
    yield location
    storages._storages.pop("default", None)
    default_storage._setup()


@pytest.fixture
def celery_config():
    """The real broker for tests that start a Celery worker (``celery_worker``)."""
    return {"broker_url": settings.CELERY_BROKER_URL, "task_always_eager": False}
