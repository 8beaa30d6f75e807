"""Serve the portal for `make run`: the web server plus one Celery worker with beat embedded.

Without CELERY_BROKER_URL the worker uses kombu's file-system transport under var/celery/, so no
server of any kind is needed.  Ctrl-C stops everything.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def main() -> int:
    os.chdir(ROOT)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "netrex.settings")}
    address = env.get("RUN_ADDRESS", "127.0.0.1:8000")
    worker = subprocess.Popen(  # noqa: S603
        [str(BIN / "celery"), "-A", "netrex", "worker", "--beat", "--loglevel", "INFO", "--pool", "threads",
         "--concurrency", "4", "--schedule", str(ROOT / "var" / "celerybeat-schedule")],
        env=env,
    )
    # runserver is multi-threaded, so the portal can call its own Mollie simulator without waiting on itself.
    web = subprocess.Popen([str(BIN / "python"), "manage.py", "runserver", address], env=env)  # noqa: S603
    print(f"Netrex portal: http://{address}/  (Ctrl-C stops the web server, the worker and beat)", flush=True)
    try:
        while True:
            for process in (worker, web):
                code = process.poll()
                if code is not None:
                    return code
            try:
                web.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    except KeyboardInterrupt:
        return 0
    finally:
        for process in (web, worker):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in (web, worker):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()


if __name__ == "__main__":
    sys.exit(main())
