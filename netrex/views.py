"""Project-wide views: the health check."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netrex import health
from retention import selectors as retention_selectors


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {"database": health.database_ok(), "broker": health.broker_ok()}
    ok = all(checks.values())
    body = {"status": "ok" if ok else "fail"} | {name: "ok" if up else "fail" for name, up in checks.items()}
    # Informational: a stale retention sweep ("stale") is an alarm for ops, not a reason to take the
    # web process out of the load balancer, so it never turns the answer into a 503.
    body["retention"] = retention_selectors.health()
    return JsonResponse(body, status=200 if ok else 503)
