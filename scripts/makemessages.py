"""Extract the Dutch messages of every app into its own locale/ and the project's into locale/.

Each app (a top-level folder with an ``apps.py``) keeps its own catalogue, so apps are translated
independently of each other.  The project catalogue (``locale/``) holds ``templates/`` and
``netrex/`` only: every other top-level folder (apps, half-written apps, the virtualenv, runtime
files) is ignored.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROJECT_PACKAGE = "netrex"
PROJECT_SOURCES = {PROJECT_PACKAGE, "templates"}
MANAGE = [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "nl", "--no-obsolete", "--no-location"]


def apps() -> list[Path]:
    return sorted(path.parent for path in ROOT.glob("*/apps.py") if path.parent.name != PROJECT_PACKAGE)


def main() -> None:
    for app in apps():
        (app / "locale" / "nl" / "LC_MESSAGES").mkdir(parents=True, exist_ok=True)
        subprocess.run([*MANAGE, "--ignore=tests/*"], cwd=app, check=True)  # noqa: S603
    ignores = [f"--ignore={path.name}" for path in ROOT.iterdir() if path.is_dir() and path.name not in PROJECT_SOURCES]
    ignores += ["--ignore=manage.py", "--ignore=conftest.py"]
    subprocess.run([*MANAGE, *ignores], cwd=ROOT, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
