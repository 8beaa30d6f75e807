"""Jobs the bench runs in their own process so that their peak memory is theirs alone.

``python -m bench.jobs sweep``: the retention sweep of the profiling rule; ``python -m bench.jobs
export <user id>``: the full export of one customer into a temporary file.  Each prints one JSON
line: what it did, the seconds it took, and the process's peak resident memory (``ru_maxrss``)
before and after the work (``baseline_mb``: Django loaded, nothing done yet).
"""

import json
import os
import resource
import sys
import tempfile
import time

import django


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sweep() -> dict:
    from retention.engine import sweep as retention_sweep

    rules = os.environ.get("BENCH_SWEEP_RULES", "profiling_recorded").split(",")
    baseline = _maxrss_mb()
    started = time.monotonic()
    report = retention_sweep(rules=rules)
    seconds = time.monotonic() - started
    rules_out = [{**r.as_dict(), "batches": r.batches, "longest_batch_ms": r.longest_batch_ms} for r in report.rules]
    return {
        "status": report.run.status,
        "deleted": sum(r.deleted for r in report.rules),
        "anonymised": sum(r.anonymised for r in report.rules),
        "errors": sum(r.errors for r in report.rules),
        "rules": rules_out,
        "seconds": round(seconds, 3),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_maxrss_mb(), 1),
    }


def export(user_id: int) -> dict:
    from accounts.models import User
    from rights.services import export_write

    user = User.objects.get(pk=user_id)
    baseline = _maxrss_mb()
    started = time.monotonic()
    with tempfile.TemporaryFile() as target:
        export_write(user=user, target=target)
        size = target.tell()
    seconds = time.monotonic() - started
    return {
        "user": user_id,
        "bytes": size,
        "seconds": round(seconds, 3),
        "baseline_mb": round(baseline, 1),
        "peak_mb": round(_maxrss_mb(), 1),
    }


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    if argv[0] == "sweep":
        result = sweep()
    elif argv[0] == "export":
        result = export(int(argv[1]))
    else:
        raise SystemExit(f"unknown job {argv[0]}")
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
