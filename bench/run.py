"""``make bench``: fill a PostgreSQL database to scale, then take every figure of issue 9 side by side.

Environment: ``BENCH_DATABASE_URL`` (default ``postgres://postgres@127.0.0.1:5432/netrex_bench``; it is
dropped and re-created), ``BENCH_SCALE`` (``default`` or ``small``; ``BENCH_CUSTOMERS``,
``BENCH_ORDERS``, ``BENCH_STATS_ROWS`` override its numbers), ``BENCH_SECONDS`` (seconds per page
under load), ``BENCH_CONCURRENCY`` (clients), ``BENCH_REDIS_URL``; for development only,
``BENCH_STEPS`` (some of the steps, e.g. ``pages,recording``) and ``BENCH_REUSE=1`` (no re-create and
fill: the database as the last run left it).  Writes ``var/bench/report.json``, ``var/bench/report.md``
and ``var/bench/latency.svg``.  Timing figures never fail the run; only
errors do (a 5xx, a page that fails, a job that crashes), so it can run in CI as a smoke test.
"""

import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import psycopg

from bench import chart, fill, load, server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/netrex_bench"
HEAVY, SINGLE = 1, 2
PAGES = {
    "minimal": "/bench/minimal/",
    "dashboard": "/",
    "orders": "/orders/",
    "my_data": "/mijn-gegevens/",
    "privacy": "/privacy/",
}
# BEGIN/COMMIT of ATOMIC_REQUESTS: counted by CaptureQueriesContext, reported, but not queries.
TRANSACTION_CONTROL = ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE SAVEPOINT")
CUSTOMER_NAMESPACES = (
    "accounts",
    "orders",
    "rights",
    "consent",
    "payments",
    "subscriptions",
    "credits",
    "services",
    "retention",
    "newsletter",
    "contact",
    "stats",
)


def log(message: str) -> None:
    print(f"[bench {datetime.now(UTC):%H:%M:%S}] {message}", flush=True)


def machine() -> dict:
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kb = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kb = int(line.split()[1])
    with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
        pg = conn.execute("SHOW server_version").fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_gb": round(mem_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "postgresql": pg,
        "kernel": platform.release(),
    }


class Bench:
    def __init__(self) -> None:
        self.url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
        self.scale = fill.scale_from_env()
        self.small = self.scale.name == "small"
        self.seconds = float(os.environ.get("BENCH_SECONDS", "5" if self.small else "12"))
        self.concurrency = int(os.environ.get("BENCH_CONCURRENCY", "8"))
        self.port = server.free_port()
        self.sim_port = server.free_port()
        redis = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
        OUT.mkdir(parents=True, exist_ok=True)
        self.mail_dir = OUT / "mail"
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "REDIS_URL": redis,
            "CELERY_BROKER_URL": redis,
            "CACHE_KEY_PREFIX": "netrex-bench",
            "SITE_URL": f"http://127.0.0.1:{self.port}",
            # Mollie is another server: the portal's simulator served by a gunicorn of its own, so that
            # webhooks that call Mollie never wait for a thread of the server they are being served by.
            "MOLLIE_API_ENDPOINT": f"http://127.0.0.1:{self.sim_port}/mollie-sim",
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "BENCH_MAIL_DIR": str(self.mail_dir),
            "DJANGO_LOG_LEVEL": "WARNING",
        }
        os.environ.update(self.env)
        self.report: dict = {"scale": self.scale.name, "started_at": datetime.now(UTC).isoformat()}
        self.errors: list[str] = []
        self.web = None
        self.sim = None

    # -- set-up -------------------------------------------------------------------------------------
    def prepare(self) -> None:
        if os.environ.get("BENCH_REUSE") == "1":
            # Development only: take the figures again on the database the last run filled (and changed).
            log(f"database {fill.database_name(self.url)}: reused as the last run left it (BENCH_REUSE=1)")
            fill.migrate(self.env)
            self.report["reused_database"] = True
            import django

            django.setup()
            return
        log(f"database {fill.database_name(self.url)}: re-create and migrate")
        started = time.monotonic()
        fill.database_recreate(self.url)
        fill.migrate(self.env)
        log(f"fill: {self.scale}")
        result = fill.fill(self.url, self.scale)
        self.report["fill_seconds"] = round(time.monotonic() - started, 1)
        self.report["rows"] = result["rows"]
        log(f"filled in {self.report['fill_seconds']} s: {result['rows']}")
        import django

        django.setup()

    def start_web(self, stats: str = "on") -> None:
        env = {**self.env, "BENCH_STATS": stats}
        self.web = server.gunicorn(env, self.port, OUT / "gunicorn.log")

    def stop_web(self) -> None:
        server.stop(self.web)
        self.web = None

    def sessions(self, user_ids: list[int]) -> list[str]:
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
        from django.contrib.sessions.backends.db import SessionStore

        from accounts.models import User

        keys = []
        for user in User.objects.filter(pk__in=user_ids):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.create()
            keys.append(session.session_key)
        return keys

    # -- figures ------------------------------------------------------------------------------------
    def pages(self) -> None:
        rng = random.Random(1)
        customers = rng.sample(range(3, self.scale.customers + 1), min(200, self.scale.customers - 2))
        cookies = self.sessions(customers)
        results = {}
        for name, path in PAGES.items():
            load.run("127.0.0.1", self.port, path, cookies=cookies, concurrency=self.concurrency, seconds=1.5)
            result = load.run(
                "127.0.0.1", self.port, path, cookies=cookies, concurrency=self.concurrency, seconds=self.seconds
            )
            results[name] = result
            log(
                f"page {name}: {result['rps']} req/s, p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms, "
                f"statuses {result['statuses']}"
            )
            if result["errors"]:
                self.errors.append(f"page {name}: {result['statuses']}")
        self.report["pages"] = {k: {x: y for x, y in v.items() if x != "latencies_ms"} for k, v in results.items()}
        self.latencies = {k: v["latencies_ms"] for k, v in results.items()}
        minimal = results["minimal"]["rps"] or 1
        self.report["dashboard_vs_minimal"] = round(results["dashboard"]["rps"] / minimal, 3)
        for name in PAGES:
            self.report[f"page_{name}_rps"] = results[name]["rps"]
            self.report[f"page_{name}_p50_ms"] = results[name]["p50_ms"]
            self.report[f"page_{name}_p90_ms"] = results[name]["p90_ms"]
            self.report[f"page_{name}_p99_ms"] = results[name]["p99_ms"]

    def customer_urls(self, user) -> list[tuple[str, str]]:
        from django.urls import URLPattern, URLResolver, get_resolver, reverse

        from orders.models import Order

        objects = {
            ("orders", "pk"): Order.objects.filter(user=user).order_by("-pk").values_list("pk", flat=True).first(),
        }
        for app, model, param in (
            ("subscriptions", "subscriptions.Subscription", "pk"),
            ("services", "services.Service", "service_id"),
            ("rights", "rights.DataExport", "export_id"),
        ):
            from django.apps import apps

            klass = apps.get_model(model)
            objects[(app, param)] = klass.objects.filter(user=user).values_list("pk", flat=True).first()
        urls = []

        def walk(patterns, namespace):
            for entry in patterns:
                if isinstance(entry, URLResolver):
                    walk(entry.url_patterns, entry.namespace or namespace)
                elif isinstance(entry, URLPattern) and entry.name and namespace in CUSTOMER_NAMESPACES:
                    params = list(entry.pattern.converters)
                    kwargs = {}
                    for param in params:
                        value = objects.get((namespace, param))
                        if value is None:
                            break
                        kwargs[param] = value
                    else:
                        name = f"{namespace}:{entry.name}"
                        urls.append((name, reverse(name, kwargs=kwargs)))

        walk(get_resolver().url_patterns, None)
        return sorted(set(urls))

    def queries(self) -> None:
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext

        from accounts.models import User
        from portal import dashboard
        from rights.services import export_request

        counts: dict[str, dict] = {}
        for label, pk in (("1_order", SINGLE), ("5000_orders", HEAVY)):
            user = User.objects.get(pk=pk)
            export_request(user=user)  # so that the export's page is among the detail pages
            client = Client()
            client.force_login(user)
            for name, url in self.customer_urls(user):
                # The page-view buffer is written after every STATS_FLUSH_EVERY views: priced separately.
                with override_settings(STATS_FLUSH_EVERY=10**9, STATS_FLUSH_SECONDS=10**9):
                    client.get(url)  # warm (first-use caches, session row)
                    dashboard.touch(user.pk)  # the dashboard's panels are counted as rendered, not cached
                    with CaptureQueriesContext(connection) as ctx:
                        response = client.get(url)
                entry = counts.setdefault(name, {"url": url})
                statements = [q["sql"] for q in ctx.captured_queries]
                entry[label] = sum(1 for sql in statements if not sql.upper().startswith(TRANSACTION_CONTROL))
                entry[f"{label}_with_transaction_control"] = len(statements)
                entry[f"{label}_status"] = response.status_code
                if response.status_code >= 500:
                    self.errors.append(f"{name} {url}: {response.status_code}")
        pages = {
            k: v for k, v in counts.items() if all(v.get(f"{x}_status") == 200 for x in ("1_order", "5000_orders"))
        }
        self.report["queries"] = counts
        self.report["queries_max"] = max((max(v["1_order"], v["5000_orders"]) for v in pages.values()), default=0)
        self.report["queries_grow"] = sorted(k for k, v in pages.items() if v["5000_orders"] > v["1_order"])
        for name, v in sorted(counts.items()):
            log(
                f"queries {name:38} {v['url']:48} 1 order: {v.get('1_order')} ({v.get('1_order_status')}), "
                f"5000 orders: {v.get('5000_orders')} ({v.get('5000_orders_status')})"
            )

    def job(self, *args: str, appname: str) -> dict:
        env = {**self.env, "PGAPPNAME": appname}
        done = subprocess.run(  # noqa: S603
            [sys.executable, "-m", "bench.jobs", *args], cwd=ROOT, env=env, capture_output=True, text=True
        )
        if done.returncode:
            self.errors.append(f"job {args}: exit {done.returncode}: {done.stderr[-2000:]}")
            log(done.stderr[-2000:])
            return {}
        return json.loads(done.stdout.strip().splitlines()[-1])

    def export(self) -> None:
        heavy = self.job("export", str(HEAVY), appname="bench_export")
        light = self.job("export", str(SINGLE), appname="bench_export")
        from django.db.models import Count

        from accounts.models import User
        from privacy import declarations as registry

        user = User.objects.get(pk=HEAVY)
        emails = registry.user_emails(user)
        rows = sum(d.for_user(user, emails=emails).aggregate(n=Count("pk"))["n"] for d in registry.listed())
        self.report["export"] = {"heavy": heavy, "light": light, "heavy_rows": rows}
        self.report["export_seconds"] = heavy.get("seconds")
        self.report["export_peak_mb"] = heavy.get("peak_mb")
        self.report["export_memory_growth_mb"] = round(
            (heavy.get("peak_mb", 0) - heavy.get("baseline_mb", 0))
            - (light.get("peak_mb", 0) - light.get("baseline_mb", 0)),
            1,
        )
        log(f"export of the heaviest customer ({rows} rows): {heavy}; of a one-order customer: {light}")

    def retention(self) -> None:
        from django.utils import timezone

        from privacy import register as processing_register

        now = timezone.now()
        cutoff = processing_register.rule("profiling_recorded").cutoff(now)
        table = "stats_profilingevent"
        copy = "bench_profiling_copy"
        with psycopg.connect(self.url, autocommit=True) as conn:
            due = conn.execute(f"SELECT count(*) FROM {table} WHERE created_at <= %s", [cutoff]).fetchone()[0]  # noqa: S608
            log(f"retention: {due} expired profiling rows; copying the table for the plain DELETE")
            conn.execute("SET maintenance_work_mem = '512MB'")
            conn.execute(f"DROP TABLE IF EXISTS {copy}")
            # The same columns, constraints and indexes; the indexes built after the rows, which is faster.
            conn.execute(f"CREATE TABLE {copy} (LIKE {table} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
            conn.execute(f"INSERT INTO {copy} SELECT * FROM {table}")  # noqa: S608
            indexes = conn.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = %s", [table])
            for number, (name, definition) in enumerate(indexes.fetchall()):
                # A partitioned table's indexes read "ON ONLY public.<table>": the copy is a plain table.
                definition = definition.replace(f" ON ONLY public.{table} ", f" ON public.{copy} ")
                definition = definition.replace(f" ON public.{table} ", f" ON public.{copy} ")
                conn.execute(definition.replace(f"INDEX {name} ", f"INDEX {copy}_{number} ", 1))
            conn.execute(f"VACUUM ANALYZE {copy}")
            conn.execute(f"VACUUM ANALYZE {table}")
            conn.execute("CHECKPOINT")
            started = time.monotonic()
            deleted = conn.execute(f"DELETE FROM {copy} WHERE created_at <= %s", [cutoff]).rowcount  # noqa: S608
            plain_seconds = time.monotonic() - started
            conn.execute(f"DROP TABLE {copy}")
            conn.execute("CHECKPOINT")
        plain_rate = deleted / plain_seconds if plain_seconds else 0
        log(f"plain DELETE: {deleted} rows in {plain_seconds:.1f} s ({plain_rate:.0f} rows/s)")

        # Idle latency of the portal under a light load, then the same load while the sweep runs.
        cookies = self.sessions(list(range(3, min(self.scale.customers, 50) + 1)))
        light = {"cookies": cookies, "concurrency": 2, "think": 0.02}
        idle = load.run("127.0.0.1", self.port, PAGES["dashboard"], seconds=self.seconds, **light)
        stop = threading.Event()
        during: dict = {}
        longest = [0.0]

        def traffic():
            during.update(load.run("127.0.0.1", self.port, PAGES["dashboard"], seconds=10**6, stop=stop, **light))

        def watch():
            with psycopg.connect(self.url, autocommit=True) as conn:
                while not stop.is_set():
                    row = conn.execute(
                        "SELECT extract(epoch FROM max(clock_timestamp() - xact_start)) FROM pg_stat_activity "
                        "WHERE application_name = 'bench_sweep' AND xact_start IS NOT NULL"
                    ).fetchone()
                    if row and row[0]:
                        longest[0] = max(longest[0], float(row[0]))
                    time.sleep(0.01)

        threads = [threading.Thread(target=traffic), threading.Thread(target=watch)]
        for thread in threads:
            thread.start()
        result = self.job("sweep", appname="bench_sweep")
        stop.set()
        for thread in threads:
            thread.join()
        rate = result.get("deleted", 0) / result["seconds"] if result.get("seconds") else 0
        self.report["retention"] = {
            "due_rows": due,
            "plain_delete_rows": deleted,
            "plain_delete_seconds": round(plain_seconds, 2),
            "sweep": result,
            "idle": {k: v for k, v in idle.items() if k != "latencies_ms"},
            "during_sweep": {k: v for k, v in during.items() if k != "latencies_ms"},
        }
        self.latencies["dashboard idle (light load)"] = idle["latencies_ms"]
        self.latencies["dashboard during sweep"] = during.get("latencies_ms", [])
        self.report["sweep_rows_per_s"] = round(rate)
        self.report["plain_delete_rows_per_s"] = round(plain_rate)
        self.report["sweep_vs_plain_delete"] = round(rate / plain_rate, 3) if plain_rate else None
        self.report["sweep_longest_transaction_s"] = round(longest[0], 3)
        self.report["sweep_longest_batch_ms"] = max((r["longest_batch_ms"] for r in result.get("rules", [])), default=0)
        self.report["sweep_peak_mb"] = result.get("peak_mb")
        self.report["latency_idle_p50_ms"] = idle["p50_ms"]
        self.report["latency_idle_p90_ms"] = idle["p90_ms"]
        self.report["latency_sweep_p50_ms"] = during.get("p50_ms")
        self.report["latency_sweep_p90_ms"] = during.get("p90_ms")
        self.report["latency_sweep_vs_idle_p50"] = (
            round(during.get("p50_ms", 0) / idle["p50_ms"], 3) if idle["p50_ms"] else None
        )
        self.report["latency_sweep_vs_idle_p90"] = (
            round(during.get("p90_ms", 0) / idle["p90_ms"], 3) if idle["p90_ms"] else None
        )
        for figure in (idle, during):
            if figure.get("errors"):
                self.errors.append(f"dashboard during retention: {figure['statuses']}")
        # The sweep's own "now" is a little later than the count's: a few more rows may have fallen due.
        if result.get("errors") or result.get("deleted", 0) < due:
            self.errors.append(
                f"sweep deleted {result.get('deleted')} of {due} due rows, {result.get('errors')} errors"
            )
        log(
            f"sweep: {result.get('deleted')} rows in {result.get('seconds')} s ({rate:.0f} rows/s), longest "
            f"transaction {longest[0]:.3f} s, peak {result.get('peak_mb')} MB; latency p50 idle {idle['p50_ms']} ms, "
            f"during {during.get('p50_ms')} ms"
        )

    def payments(self) -> None:
        import shutil

        from django.utils import timezone

        from credits.models import CreditEntry
        from mollie_sim.models import SimPayment
        from orders.models import Order, Product
        from orders.services import Item, order_pay, order_place
        from payments.models import Payment
        from portal.models import Activity

        real = 100 if not self.small else 40
        product = Product.objects.get(slug="bench-credits-10")
        users = list(
            __import__("accounts.models", fromlist=["User"]).User.objects.filter(pk__gte=3).order_by("pk")[:real]
        )
        orders = []
        for user in users:
            order = order_place(user=user, items=[Item(product=product)], kind=Order.Kind.CREDITS)
            order_pay(order=order)
            orders.append(order.pk)
        payments = list(Payment.objects.filter(object_id__in=orders, kind="order").values_list("mollie_id", flat=True))
        paid, failed = payments[: real * 4 // 5], payments[real * 4 // 5 :]
        now = timezone.now()
        SimPayment.objects.filter(sim_id__in=paid).update(status="paid", paid_at=now, method="ideal")
        SimPayment.objects.filter(sim_id__in=failed).update(status="failed", failed_at=now)
        shutil.rmtree(self.mail_dir, ignore_errors=True)
        self.mail_dir.mkdir(parents=True)
        deliveries = []
        rng = random.Random(7)
        while len(deliveries) < 980:
            deliveries.append(rng.choice(payments))
        deliveries += [f"tr_unknown{i}" for i in range(20)]
        rng.shuffle(deliveries)
        since = timezone.now()
        body = iter(deliveries)
        lock = threading.Lock()

        def request(n):
            with lock:
                mollie_id = next(body, None)
            if mollie_id is None:
                raise StopIteration
            return (
                "POST",
                "/betalingen/webhook/",
                f"id={mollie_id}".encode(),
                {"Content-Type": "application/x-www-form-urlencoded"},
            )

        result = self._deliver(request, len(deliveries))
        activity = Counter(
            Activity.objects.filter(
                created_at__gte=since, action__in=["order_paid", "order_ended", "order_completed"]
            ).values_list("action", flat=True)
        )
        grants = CreditEntry.objects.filter(order_id__in=orders, delta__gt=0).count()
        mails = Counter()
        for path in self.mail_dir.glob("*"):
            if path.is_file():
                for message in path.read_text(errors="replace").split("\n" + "-" * 79):
                    fields = dict(
                        line.split(": ", 1)
                        for line in message.strip().splitlines()
                        if line.startswith(("To: ", "Subject: "))
                    )
                    if fields:
                        mails[(fields.get("To"), fields.get("Subject"))] += 1
        emails = sum(mails.values())
        duplicates = sum(n - 1 for n in mails.values() if n > 1)
        statuses = Counter(Payment.objects.filter(object_id__in=orders, kind="order").values_list("status", flat=True))
        self.report["payments"] = {
            "deliveries": len(deliveries),
            "real_events": len(payments),
            "paid": len(paid),
            "failed": len(failed),
            "http": {k: v for k, v in result.items() if k != "latencies_ms"},
            "transitions": dict(activity),
            "emails": emails,
            "emails_expected": len(payments) + grants,
            "emails_duplicated": duplicates,
            "credit_grants": grants,
            "payment_statuses": dict(statuses),
        }
        transitions = activity["order_paid"] + activity["order_ended"]
        self.report["payments_transitions"] = transitions
        self.report["payments_emails"] = emails
        self.report["payments_credit_grants"] = grants
        self.report["payments_exactly_once"] = (
            transitions == len(payments)
            and grants == len(paid)
            and emails == len(payments) + grants  # a confirmation or failure per event, a notice per grant
            and duplicates == 0
        )
        if result["errors"]:
            self.errors.append(f"webhooks: {result['statuses']}")
        log(
            f"payments: {len(deliveries)} deliveries of {len(payments)} real events -> transitions {dict(activity)}, "
            f"emails {emails}, grants {grants}, http {result['statuses']}"
        )

    def _deliver(self, request, total: int) -> dict:
        import http.client

        latencies, statuses, lock = [], Counter(), threading.Lock()

        def worker():
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
            while True:
                try:
                    method, url, body, headers = request(0)
                except StopIteration:
                    break
                started = time.perf_counter()
                try:
                    conn.request(method, url, body=body, headers=headers)
                    response = conn.getresponse()
                    response.read()
                    code = response.status
                except (OSError, http.client.HTTPException):
                    code = 599
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                with lock:
                    latencies.append(time.perf_counter() - started)
                    statuses[code] += 1
            conn.close()

        started = time.monotonic()
        threads = [threading.Thread(target=worker) for _ in range(16)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return load.summary(latencies, time.monotonic() - started, statuses)

    def recording(self) -> None:
        """Page time with page-view recording on and off, measured in one process, request by request alternately.

        Two test clients, one whose handler was built without ``stats.middleware.PageViewMiddleware``;
        the buffer's writes (every ``STATS_FLUSH_EVERY`` views, after the response) are included.
        """
        from django.conf import settings
        from django.test import Client, override_settings

        from accounts.models import User

        users = list(User.objects.filter(pk__gte=3).order_by("pk")[:20])
        clients = {}
        for state in ("on", "off"):
            middleware = [m for m in settings.MIDDLEWARE if state == "on" or m != "stats.middleware.PageViewMiddleware"]
            with override_settings(MIDDLEWARE=middleware):
                group = []
                for user in users:
                    client = Client()
                    client.force_login(user)
                    client.get(PAGES["dashboard"])  # builds this client's middleware chain now
                    group.append(client)
                clients[state] = group
        times: dict[str, list[float]] = {"on": [], "off": []}
        rounds = 300 if self.small else 3000  # the figure is a difference of a few percent: many rounds
        for n in range(rounds):
            order = ("on", "off") if n % 2 else ("off", "on")
            for state in order:
                client = clients[state][n % len(users)]
                started = time.perf_counter()
                response = client.get(PAGES["dashboard"])
                times[state].append(time.perf_counter() - started)
                if response.status_code != 200:
                    self.errors.append(f"recording {state}: {response.status_code}")
        on = sorted(times["on"])
        off = sorted(times["off"])
        mean_on, mean_off = sum(on) / len(on) * 1000, sum(off) / len(off) * 1000
        median_on, median_off = load.percentile(on, 50) * 1000, load.percentile(off, 50) * 1000
        self.report["recording"] = {
            "requests_each": rounds,
            "mean_ms_on": round(mean_on, 3),
            "mean_ms_off": round(mean_off, 3),
            "median_ms_on": round(median_on, 3),
            "median_ms_off": round(median_off, 3),
        }
        self.report["recording_cost"] = round(mean_on / mean_off - 1, 4) if mean_off else None
        log(
            f"recording: mean page time {mean_on:.2f} ms on, {mean_off:.2f} ms off "
            f"({self.report['recording_cost']:+.1%}); median {median_on:.2f} / {median_off:.2f} ms"
        )

    # -- output -------------------------------------------------------------------------------------
    def targets(self) -> list[tuple[str, bool, str]]:
        r = self.report
        exp = r.get("export", {}).get("heavy", {})
        return [
            (
                "every customer page <= 12 queries, not growing with data",
                r.get("queries_max", 99) <= 12 and not r.get("queries_grow"),
                f"max {r.get('queries_max')}, growing: {r.get('queries_grow') or 'none'}",
            ),
            (
                "dashboard >= 0.5x the minimal view's throughput",
                (r.get("dashboard_vs_minimal") or 0) >= 0.5,
                f"{r.get('dashboard_vs_minimal')}x",
            ),
            (
                "sweep >= 0.8x the plain DELETE rate",
                (r.get("sweep_vs_plain_delete") or 0) >= 0.8,
                f"{r.get('sweep_vs_plain_delete')}x "
                f"({r.get('sweep_rows_per_s')} vs {r.get('plain_delete_rows_per_s')} rows/s)",
            ),
            (
                "sweep never holds a transaction > 1 s",
                (r.get("sweep_longest_transaction_s") or 99) <= 1.0,
                f"{r.get('sweep_longest_transaction_s')} s",
            ),
            ("sweep peak memory < 256 MB", (r.get("sweep_peak_mb") or 999) < 256, f"{r.get('sweep_peak_mb')} MB"),
            (
                "portal latency during the sweep < 1.5x idle",
                (r.get("latency_sweep_vs_idle_p50") or 99) < 1.5,
                f"p50 {r.get('latency_sweep_vs_idle_p50')}x, p90 {r.get('latency_sweep_vs_idle_p90')}x",
            ),
            (
                "heaviest export < 5 s with flat memory",
                (exp.get("seconds") or 99) < 5 and (r.get("export_memory_growth_mb") or 0) < 32,
                f"{exp.get('seconds')} s, peak {exp.get('peak_mb')} MB, "
                f"+{r.get('export_memory_growth_mb')} MB over a one-order export",
            ),
            (
                "exactly one transition, email and grant per real payment event",
                bool(r.get("payments_exactly_once")),
                f"{r.get('payments_transitions')} transitions, {r.get('payments_emails')} emails "
                f"({r.get('payments', {}).get('emails_duplicated')} duplicated), "
                f"{r.get('payments_credit_grants')} grants for {r.get('payments', {}).get('real_events')} events "
                f"({r.get('payments', {}).get('paid')} paid)",
            ),
            (
                "page-view recording < 5% of page time",
                (r.get("recording_cost") if r.get("recording_cost") is not None else 1) < 0.05,
                f"{(r.get('recording_cost') or 0):+.1%}",
            ),
        ]

    def write(self) -> None:
        targets = self.targets()
        self.report["targets"] = {name: {"met": met, "figure": figure} for name, met, figure in targets}
        self.report["targets_met"] = sum(1 for _, met, _ in targets if met)
        self.report["targets_total"] = len(targets)
        self.report["errors"] = self.errors
        self.report["finished_at"] = datetime.now(UTC).isoformat()
        if os.environ.get("BENCH_STEPS") or os.environ.get("BENCH_REUSE") == "1":
            # A partial run never overwrites the report of a whole one.
            (OUT / "partial.json").write_text(json.dumps(self.report, indent=2, default=str))
            print(f"\npartial run ({os.environ.get('BENCH_STEPS') or 'reused database'}): {OUT / 'partial.json'}")
            return
        (OUT / "report.json").write_text(json.dumps(self.report, indent=2, default=str))
        svg = chart.latency_svg(self.latencies)
        (OUT / "latency.svg").write_text(svg)
        (OUT / "report.md").write_text(self.markdown(targets))
        print()
        for name, met, figure in targets:
            print(f"  [{'MET ' if met else 'MISS'}] {name}: {figure}")
        print(f"\n{self.report['targets_met']}/{len(targets)} targets met; report in {OUT / 'report.md'}")

    def markdown(self, targets) -> str:
        r, m = self.report, self.report["machine"]
        lines = [
            "# Benchmark of the Netrex portal",
            "",
            f"Scale `{r['scale']}`: {', '.join(f'{v:,} {k}' for k, v in r['rows'].items())} "
            f"(filled in {r['fill_seconds']} s).",
            f"Machine: {m['cpus']} CPUs ({m['cpu_model']}), {m['memory_gb']} GB RAM, PostgreSQL {m['postgresql']}, "
            f"Python {m['python']}. gunicorn {' '.join(server.GUNICORN_ARGS)}, {self.concurrency} concurrent clients, "
            f"{self.seconds:g} s per page.",
            "",
            "## Targets",
            "",
            "| target | met | figure |",
            "|---|---|---|",
            *[f"| {name} | {'yes' if met else '**no**'} | {figure} |" for name, met, figure in targets],
            "",
            "## Pages under load",
            "",
            "| page | req/s | p50 ms | p90 ms | p99 ms | statuses |",
            "|---|---|---|---|---|---|",
            *[
                f"| {k} | {v['rps']} | {v['p50_ms']} | {v['p90_ms']} | {v['p99_ms']} | {v['statuses']} |"
                for k, v in r["pages"].items()
            ],
            "",
            "![latency distributions](latency.svg)",
            "",
            "## SQL queries per customer page",
            "",
            "| page | url | 1 order | 5,000 orders |",
            "|---|---|---|---|",
            *[
                f"| {k} | `{v['url']}` | {v.get('1_order')} ({v.get('1_order_status')}) | "
                f"{v.get('5000_orders')} ({v.get('5000_orders_status')}) |"
                for k, v in sorted(r["queries"].items())
            ],
            "",
            "## Retention, export, payments, recording",
            "",
            "```json",
            json.dumps({k: r.get(k) for k in ("retention", "export", "payments", "recording")}, indent=2, default=str),
            "```",
            "",
        ]
        if self.errors:
            lines += ["## Errors", "", *[f"- {e}" for e in self.errors], ""]
        return "\n".join(lines)

    def run(self) -> int:
        self.latencies: dict[str, list[float]] = {}
        self.prepare()
        self.report["machine"] = machine()
        self.start_web()
        self.sim = server.gunicorn(self.env, self.sim_port, OUT / "mollie-sim.log")
        try:
            steps = [self.pages, self.queries, self.export, self.payments, self.recording, self.retention]
            if os.environ.get("BENCH_STEPS"):  # development only: some of the figures (BENCH_STEPS=pages,recording)
                wanted = set(os.environ["BENCH_STEPS"].split(","))
                steps = [step for step in steps if step.__name__ in wanted]
            for step in steps:
                log(f"--- {step.__name__}")
                try:
                    step()
                except Exception as exc:  # one failing figure must not hide the others
                    import traceback

                    traceback.print_exc()
                    self.errors.append(f"{step.__name__}: {type(exc).__name__}: {exc}")
        finally:
            self.stop_web()
            server.stop(self.sim)
        self.write()
        if self.errors:
            print("ERRORS:\n  " + "\n  ".join(self.errors))
            return 1
        return 0


def main() -> int:
    return Bench().run()


if __name__ == "__main__":
    sys.exit(main())
