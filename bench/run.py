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
from unittest import mock

import psycopg

from bench import chart, fill, load, server

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/netrex_bench"
HEAVY, SINGLE = 1, 2
# Each page is measured in this many slices, in turns with as many of the minimal view (``Bench._interleaved``).
SLICES = 3
PAGES = {"minimal": "/bench/minimal/", "dashboard": "/"}
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
    "billing",
)


def _merged(runs: list[dict]) -> dict:
    """One measurement made of several runs of the same requests: their requests over their seconds."""
    statuses: Counter = Counter()
    for run in runs:
        statuses.update({int(code): count for code, count in run["statuses"].items()})
    latencies = [ms / 1000 for run in runs for ms in run["latencies_ms"]]
    return load.summary(latencies, sum(run["seconds"] for run in runs), statuses)


def _mean_of(runs: list[dict]) -> dict:
    """The mean of several measurements of the same page (rate, percentiles)."""
    keys = ("rps", "p50_ms", "p90_ms", "p99_ms")
    return {k: round(sum(run.get(k, 0) for run in runs) / len(runs), 2) if runs else 0 for k in keys}


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
            "CACHE_KEY_PREFIX": f"netrex-bench-{fill.database_name(self.url)}",
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
    def page_urls(self, user_id: int) -> list[tuple[str, str, bool]]:
        """``(name, url, logged in)`` of every customer page measured under load, for ``user_id``'s data."""
        from django.urls import reverse

        from orders.models import Order
        from rights import selectors as rights_selectors

        latest = Order.objects.filter(user_id=user_id).order_by("-created_at", "-pk").values_list("pk", flat=True)
        order = latest.first()
        count = latest.count()
        pages = [
            ("dashboard", reverse("accounts:dashboard"), True),
            ("order list", reverse("orders:list"), True),
            ("order list, last page", reverse("orders:list") + f"?page={max(1, -(-count // 20))}", True),
            ("order detail", reverse("orders:detail", kwargs={"pk": order}), True),
            # The fill writes no payments, so no invoice documents (billing issues them on payment): the list.
            ("invoices", reverse("billing:list"), True),
            ("my data", reverse("rights:my_data"), True),
            ("activity log", reverse("accounts:activity"), True),
            ("services", reverse("services:list"), True),
            ("subscriptions", reverse("subscriptions:list"), True),
            ("credits", reverse("credits:overview"), True),
            ("consents", reverse("consent:consents"), True),
            ("privacy, logged in", reverse("consent:statement"), True),
            ("privacy, anonymous", reverse("consent:statement"), False),
        ]
        for declaration in rights_selectors.registry.listed():
            if not rights_selectors.declaration_is_single(declaration):
                url = reverse("rights:my_data_item", kwargs={"reference": declaration.key})
                pages.append((f"my data: {declaration.key}", url, True))
        return pages

    def _load(self, name: str, urls: list[str], cookies: list[str], seconds: float, *, warm: bool = True) -> dict:
        """``urls[i]`` requested with ``cookies[i]``: each customer asks for its own pages."""

        def request(n: int):
            return "GET", urls[n % len(urls)], None, {}

        options = {"cookies": cookies, "concurrency": self.concurrency}
        if warm:
            self._warm(urls, cookies, seconds)
        result = load.run("127.0.0.1", self.port, request, seconds=seconds, **options)
        if result["errors"] or any(code.startswith("3") for code in result["statuses"]):
            self.errors.append(f"page {name}: {result['statuses']}")
        return result

    def _warm(self, urls: list[str], cookies: list[str], seconds: float) -> None:
        """Every customer's page once (a customer's cached copies are made by their first visit; what that first
        visit costs after a change is the ``writes`` figure), then a moment of load."""

        def request(n: int):
            return "GET", urls[n % len(urls)], None, {}

        options = {"cookies": cookies, "concurrency": self.concurrency}
        load.run("127.0.0.1", self.port, request, seconds=120, limit=max(len(urls), len(cookies)), **options)
        load.run("127.0.0.1", self.port, request, seconds=min(1.5, seconds / 2), **options)

    def _interleaved(self, name: str, urls: list[str], cookies: list[str], seconds: float) -> tuple[dict, dict]:
        """The page and the minimal view (with the same cookies) in turns, ``SLICES`` slices of each.

        Minimal, page, minimal, ..., page, minimal: ``seconds`` of the page in all, and a slow moment of the
        machine (a checkpoint, an autovacuum) falls on both, not on the page alone.  Returns the page's and the
        minimal view's figures, each over all of its slices.
        """
        minimal = [PAGES["minimal"]]
        self._warm(urls, cookies, seconds)
        part = seconds / SLICES
        page_runs, minimal_runs = [], [self._load(f"{name} (minimal)", minimal, cookies, part, warm=False)]
        for _ in range(SLICES):
            page_runs.append(self._load(name, urls, cookies, part, warm=False))
            minimal_runs.append(self._load(f"{name} (minimal)", minimal, cookies, part, warm=False))
        return _merged(page_runs), _merged(minimal_runs)

    def pages(self) -> None:
        """Every customer page for typical customers and for the heaviest one, each against the minimal view.

        The minimal view (logged in or anonymous, as the page is asked, with the same customers' cookies) is
        measured in turns with each page (``_interleaved``), as long as the page, and the page's ratios are over
        those measurements: the machine is shared, and a ratio is only worth as much as the minimal view taken
        at the same moments.  A table's minimal rows are the mean of all its minimal measurements.
        """
        from orders.models import Order

        rng = random.Random(1)
        candidates = rng.sample(range(3, self.scale.customers + 1), min(400, self.scale.customers - 2))
        with_orders = set(Order.objects.filter(user_id__in=candidates).values_list("user_id", flat=True).distinct())
        typical = [pk for pk in candidates if pk in with_orders][:200]
        # The data pages of each kind: many, shorter windows (the smoke run only looks for errors).
        short = self.seconds / 4 if self.small else max(2.0, self.seconds / 4)
        tables = {}
        self.page_latencies: dict[str, dict[str, list[float]]] = {}
        for label, users in (("typical", typical), ("heaviest", [HEAVY] * 8)):
            sessions = self.sessions(sorted(set(users)))
            by_user = dict(zip(sorted(set(users)), sessions, strict=True))
            cookies = [by_user[pk] for pk in users]
            plans = {pk: self.page_urls(pk) for pk in sorted(set(users))}
            minimal_runs: dict[bool, list[dict]] = {True: [], False: []}

            rows = {}
            latencies: dict[str, list[float]] = {}
            for logged_in in (True, False):  # the minimal view's first requests (its processes' first use)
                self._warm([PAGES["minimal"]], cookies if logged_in else [""], 1.0)
            for index, (name, _url, logged_in) in enumerate(plans[users[0]]):
                urls = [plans[pk][index][1] for pk in users]
                seconds = short if name.startswith("my data: ") else self.seconds
                result, base_run = self._interleaved(f"{label} {name}", urls, cookies if logged_in else [""], seconds)
                minimal_runs[logged_in].append(base_run)
                base = {k: base_run[k] for k in ("rps", "p50_ms", "p90_ms", "p99_ms")}
                rows[name] = {
                    **{k: v for k, v in result.items() if k != "latencies_ms"},
                    "logged_in": logged_in,
                    "minimal_rps": base["rps"],
                    "minimal_p99_ms": base["p99_ms"],
                    "vs_minimal": round(result["rps"] / base["rps"], 3) if base["rps"] else None,
                    "p99_vs_minimal": round(result["p99_ms"] / base["p99_ms"], 3) if base["p99_ms"] else None,
                }
                latencies[name] = result["latencies_ms"]
                log(
                    f"{label} {name}: {result['rps']} req/s ({rows[name]['vs_minimal']}x the minimal view's "
                    f"{base['rps']}), p50 {result['p50_ms']} ms, p99 {result['p99_ms']} ms "
                    f"({rows[name]['p99_vs_minimal']}x), statuses {result['statuses']}"
                )
            minimal_table = {kind: _mean_of(runs) for kind, runs in minimal_runs.items()}
            latencies["minimal view"] = [ms for run in minimal_runs[True] for ms in run["latencies_ms"]]
            tables[label] = {"minimal": minimal_table[True], "minimal_anonymous": minimal_table[False], "pages": rows}
            self.page_latencies[label] = latencies
            log(f"{label}: minimal view {minimal_table[True]['rps']} req/s (anonymous {minimal_table[False]['rps']})")
        self.report["page_tables"] = tables
        self.report["page_customers"] = {"typical": len(typical), "heaviest": HEAVY}
        self.latencies["heaviest: minimal view"] = self.page_latencies["heaviest"]["minimal view"]
        for name in ("dashboard", "order list", "my data", "privacy, logged in"):
            self.latencies[f"heaviest: {name}"] = self.page_latencies["heaviest"][name]

    def writes(self) -> None:
        """What a write that renews cached copies costs: placing an order and a consent change, for both customers.

        Each write is timed with the renewal of the copies and, alternately, without it (the renewal
        functions replaced by no-ops), and so is the first page after it, which is made again.
        """
        from django.db import transaction
        from django.test import Client
        from django.urls import reverse

        from accounts.models import User
        from orders.models import Order, Product
        from orders.services import Item, order_place
        from portal import dashboard
        from privacy import register

        product = Product.objects.get(slug="bench-hosting")
        purpose = next(p for p in register.PURPOSES if p.consent_withdrawable and p.id != "P3")
        rounds = 10 if self.small else 40
        result: dict = {}
        originals = {name: getattr(dashboard, name) for name in ("touch", "data_touch")}
        for label, pk in (("typical", 3), ("heaviest", HEAVY)):
            user = User.objects.get(pk=pk)
            client = Client()
            client.force_login(user)
            client.get(reverse("rights:my_data"))
            times: dict[str, list[float]] = {}
            for n in range(rounds * 2):
                renewing = n % 2 == 0
                if not renewing:
                    for name in originals:
                        setattr(dashboard, name, lambda *args, **kwargs: None)
                try:
                    started = time.perf_counter()
                    with transaction.atomic():
                        order = order_place(user=user, items=[Item(product=product)], kind=Order.Kind.REGULAR)
                    placed = time.perf_counter()
                    response = client.post(
                        reverse("consent:consents"), {"purpose": purpose.id, "given": "1" if n % 4 < 2 else "0"}
                    )
                    consented = time.perf_counter()
                finally:
                    for name, function in originals.items():
                        setattr(dashboard, name, function)
                if response.status_code != 302:
                    self.errors.append(f"writes: consent change answered {response.status_code}")
                state = "renewing" if renewing else "not renewing"
                times.setdefault(f"place order, {state}", []).append(placed - started)
                times.setdefault(f"consent change, {state}", []).append(consented - placed)
                if renewing:
                    firsts = (
                        ("dashboard", "accounts:dashboard"),
                        ("order list", "orders:list"),
                        ("my data", "rights:my_data"),
                    )
                    for name, url in firsts:
                        started = time.perf_counter()
                        page = client.get(reverse(url))
                        times.setdefault(f"first {name} after the writes", []).append(time.perf_counter() - started)
                        if page.status_code != 200:
                            self.errors.append(f"writes: {name} answered {page.status_code}")
                Order.objects.filter(pk=order.pk).delete()
            result[label] = {
                name: {
                    "p50_ms": round(load.percentile(sorted(values), 50) * 1000, 2),
                    "p99_ms": round(load.percentile(sorted(values), 99) * 1000, 2),
                    "mean_ms": round(sum(values) / len(values) * 1000, 2),
                }
                for name, values in times.items()
            }
            log(f"writes, {label} customer: {result[label]}")
        self.report["writes"] = result

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
        # Pages whose parameters are not a customer's object: the invoice of an order, each kind of data.
        known = {url for _name, url in urls}
        urls += [
            (name, url)
            for name, url, logged_in in self.page_urls(user.pk)
            if logged_in and "?" not in url and url not in known
        ]
        return sorted(set(urls))

    def queries(self) -> None:
        from django.db import connection
        from django.test import Client, override_settings
        from django.test.utils import CaptureQueriesContext

        from accounts.middleware import UserSessionActivityMiddleware
        from accounts.models import User
        from portal import dashboard
        from rights.services import export_request

        counts: dict[str, dict] = {}
        for label, pk in (("1_order", SINGLE), ("5000_orders", HEAVY)):
            user = User.objects.get(pk=pk)
            export_request(user=user)  # so that the export's page is among the detail pages
            client = Client()
            client.force_login(user)
            urls = self.customer_urls(user)
            # One request as a login's first: allauth records the session (``usersessions``), for the one-order
            # customer as the pages step did for the heaviest, so that "my data"'s page of sessions lists rows for
            # both and the counts compare more data, not rows with none.
            client.get(urls[0][1])
            for name, url in urls:
                # The page-view buffer is written after every STATS_FLUSH_EVERY views, and a session's "last seen"
                # at most once a minute (``UserSessionActivityMiddleware``): both priced separately, not as the
                # page's own queries (either would otherwise fall on whichever page is asked at that moment).
                with (
                    override_settings(STATS_FLUSH_EVERY=10**9, STATS_FLUSH_SECONDS=10**9),
                    mock.patch.object(UserSessionActivityMiddleware, "_due", return_value=False),
                ):
                    client.get(url)  # warm (first-use caches, session row)
                    dashboard.touch(user.pk)  # the dashboard's panels are counted as rendered, not cached
                    with CaptureQueriesContext(connection) as ctx:
                        response = client.get(url)
                entry = counts.setdefault(name, {"url": url})
                statements = [q["sql"] for q in ctx.captured_queries]
                entry[f"{label}_sql"] = [sql[:160] for sql in statements]
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
        # A paid event makes its order paid once; a failed one leaves the order payable (no transition: the
        # customer may pay again) and tells the customer once.
        transitions = activity["order_paid"]
        failed_orders = Payment.objects.filter(mollie_id__in=failed, kind="order").values("object_id")
        still_payable = Order.objects.filter(pk__in=failed_orders, status__in=Order.OPEN_STATES).count()
        self.report["payments"]["failed_orders_still_payable"] = still_payable
        self.report["payments_transitions"] = transitions
        self.report["payments_emails"] = emails
        self.report["payments_credit_grants"] = grants
        self.report["payments_exactly_once"] = (
            transitions == len(paid)
            and activity["order_ended"] == 0
            and still_payable == len(failed)
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
        """Page time with page-view recording on and off, measured in one process, request by request, in turns.

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
        # Which state goes first is drawn (seeded), not alternated: the garbage collector runs every so many
        # allocations, and a fixed pattern of requests locks its runs, some 0.3 ms each, onto one state.
        rng = random.Random(7)
        for n in range(rounds):
            order = ("on", "off") if rng.random() < 0.5 else ("off", "on")
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
            *self.page_targets(),
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
                "exactly one transition, email and grant per real payment event (a failed one leaves it payable)",
                bool(r.get("payments_exactly_once")),
                f"{r.get('payments_transitions')} transitions, {r.get('payments_emails')} emails "
                f"({r.get('payments', {}).get('emails_duplicated')} duplicated), "
                f"{r.get('payments_credit_grants')} grants for {r.get('payments', {}).get('real_events')} events "
                f"({r.get('payments', {}).get('paid')} paid; "
                f"{r.get('payments', {}).get('failed_orders_still_payable')} failed orders still payable)",
            ),
            (
                "page-view recording < 5% of page time",
                (r.get("recording_cost") if r.get("recording_cost") is not None else 1) < 0.05,
                f"{(r.get('recording_cost') or 0):+.1%}",
            ),
        ]

    def page_targets(self) -> list[tuple[str, bool, str]]:
        tables = self.report.get("page_tables", {})
        out = []
        for label in ("typical", "heaviest"):
            rows = tables.get(label, {}).get("pages", {})
            pages = {k: v for k, v in rows.items() if not k.startswith("privacy")}
            privacy = {k: v for k, v in rows.items() if k.startswith("privacy")}
            slowest = min(pages.items(), key=lambda kv: kv[1]["vs_minimal"] or 0, default=(None, {}))
            worst_p99 = max(pages.items(), key=lambda kv: kv[1]["p99_vs_minimal"] or 99, default=(None, {}))
            out += [
                (
                    f"every customer page >= 0.5x the minimal view ({label} customer)",
                    bool(pages) and all((v["vs_minimal"] or 0) >= 0.5 for v in pages.values()),
                    f"slowest: {slowest[0]} {slowest[1].get('vs_minimal')}x"
                    + f"; below: {', '.join(k for k, v in pages.items() if (v['vs_minimal'] or 0) < 0.5) or 'none'}",
                ),
                (
                    f"every customer page's p99 < 4x the minimal view's p99 ({label} customer)",
                    bool(rows) and all((v["p99_vs_minimal"] or 99) < 4 for v in rows.values()),
                    f"highest: {worst_p99[0]} {worst_p99[1].get('p99_vs_minimal')}x"
                    + f"; over: {', '.join(k for k, v in rows.items() if (v['p99_vs_minimal'] or 99) >= 4) or 'none'}",
                ),
                (
                    f"privacy page, anonymous and logged in, >= 0.8x the minimal view ({label} customer)",
                    len(privacy) == 2 and all((v["vs_minimal"] or 0) >= 0.8 for v in privacy.values()),
                    ", ".join(f"{k}: {v['vs_minimal']}x" for k, v in privacy.items()),
                ),
            ]
        return out

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
        heaviest = self.report.get("page_tables", {}).get("heaviest")
        if heaviest:
            rows = {"minimal view": heaviest["minimal"], **heaviest["pages"]}
            (OUT / "heaviest.svg").write_text(chart.percentile_bars_svg(rows, title="The heaviest customer's pages"))
        (OUT / "report.md").write_text(self.markdown(targets))
        print()
        for name, met, figure in targets:
            print(f"  [{'MET ' if met else 'MISS'}] {name}: {figure}")
        print(f"\n{self.report['targets_met']}/{len(targets)} targets met; report in {OUT / 'report.md'}")

    def page_tables_markdown(self) -> list[str]:
        tables = self.report.get("page_tables", {})
        lines: list[str] = []
        for label, title in (("typical", "a typical customer"), ("heaviest", "the heaviest customer")):
            table = tables.get(label)
            if not table:
                continue
            m, a = table["minimal"], table["minimal_anonymous"]
            lines += [
                f"## Pages under load: {title}",
                "",
                "Each page's ratios are against the minimal view measured in turns with it, three slices each "
                "(its req/s and p99 in the last two columns); the minimal rows are the mean of all of them.",
                "",
                "| page | req/s | × minimal | p50 ms | p90 ms | p99 ms | p99 × minimal | statuses | minimal req/s | "
                "minimal p99 ms |",
                "|---|---|---|---|---|---|---|---|---|---|",
                *[
                    f"| minimal view ({kind}) | {x['rps']} | 1 | {x['p50_ms']} | {x['p90_ms']} | {x['p99_ms']} | 1 |"
                    " | | |"
                    for kind, x in (("logged in", m), ("anonymous", a))
                ],
                *[
                    f"| {k} | {v['rps']} | {v['vs_minimal']} | {v['p50_ms']} | {v['p90_ms']} | {v['p99_ms']} | "
                    f"{v['p99_vs_minimal']} | {v['statuses']} | {v.get('minimal_rps')} | {v.get('minimal_p99_ms')} |"
                    for k, v in table["pages"].items()
                ],
                "",
            ]
        if "heaviest" in tables:
            lines += ["![the heaviest customer's pages](heaviest.svg)", "", "![latency distributions](latency.svg)", ""]
        writes = self.report.get("writes")
        if writes:
            lines += [
                "## Writes that renew cached copies",
                "",
                "| customer | write | p50 ms | p99 ms | mean ms |",
                "|---|---|---|---|---|",
                *[
                    f"| {label} | {name} | {v['p50_ms']} | {v['p99_ms']} | {v['mean_ms']} |"
                    for label, rows in writes.items()
                    for name, v in rows.items()
                ],
                "",
            ]
        return lines

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
            *self.page_tables_markdown(),
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
            steps = [self.pages, self.queries, self.writes, self.export, self.payments, self.recording, self.retention]
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
