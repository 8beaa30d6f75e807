"""`make run`: prepare, migrate, load the demo data and serve the portal with one Celery worker and beat.

Without CELERY_BROKER_URL the worker uses kombu's file-system transport under var/celery/, so no
server of any kind is needed; its folders are made first, before anything (the demo data's mail
included) is queued.  RUN_ADDRESS (default 127.0.0.1:8000) is where runserver listens; SITE_URL, the
address in e-mails, payment return links and the Mollie simulator's endpoint, follows it unless set,
and so does DJANGO_ALLOWED_HOSTS.  The demo data (`seed_demo --spread-years 9`) only ever creates and
ages rows of demo accounts, so a restart changes no other row.  Each child runs in its own process
group, so that stopping this script (Ctrl-C or SIGTERM) also stops runserver's auto-reloading child
and the worker's threads.
"""

import os
import signal
import socket
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


def _reachable_host(host: str) -> str:
    """The host a browser uses for ``host``: for a wildcard address, this machine's outward address."""
    if host not in ("", "0.0.0.0", "::", "[::]"):  # noqa: S104 - comparing, not binding
        return host
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("192.0.2.1", 9))  # TEST-NET: no packet is sent for a UDP connect
            return probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"


def run_environment(environ: dict[str, str]) -> dict[str, str]:
    """The environment of every child: development, and SITE_URL and the allowed hosts after RUN_ADDRESS."""
    # Development, whatever the shell says: the settings default to production (DEBUG off).
    env = {
        **environ,
        "DJANGO_SETTINGS_MODULE": environ.get("DJANGO_SETTINGS_MODULE", "netrex.settings"),
        "DJANGO_DEBUG": "on",
    }
    address = env.setdefault("RUN_ADDRESS", "127.0.0.1:8000")
    host, _, port = address.rpartition(":") if ":" in address else (address, "", "8000")
    reachable = _reachable_host(host)
    env.setdefault("SITE_URL", f"http://{reachable}:{port or '8000'}")
    if "DJANGO_ALLOWED_HOSTS" not in env:
        site_host = env["SITE_URL"].split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
        hosts = dict.fromkeys(["127.0.0.1", "localhost", host.strip("[]") or reachable, reachable, site_host])
        env["DJANGO_ALLOWED_HOSTS"] = ",".join(h for h in hosts if h and h != "0.0.0.0")  # noqa: S104
    return env


def _manage(env: dict[str, str], *arguments: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *arguments], env=env, cwd=ROOT, check=True)  # noqa: S603


def main() -> int:
    for folder in VAR_DIRS:
        (ROOT / "var" / folder).mkdir(parents=True, exist_ok=True)
    env = run_environment(dict(os.environ))
    if env.get("CELERY_QUEUE_DIR"):  # the queue somewhere else: its folders, before anything is queued
        queue = Path(env["CELERY_QUEUE_DIR"])
        for folder in (queue, queue.parent / "processed", queue.parent / "control"):
            folder.mkdir(parents=True, exist_ok=True)
    address = env["RUN_ADDRESS"]
    if "--serve-only" not in sys.argv:
        _manage(env, "migrate", "--no-input")
        _manage(env, "seed_demo", "--spread-years", "9", "--life")
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
    print(
        f"Netrex portal: {env['SITE_URL']}/  (listening on {address}; Ctrl-C stops the web server, the worker "
        "and beat)\n  staff TOTP code for /admin/: DJANGO_DEBUG=on .venv/bin/python manage.py totp_code beheer",
        flush=True,
    )
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
