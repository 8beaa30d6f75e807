"""Serve the portal for `make run`: the web server plus one Celery worker with beat embedded.

Without CELERY_BROKER_URL the worker uses kombu's file-system transport under var/celery/, so no
server of any kind is needed.  Each child runs in its own process group, so that stopping this
script (Ctrl-C or SIGTERM) also stops runserver's auto-reloading child and the worker's threads.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR_DIRS = ("mail", "celery/queue", "celery/processed", "celery/control", "private")


def _start(command: list[str], env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(command, env=env, cwd=ROOT, start_new_session=True)  # noqa: S603


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + 15
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def main() -> int:
    for folder in VAR_DIRS:
        (ROOT / "var" / folder).mkdir(parents=True, exist_ok=True)
    # Development, whatever the shell says: the settings default to production (DEBUG off).
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "netrex.settings"),
        "DJANGO_DEBUG": "on",
    }
    address = env.get("RUN_ADDRESS", "127.0.0.1:8000")
    worker = _start(
        [
            str(BIN / "celery"),
            "-A",
            "netrex",
            "worker",
            "--beat",
            "--loglevel",
            "INFO",
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "--schedule",
            str(ROOT / "var" / "celerybeat-schedule"),
        ],
        env,
    )
    # runserver is multi-threaded, so the portal can call its own Mollie simulator without waiting on itself.
    web = _start([str(BIN / "python"), "manage.py", "runserver", address], env)
    print(f"Netrex portal: http://{address}/  (Ctrl-C stops the web server, the worker and beat)", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        while True:
            for process in (worker, web):
                if process.poll() is not None:
                    return process.returncode
            time.sleep(1)
    except KeyboardInterrupt:
        return 0
    finally:
        _stop([web, worker])


if __name__ == "__main__":
    sys.exit(main())
