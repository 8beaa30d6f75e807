"""A backup restores: scripts/backup.sh and scripts/restore.sh round-trip a migrated database and the private media.

The test plays the disaster of README's "Backups": a scratch PostgreSQL database, migrated like production,
gets a customer whose profile photo lies in the private media; backup.sh saves both; the database is dropped
and created again empty and the media folder emptied; restore.sh brings back the row, the file and the
migration state.  The scratch database is dropped whatever happens.
"""

import json
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = ROOT / "scripts"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432/netrex"


def _url(database: str) -> str:
    """The test run's PostgreSQL server (DATABASE_URL), with another database."""
    parts = urlsplit(os.environ.get("DATABASE_URL", DEFAULT_SERVER))
    return parts._replace(scheme="postgresql", path=f"/{database}", query="").geturl()


def _psql(sql: str, database: str = "postgres") -> str:
    command = ["psql", "--no-psqlrc", "--quiet", "--tuples-only", "--no-align", "--set", "ON_ERROR_STOP=1"]
    result = subprocess.run(  # noqa: S603
        [*command, "--dbname", _url(database), "--command", sql], check=True, capture_output=True, text=True, timeout=60
    )
    return result.stdout.strip()


@pytest.fixture
def scratch_database():
    name = f"netrex_backup_{secrets.token_hex(6)}"
    _psql(f'CREATE DATABASE "{name}"')
    try:
        yield name
    finally:
        _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _environment(database: str, media: Path, side: Path) -> dict[str, str]:
    """Development settings on the scratch database; every side channel (queue, mail) under ``side``."""
    keep = {name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "DATABASE_"))}
    return keep | {
        "DJANGO_SETTINGS_MODULE": "netrex.settings",
        "DJANGO_DEBUG": "on",
        "DATABASE_URL": _url(database),
        "DATABASE_POOL": "off",
        "PRIVATE_MEDIA_ROOT": str(media),
        "CELERY_BROKER_URL": "filesystem://",
        "CELERY_QUEUE_DIR": str(side / "queue"),
        "CELERY_TASK_ALWAYS_EAGER": "on",
        "EMAIL_URL": "",
        "EMAIL_FILE_PATH": str(side / "mail"),
        "CACHE_KEY_PREFIX": "netrex-test",
        "BACKUP_KEEP_DAYS": "30",
    }


def _run(args: list[str], env: dict[str, str], check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # noqa: S603
    if check:
        assert result.returncode == 0, result.stdout + result.stderr
    return result


def _django(env: dict[str, str], *args: str) -> str:
    return _run([sys.executable, "manage.py", *args], env).stdout


WRITE = """
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from accounts.models import User
path = default_storage.save("photos/restore-probe.jpg", ContentFile(bytes.fromhex("{content}")))
User.objects.bulk_create([User(username="restore-probe", email="probe@example.nl", photo=path)])
"""

READ = """
import json
from accounts.models import User
user = User.objects.filter(username="restore-probe").first()
print(json.dumps(user and {"email": user.email, "photo": user.photo.open("rb").read().hex()}))
"""


def test_backup_sh_and_restore_sh_bring_back_the_database_and_the_private_media(scratch_database, tmp_path):
    media, backups = tmp_path / "media", tmp_path / "backups"
    env = _environment(scratch_database, media, tmp_path)
    _django(env, "migrate", "--no-input", "--verbosity", "0")
    content = secrets.token_hex(32)
    _django(env, "shell", "--command", WRITE.format(content=content))
    (backups / "2000-01-01T000000Z").mkdir(parents=True)  # a backup far older than BACKUP_KEEP_DAYS
    (backups / "notes").mkdir()

    _run(["bash", str(SCRIPTS / "backup.sh"), str(backups)], env)

    dated = sorted(path.name for path in backups.iterdir())
    assert "2000-01-01T000000Z" not in dated and "notes" in dated  # only dated backups are pruned
    (backup,) = [backups / name for name in dated if name != "notes"]
    assert {path.name for path in backup.iterdir()} == {"database.dump", "private-media.tar.gz", "SHA256SUMS"}

    # The disaster: the database is gone (created again, empty) and so are the files.
    _psql(f'DROP DATABASE "{scratch_database}" WITH (FORCE)')
    _psql(f'CREATE DATABASE "{scratch_database}"')
    shutil.rmtree(media)
    media.mkdir()
    (media / "written-after-the-backup.txt").write_text("not in the backup")

    refused = _run(["bash", str(SCRIPTS / "restore.sh"), str(backup)], env, check=False)
    assert refused.returncode == 2 and "--yes" in refused.stderr
    assert [path.name for path in media.iterdir()] == ["written-after-the-backup.txt"]  # nothing touched

    _run(["bash", str(SCRIPTS / "restore.sh"), "--yes", str(backup)], env)

    restored = json.loads(_django(env, "shell", "--command", READ).strip().splitlines()[-1])
    assert restored == {"email": "probe@example.nl", "photo": content}
    assert not (media / "written-after-the-backup.txt").exists()  # the folder is the backup's again
    _django(env, "migrate", "--check", "--no-input")  # every migration recorded: the schema is complete


def test_restore_sh_refuses_a_damaged_backup_before_touching_anything(scratch_database, tmp_path):
    media, backups = tmp_path / "media", tmp_path / "backups"
    media.mkdir()
    (media / "proof.txt").write_text("kept")
    env = _environment(scratch_database, media, tmp_path)
    _psql("CREATE TABLE probe (id int); INSERT INTO probe VALUES (1)", scratch_database)
    _run(["bash", str(SCRIPTS / "backup.sh"), str(backups)], env)
    (backup,) = list(backups.iterdir())
    dump = backup / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-64])
    (media / "proof.txt").write_text("changed after the backup")

    result = _run(["bash", str(SCRIPTS / "restore.sh"), "--yes", str(backup)], env, check=False)

    assert result.returncode != 0
    assert "FAILED" in result.stdout + result.stderr
    assert (media / "proof.txt").read_text() == "changed after the backup"
    assert _psql("SELECT count(*) FROM probe", scratch_database) == "1"
