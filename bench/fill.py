"""Create the benchmark database and fill it by COPY: customers, orders, activity, statistics, profiling.

Rows are aged over nine years in the order they would have been written (ids rise with time, as in
production).  Customer 1 is the heaviest (``HEAVY_ORDERS`` orders and as many activity rows, at least
``HEAVY_PROFILING`` profiling rows, a share of every table), customer
2 has exactly one order; the rest of the orders fall on random customers.  Secondary indexes are
dropped during the load and rebuilt after it, and foreign-key triggers are skipped
(``session_replication_role = replica``): the generated keys are valid by construction.
"""

import os
import random
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
HEAVY_ORDERS = 5000  # the heaviest customer (1): its orders, and an activity row for each
HEAVY_PROFILING = 25_000  # ... and at least this many profiling rows
YEARS = 9
CHUNK = 50_000


@dataclass(frozen=True)
class Scale:
    name: str
    customers: int
    orders: int
    stats_rows: int  # statistics (page views) and profiling rows together

    @property
    def pageviews(self) -> int:
        return self.stats_rows // 10

    @property
    def profiling(self) -> int:
        return self.stats_rows - self.pageviews


SCALES = {
    "default": Scale("default", 100_000, 1_000_000, 10_000_000),
    "small": Scale("small", 1_000, 10_000, 100_000),
}


def scale_from_env() -> Scale:
    base = SCALES.get(os.environ.get("BENCH_SCALE", "default") or "default")
    if base is None:
        raise SystemExit(f"BENCH_SCALE must be one of {', '.join(SCALES)}")
    return Scale(
        base.name,
        int(os.environ.get("BENCH_CUSTOMERS", base.customers)),
        max(int(os.environ.get("BENCH_ORDERS", base.orders)), HEAVY_ORDERS + 1),
        int(os.environ.get("BENCH_STATS_ROWS", base.stats_rows)),
    )


def admin_url(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/postgres"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def database_recreate(url: str) -> None:
    name = database_name(url)
    with psycopg.connect(admin_url(url), autocommit=True) as conn:
        for db in (name, name + "_copy"):
            conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [db])
            conn.execute(f'DROP DATABASE IF EXISTS "{db}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def migrate(env: dict) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True
    )


def _ts(value: datetime) -> str:
    return value.isoformat()


class Loader:
    def __init__(self, conn: psycopg.Connection, now: datetime, rng: random.Random) -> None:
        self.conn = conn
        self.now = now
        self.start = now - timedelta(days=365 * YEARS)
        self.span = (now - self.start).total_seconds()
        self.rng = rng
        self.counts: dict[str, int] = {}

    def at(self, fraction: float) -> datetime:
        return self.start + timedelta(seconds=self.span * min(max(fraction, 0.0), 0.999999))

    def copy(self, table: str, columns: list[str], rows) -> int:
        quoted = ", ".join(f'"{c}"' for c in columns)
        sql = f"COPY {table} ({quoted}) FROM STDIN"
        written = 0
        with self.conn.cursor() as cur, cur.copy(sql) as copy:
            block = []
            for row in rows:
                block.append("\t".join(row))
                written += 1
                if len(block) >= CHUNK:
                    copy.write("\n".join(block) + "\n")
                    block = []
            if block:
                copy.write("\n".join(block) + "\n")
        self.counts[table] = self.counts.get(table, 0) + written
        return written


def _secondary_indexes(conn, table: str) -> list[tuple[str, str]]:
    return conn.execute(
        """SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x
           JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
           WHERE t.relname = %s AND NOT x.indisprimary AND NOT x.indisunique""",
        [table],
    ).fetchall()


TABLES = [
    "accounts_user",
    "account_emailaddress",
    "orders_order",
    "orders_orderline",
    "accounts_activity",
    "stats_pageview",
    "stats_profilingevent",
]


def fill(url: str, scale: Scale, *, seed: int = 9) -> dict:
    """Fill an empty, migrated database; returns the row counts and the seconds it took."""
    started = time.monotonic()
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with psycopg.connect(url) as conn:
        conn.execute("SET session_replication_role = replica")
        conn.execute("SET maintenance_work_mem = '256MB'")
        dropped = []
        for table in TABLES:
            for name, definition in _secondary_indexes(conn, table):
                conn.execute(f'DROP INDEX "{name}"')
                dropped.append(definition)
        load = Loader(conn, now, rng)
        product_ids = _products(conn)
        _customers(load, scale)
        _orders(load, scale, product_ids)
        _pageviews(load, scale)
        _profiling(load, scale)
        conn.commit()
        for definition in dropped:
            # A partitioned table's index reads "ON ONLY": built that way it would cover no partition.
            conn.execute(definition.replace(" ON ONLY ", " ON ", 1))
        for table in TABLES:
            conn.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))"  # noqa: S608
            )
        conn.commit()
    with psycopg.connect(url, autocommit=True) as conn:
        for table in TABLES:
            conn.execute(f"VACUUM ANALYZE {table}")
    return {"rows": load.counts, "seconds": round(time.monotonic() - started, 1)}


def _products(conn) -> dict[str, int]:
    rows = [
        ("hosting", "bench-hosting", "Webhosting Basis", "Web hosting basic", "59.88", 0),
        ("credits", "bench-credits-10", "10 credits", "10 credits", "10.00", 10),
    ]
    ids = {}
    for kind, slug, title, title_en, price, credits in rows:
        ids[kind] = conn.execute(
            """INSERT INTO orders_product (kind, slug, title, title_en, description, description_en, price,
                   vat_rate, credits, credit_price, active, position, extensions)
               VALUES (%s, %s, %s, %s, '', '', %s, 21, %s, 0, true, 100, '') RETURNING id""",
            [kind, slug, title, title_en, price, credits],
        ).fetchone()[0]
    return ids


def _customers(load: Loader, scale: Scale) -> None:
    n = scale.customers
    password = "!bench-no-password"  # noqa: S105 - unusable: the bench logs in through sessions it creates

    def users():
        for i in range(1, n + 1):
            joined = _ts(load.at((i - 1) / n * 0.9))
            yield (
                str(i),
                password,
                "false",
                f"c{i}",
                "Klant",
                f"Nummer {i}",
                f"c{i}@bench.netrex.test",
                "false",
                "true",
                joined,
                "",
                f"Straat {i}",
                "1234 AB",
                "Utrecht",
                "NL",
                "",
                "",
                "true",
                "",
                "",
                "",
                "",
                "",
                "",
                "nl",
                "false",
            )

    load.copy(
        "accounts_user",
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
            "nickname",
            "street",
            "postal_code",
            "town",
            "country",
            "phone",
            "gender",
            "billing_same_as_address",
            "billing_name",
            "billing_street",
            "billing_postal_code",
            "billing_town",
            "billing_country",
            "photo",
            "language",
            "is_demo",
        ],
        users(),
    )
    load.copy(
        "account_emailaddress",
        ["id", "email", "verified", "primary", "user_id"],
        ((str(i), f"c{i}@bench.netrex.test", "true", "true", str(i)) for i in range(1, n + 1)),
    )


def order_owner(index: int, scale: Scale, rng: random.Random) -> int:
    """Customer of the ``index``-th order: 1 every so often (HEAVY_ORDERS in all), 2 once, others at random."""
    stride = scale.orders // HEAVY_ORDERS
    if index % stride == 0 and index // stride <= HEAVY_ORDERS:
        return 1
    if index == 1:
        return 2
    return rng.randint(3, max(scale.customers, 3))


def _orders(load: Loader, scale: Scale, product_ids: dict[str, int]) -> None:
    n = scale.orders
    owners = [order_owner(i, scale, load.rng) for i in range(1, n + 1)]

    def orders():
        for i, user in enumerate(owners, start=1):
            created = load.at(0.02 + 0.98 * (i - 1) / n)
            done = _ts(created + timedelta(minutes=5))
            yield (
                str(i),
                "regular",
                "completed",
                "59.88",
                "10.39",
                "0",
                f"Klant Nummer {user}",
                f"Straat {user}",
                "1234 AB",
                "Utrecht",
                "NL",
                f"c{user}@bench.netrex.test",
                "",
                "",
                "192.0.2.1",
                f"B-{i:09d}",
                created.date().isoformat(),
                _ts(created),
                done,
                done,
                "\\N",
                str(user),
            )

    load.copy(
        "orders_order",
        [
            "id",
            "kind",
            "status",
            "total",
            "vat_total",
            "credits_total",
            "invoice_name",
            "invoice_street",
            "invoice_postal_code",
            "invoice_town",
            "invoice_country",
            "invoice_email",
            "invoice_phone",
            "invoice_gender",
            "ip_address",
            "invoice_number",
            "invoice_date",
            "created_at",
            "paid_at",
            "completed_at",
            "ended_at",
            "user_id",
        ],
        orders(),
    )
    hosting = str(product_ids["hosting"])
    load.copy(
        "orders_orderline",
        [
            "id",
            "kind",
            "description",
            "quantity",
            "unit_price",
            "vat_rate",
            "vat",
            "total",
            "domain",
            "order_id",
            "product_id",
            "target_ref",
        ],
        (
            (str(i), "hosting", "Webhosting Basis", "1", "59.88", "21.00", "10.39", "59.88", "", str(i), hosting, "")
            for i in range(1, n + 1)
        ),
    )
    load.copy(
        "accounts_activity",
        ["id", "action", "detail", "ip_address", "created_at", "actor_id", "user_id"],
        (
            (
                str(i),
                "order_placed",
                '{"summary": "Bestelling ' + str(i) + ' € 59.88"}',
                "192.0.2.1",
                _ts(load.at(0.02 + 0.98 * (i - 1) / n)),
                "\\N",
                str(user),
            )
            for i, user in enumerate(owners, start=1)
        ),
    )


def _pageviews(load: Loader, scale: Scale) -> None:
    days = 365 * YEARS
    paths = max(1, scale.pageviews // days)
    first = load.start.date()

    def rows():
        pk = 0
        for d in range(days):
            day = (first + timedelta(days=d)).isoformat()
            for p in range(paths):
                pk += 1
                yield (str(pk), day, f"/pagina/{p}/", str(load.rng.randint(1, 500)))

    load.copy("stats_pageview", ["id", "day", "path", "views"], rows())


def _profiling_partitions(load: Loader) -> None:
    """The monthly partitions of the nine years of profiling rows, as the daily beat task made them in production.

    ``stats_profilingevent`` is partitioned by month of ``created_at`` (``retention/partitions.py``);
    the migration only made the months around today, so without these every older row would land
    in the DEFAULT partition, which production never holds much of (``retention.tasks.partitions_ensure``
    creates each month ahead of time).  Django is not set up yet here: the same DDL by hand.
    """
    from retention.partitions import add_months, bound, month_starts, partition_name

    table = "stats_profilingevent"
    if not load.conn.execute("SELECT 1 FROM pg_partitioned_table WHERE partrelid = %s::regclass", [table]).fetchone():
        return
    for month in month_starts(load.start, load.now):
        load.conn.execute(
            f"CREATE TABLE IF NOT EXISTS {partition_name(table, month)} PARTITION OF {table} "
            f"FOR VALUES FROM ('{bound(month)}') TO ('{bound(add_months(month, 1))}')"
        )


def heavy_profiling_stride(rows: int) -> int:
    """Every how many profiling rows one is the heaviest customer's: one in 200, and at least
    ``HEAVY_PROFILING`` of them whenever there are that many rows."""
    return max(1, min(200, rows // HEAVY_PROFILING))


def _profiling(load: Loader, scale: Scale) -> None:
    n = scale.profiling
    rng = load.rng
    customers = scale.customers
    _profiling_partitions(load)

    stride = heavy_profiling_stride(n)

    def rows():
        for i in range(1, n + 1):
            user = 1 if i % stride == 0 else rng.randint(2, customers)
            yield (
                str(i),
                f"c{user}@bench.netrex.test",
                "192.0.2.7",
                f"/pagina/{i % 300}/",
                _ts(load.at(i / (n + 1))),
                str(user),
            )

    load.copy("stats_profilingevent", ["id", "email", "ip_address", "path", "created_at", "user_id"], rows())
