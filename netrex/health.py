"""Health checks, each bounded in time: a dependency that does not answer within ``BUDGET`` seconds has failed.

Every client has connect and read timeouts of its own (the Redis ones in settings); on top of that each
check runs in a thread of its own and is given up after ``BUDGET`` seconds, so a probe never holds a web
thread longer than that, whatever hangs.  A check still running from an earlier probe is waited for again
rather than started twice: a hung dependency ties up one thread per check, not one per probe.

``liveness`` (``/healthz``) only says that the process serves; ``readiness`` (``/readyz``) says whether it can
do its work.  Both name states only: no host names, versions, counts or errors.  Both report the retention sweep
(``retention.selectors.sweep_health``): ``ok``, ``never-run`` (a fresh installation waiting for its first sweep),
``stale``, ``failed``, or ``unknown`` while the database does not answer.
"""

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.cache import caches
from django.db import connection, connections

from netrex.celery import app

BUDGET = 2.0
# Liveness waits this long at most for the database before it reports the retention sweep as "unknown".
LIVENESS_BUDGET = 0.5

_running: dict[str, Future] = {}
_lock = threading.Lock()


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        return False


def cache_ok() -> bool:
    """The cache's Redis answers a PING (the cache itself fails open, so only a direct question tells)."""
    backend = caches["default"]
    try:
        if hasattr(backend, "ping"):
            return backend.ping()
        backend.set("healthz", "ok", 10)
        return backend.get("healthz") == "ok"
    except Exception:
        return False


def broker_ok() -> bool:
    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=0, timeout=BUDGET)
        return True
    except Exception:
        return False


def run(checks: dict[str, Callable[[], bool]], budget: float = BUDGET) -> dict[str, bool]:
    """Run ``checks`` side by side, each in its own thread; one that has not answered within ``budget`` failed."""
    deadline = time.monotonic() + budget
    with _lock:
        futures = {name: _running.get(name) or _start(name, check) for name, check in checks.items()}
    results = {}
    for name, future in futures.items():
        try:
            results[name] = future.result(timeout=max(0.0, deadline - time.monotonic())) is True
        except FutureTimeout:
            results[name] = False
    return results


def _start(name: str, check: Callable[[], bool]) -> Future:
    future: Future = Future()

    def work() -> None:
        try:
            future.set_result(check())
        except Exception:
            future.set_result(False)
        finally:
            connections.close_all()  # this thread's database connection (back to the pool, if any)
            with _lock:
                if _running.get(name) is future:
                    del _running[name]

    _running[name] = future
    threading.Thread(target=work, name=f"health-{name}", daemon=True).start()
    return future


def _retention(database_up: bool) -> str:
    """The retention sweep's freshness, read only from a database that just answered within the budget."""
    from retention import selectors as retention_selectors

    return retention_selectors.health() if database_up else "unknown"


def liveness() -> dict[str, str]:
    """The process serves.  The retention sweep's freshness, which ops watch here, is informational."""
    database_up = run({"database": database_ok}, budget=LIVENESS_BUDGET)["database"]
    return {"status": "ok", "retention": _retention(database_up)}


# Retention states that make a ready process "degraded": an alarm for ops (and a monitor), not for the load balancer.
DEGRADED_RETENTION = {"stale", "failed"}


def readiness() -> tuple[bool, dict[str, str]]:
    """Whether the database, the cache's Redis and the task broker each answer within the budget.

    A stale or failing retention sweep is an alarm for ops, not a reason to take the process out of the load
    balancer: the answer stays ready (200) with ``"status": "degraded"``; only a dependency that is down makes it
    ``"fail"`` (503).
    """
    checks = run({"database": database_ok, "cache": cache_ok, "broker": broker_ok})
    ready = all(checks.values())
    retention = _retention(checks["database"])
    status = "fail" if not ready else "degraded" if retention in DEGRADED_RETENTION else "ok"
    body = {"status": status} | {name: "ok" if up else "fail" for name, up in checks.items()}
    body["retention"] = retention
    return ready, body
