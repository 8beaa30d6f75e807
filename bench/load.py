"""A small threaded HTTP load generator (http.client, keep-alive), and percentiles."""

import http.client
import math
import threading
import time
from collections import Counter
from collections.abc import Callable


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, math.ceil(p / 100 * len(sorted_values)) - 1))  # nearest rank
    return sorted_values[index]


def summary(latencies: list[float], seconds: float, statuses: Counter) -> dict:
    values = sorted(latencies)
    ms = [v * 1000 for v in values]
    return {
        "requests": len(values),
        "seconds": round(seconds, 2),
        "rps": round(len(values) / seconds, 1) if seconds else 0.0,
        "p50_ms": round(percentile(ms, 50), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "mean_ms": round(sum(ms) / len(ms), 2) if ms else 0.0,
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "errors": sum(v for k, v in statuses.items() if not (200 <= int(k) < 400)),
        "latencies_ms": [round(v, 2) for v in ms],
    }


def run(
    host: str,
    port: int,
    path: str | Callable[[int], tuple[str, str, bytes | None, dict]],
    *,
    cookies: list[str] | None = None,
    concurrency: int = 8,
    seconds: float = 10.0,
    stop: threading.Event | None = None,
    think: float = 0.0,
    limit: int | None = None,
) -> dict:
    """Request ``path`` from ``concurrency`` threads for ``seconds`` (or until ``stop`` is set, or ``limit`` requests).

    ``path`` may be a callable ``(n) -> (method, path, body, headers)`` for mixed traffic; request ``n``
    carries ``cookies[n % len(cookies)]``.
    """
    cookies = cookies or [""]
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()
    deadline = time.monotonic() + seconds
    counter = iter(range(10**12))

    def worker(number: int) -> None:
        conn = http.client.HTTPConnection(host, port, timeout=60)
        mine: list[float] = []
        codes: Counter = Counter()
        while time.monotonic() < deadline and not (stop is not None and stop.is_set()):
            n = next(counter)
            if limit is not None and n >= limit:
                break
            if callable(path):
                method, url, body, headers = path(n)
            else:
                method, url, body, headers = "GET", path, None, {}
            cookie = cookies[n % len(cookies)]
            headers = {**headers}
            if cookie:
                headers["Cookie"] = cookie if "=" in cookie else f"sessionid={cookie}"
            started = time.perf_counter()
            try:
                conn.request(method, url, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                code = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection(host, port, timeout=60)
            except (OSError, http.client.HTTPException):
                code = 599
                conn.close()
                conn = http.client.HTTPConnection(host, port, timeout=60)
            mine.append(time.perf_counter() - started)
            codes[code] += 1
            if think:
                time.sleep(think)
        conn.close()
        with lock:
            latencies.extend(mine)
            statuses.update(codes)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return summary(latencies, time.monotonic() - started, statuses)
