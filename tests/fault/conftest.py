"""Fixtures of the fault tests: a Redis of their own to stop and start, and real Celery workers.

The shared Redis on 6379 is never touched: each test module that needs a broker to fail starts a
private ``redis-server`` on a free port.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import redis
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throw-away redis-server on its own port, stoppable and restartable on the same port."""

    def __init__(self) -> None:
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""]
        command += ["--appendonly", "no", "--daemonize", "no"]
        self.process = subprocess.Popen(  # noqa: S603
            command,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def client(self) -> redis.Redis:
        return redis.Redis(port=self.port)


@pytest.fixture
def redis_server():
    server = RedisServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def broker(redis_server, settings):
    """Celery (not eager) and the cache on the private Redis, as in production where both share one."""
    from netrex.celery import app

    keys = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
    previous = {key: app.conf[key] for key in keys}
    settings.CELERY_BROKER_URL = redis_server.url
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": redis_server.url, "KEY_PREFIX": "fault"}}
    url = redis_server.url
    app.conf.update(broker_url=url, broker_write_url=url, broker_read_url=url, task_always_eager=False)
    _reset_pool(app)
    yield redis_server
    app.conf.update(previous)
    _reset_pool(app)


def _reset_pool(app) -> None:
    """Forget the broker connections: kombu's global pools are closed and emptied, so the next
    publish connects afresh to whatever broker the app now names (never a closed pool)."""
    from kombu import pools

    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None


def test_database_url() -> str:
    """The URL of the test database that pytest-django created, for processes started by a test."""
    db = settings.DATABASES["default"]
    host = db.get("HOST") or "127.0.0.1"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{host}:{db.get('PORT') or 5432}/{db['NAME']}"


test_database_url.__test__ = False


class Worker:
    """``celery -A tests.fault.worker_app worker --pool=solo`` on the private Redis and the test database."""

    def __init__(self, broker_url: str, tmp_path: Path, **env: str) -> None:
        self.broker_url = broker_url
        self.tmp_path = tmp_path
        self.env = env
        self.process: subprocess.Popen | None = None
        self.log = tmp_path / f"worker-{time.monotonic_ns()}.log"

    def start(self, **env: str) -> "Worker":
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.fault.worker_settings",
            "DATABASE_URL": test_database_url(),
            "CELERY_BROKER_URL": self.broker_url,
            "REDIS_URL": self.broker_url,
            "FAULT_MAIL_DIR": str(self.tmp_path / "mail"),
            "FAULT_MARKER": str(self.tmp_path / "killed"),
            "DATABASE_POOL_MIN": "1",
            **self.env,
            **env,
        }
        self.log = self.tmp_path / f"worker-{time.monotonic_ns()}.log"
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "tests.fault.worker_app",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
            ],  # fmt: skip
            cwd=ROOT,
            env=environment,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        return self

    def wait_dead(self, timeout: float = 60) -> int:
        return self.process.wait(timeout=timeout)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def output(self) -> str:
        return self.log.read_text() if self.log.exists() else ""


def wait_for(condition, timeout: float = 60, interval: float = 0.2, worker: "Worker | None" = None) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting" + (f"; the worker said:\n{worker.output()}" if worker else ""))
        time.sleep(interval)
