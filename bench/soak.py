"""``make soak``: mixed traffic against gunicorn with a Celery worker and beat running, for SOAK_SECONDS.

Passes when no response is a 5xx (or a connection error) and the resident memory of the web server
and of the worker (each process tree) grows by no more than ``SOAK_MEMORY_BOUND_MB`` (default 64)
between the end of the warm-up (the first fifth of the run) and the last fifth.  The database is
``BENCH_DATABASE_URL`` re-created at ``SOAK_SCALE`` (default ``small``).  Writes
``var/bench/soak.json`` and ``var/bench/soak.md``.
"""

import json
import os
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from datetime import UTC, datetime

from bench import fill, load, server
from bench.run import DEFAULT_URL, OUT, log

MIX = [  # (weight, kind)
    (20, "dashboard"),
    (15, "orders"),
    (10, "order_detail"),
    (10, "my_data"),
    (10, "privacy"),
    (8, "anonymous_home"),
    (5, "contact_form"),
    (5, "healthz"),
    (5, "webhook"),
    (4, "profile"),
    (3, "activity"),
    (2, "export_request"),
    (3, "static"),
]
PATHS = {
    "dashboard": "/",
    "orders": "/bestellingen/",
    "my_data": "/mijn-gegevens/",
    "privacy": "/privacy/",
    "anonymous_home": "/privacy/",
    "contact_form": "/contact/",
    "healthz": "/healthz",
    "profile": "/profiel/",
    "activity": "/activiteit/",
    "static": "/static/css/portal.css",
}


def main() -> int:
    seconds = float(os.environ.get("SOAK_SECONDS", "600"))
    bound = float(os.environ.get("SOAK_MEMORY_BOUND_MB", "64"))
    concurrency = int(os.environ.get("SOAK_CONCURRENCY", "6"))
    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    os.environ.setdefault("BENCH_SCALE", os.environ.get("SOAK_SCALE", "small"))
    scale = fill.scale_from_env()
    port, sim_port = server.free_port(), server.free_port()
    redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "REDIS_URL": redis,
        "CELERY_BROKER_URL": redis,
        "CACHE_KEY_PREFIX": "netrex-soak",
        "SITE_URL": f"http://127.0.0.1:{port}",
        "MOLLIE_API_ENDPOINT": f"http://127.0.0.1:{sim_port}/mollie-sim",
        "BENCH_MAIL_DIR": str(OUT / "soak-mail"),
        "PRIVATE_MEDIA_ROOT": str(OUT / "soak-private"),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    log(f"soak: database {fill.database_name(url)} at scale {scale}")
    fill.database_recreate(url)
    fill.migrate(env)
    fill.fill(url, scale)
    import django

    django.setup()
    from bench.run import Bench

    web = sim = worker = None
    try:
        web = server.gunicorn(env, port, OUT / "soak-gunicorn.log")
        sim = server.gunicorn(env, sim_port, OUT / "soak-mollie-sim.log")
        worker = server.celery(env, OUT / "soak-celery.log", OUT / "soak-celerybeat-schedule")
        users = list(range(3, min(scale.customers, 300) + 1))
        bench = Bench.__new__(Bench)
        cookies = dict(zip(users, bench.sessions(users), strict=True))
        from orders.models import Order

        orders = defaultdict(list)
        for pk, user_id in Order.objects.filter(user_id__in=users).values_list("pk", "user_id")[:20000]:
            orders[user_id].append(pk)
        csrf = _csrf_tokens(port, cookies)
        result = _traffic(port, cookies, orders, csrf, seconds, concurrency, {"web": web, "worker": worker})
    finally:
        for process in (web, sim, worker):
            server.stop(process)
    from rights.models import DataExport

    exports = Counter(DataExport.objects.values_list("status", flat=True))
    result["exports"] = dict(exports)
    growth = result["memory_growth_mb"]
    fivexx = sum(v for k, v in result["statuses"].items() if int(k) >= 500)
    result["five_xx"] = fivexx
    result["memory_bound_mb"] = bound
    result["passed"] = fivexx == 0 and all(g <= bound for g in growth.values())
    result["finished_at"] = datetime.now(UTC).isoformat()
    (OUT / "soak.json").write_text(json.dumps(result, indent=2))
    (OUT / "soak.md").write_text(_markdown(result))
    print(_markdown(result))
    return 0 if result["passed"] else 1


def _csrf_tokens(port: int, cookies: dict[int, str]) -> dict[int, str]:
    import http.client

    tokens = {}
    for user, session in list(cookies.items())[:20]:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/mijn-gegevens/", headers={"Cookie": f"sessionid={session}"})
        response = conn.getresponse()
        response.read()
        for header, value in response.getheaders():
            match = re.match(r"csrftoken=([^;]+)", value) if header.lower() == "set-cookie" else None
            if match:
                tokens[user] = match.group(1)
        conn.close()
    return tokens


def _traffic(port, cookies, orders, csrf, seconds, concurrency, processes) -> dict:
    rng = random.Random(11)
    kinds = [kind for weight, kind in MIX for _ in range(weight)]
    users = list(cookies)
    export_users = list(csrf)
    by_kind: dict[str, Counter] = defaultdict(Counter)
    lock = threading.Lock()
    memory: list[dict] = []
    stop = threading.Event()

    def request(n):
        with lock:
            kind = rng.choice(kinds)
            user = rng.choice(users)
        headers = {"Cookie": f"sessionid={cookies[user]}"}
        if kind == "order_detail":
            pk = orders[user][n % len(orders[user])] if orders.get(user) else None
            path = f"/bestellingen/{pk}/" if pk else "/bestellingen/"
            return "GET", path, None, headers, kind
        if kind == "webhook":
            return (
                "POST",
                "/betalingen/webhook/",
                f"id=tr_soak{n % 50}".encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
                kind,
            )
        if kind == "export_request" and export_users:
            user = export_users[n % len(export_users)]
            token = csrf[user]
            return (
                "POST",
                "/mijn-gegevens/export/",
                b"",
                {
                    "Cookie": f"sessionid={cookies[user]}; csrftoken={token}",
                    "X-CSRFToken": token,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                kind,
            )
        if kind in ("anonymous_home", "contact_form", "healthz", "static"):
            headers = {}
        return "GET", PATHS.get(kind, "/"), None, headers, kind

    kinds_seen: dict[int, str] = {}

    def wrapped(n):
        method, path, body, headers, kind = request(n)
        with lock:
            kinds_seen[n] = kind
        return method, path, body, headers

    def sample():
        started = time.monotonic()
        while not stop.is_set():
            row = {"t": round(time.monotonic() - started, 1)}
            for name, process in processes.items():
                row[name] = round(sum(server.rss_mb(pid) for pid in server.process_tree(process.pid)), 1)
            memory.append(row)
            stop.wait(5)

    sampler = threading.Thread(target=sample)
    sampler.start()
    log(f"soak: {seconds:g} s of mixed traffic, {concurrency} clients")
    result = _run_with_kinds(port, wrapped, kinds_seen, by_kind, concurrency, seconds)
    stop.set()
    sampler.join()
    fifth = max(1, len(memory) // 5)
    growth = {}
    for name in processes:
        early = [row[name] for row in memory[fifth : 2 * fifth]] or [memory[0][name]]
        late = [row[name] for row in memory[-fifth:]]
        growth[name] = round(sum(late) / len(late) - sum(early) / len(early), 1)
    result.update(
        seconds=seconds,
        concurrency=concurrency,
        by_kind={k: dict(v) for k, v in by_kind.items()},
        memory_mb=memory,
        memory_growth_mb=growth,
    )
    return result


def _run_with_kinds(port, wrapped, kinds_seen, by_kind, concurrency, seconds) -> dict:
    """The load generator, with the status of every request counted by kind of traffic."""
    import http.client

    latencies, statuses, lock = [], Counter(), threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**12))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            n = next(counter)
            method, path, body, headers = wrapped(n)
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                code = response.status
            except (OSError, http.client.HTTPException):
                code = 599
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[code] += 1
                by_kind[kinds_seen.pop(n, "?")][str(code)] += 1
            time.sleep(0.01)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    summary = load.summary(latencies, time.monotonic() - started, statuses)
    summary.pop("latencies_ms")
    return summary


def _markdown(r: dict) -> str:
    first, last = (r["memory_mb"][0], r["memory_mb"][-1]) if r["memory_mb"] else ({}, {})
    return "\n".join(
        [
            "# Soak of the Netrex portal",
            "",
            f"{r['seconds']:g} s of mixed traffic, {r['concurrency']} clients, "
            f"gunicorn {' '.join(server.GUNICORN_ARGS)} with a Celery worker and beat running.",
            "",
            f"- result: **{'passed' if r['passed'] else 'FAILED'}**",
            f"- requests: {r['requests']} ({r['rps']} req/s), p50 {r['p50_ms']} ms, p99 {r['p99_ms']} ms",
            f"- statuses: {r['statuses']}; 5xx and connection errors: {r['five_xx']}",
            f"- by kind: {json.dumps(r['by_kind'])}",
            f"- exports built by the worker: {r.get('exports')}",
            f"- memory (MB, process trees): first sample {first}, last sample {last}; growth after warm-up "
            f"{r['memory_growth_mb']} (bound {r['memory_bound_mb']} MB each)",
            "",
        ]
    )


if __name__ == "__main__":
    sys.exit(main())
