"""Extract the Dutch messages of every app into its own locale/ and the project's into locale/.

Each app keeps its own catalogue, so apps are translated independently of each other.
"""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MANAGE = [sys.executable, str(ROOT / "manage.py"), "makemessages", "-l", "nl", "--no-obsolete", "--no-location"]


def main() -> None:
    apps = sorted(path.parent.parent for path in ROOT.glob("*/locale/nl") if path.parent.parent != ROOT)
    for app in apps:
        subprocess.run([*MANAGE, "--ignore=tests/*"], cwd=app, check=True)  # noqa: S603
    ignores = [f"--ignore={app.name}/*" for app in apps] + ["--ignore=.venv/*", "--ignore=tests/*", "--ignore=var/*"]
    subprocess.run([*MANAGE, *ignores], cwd=ROOT, check=True)  # noqa: S603


if __name__ == "__main__":
    main()
