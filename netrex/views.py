"""Project-wide views: liveness (``/healthz``) and readiness (``/readyz``), both bounded in time (``netrex.health``)."""

from django.db import transaction
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from netrex import health


@transaction.non_atomic_requests
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: 200 whenever the process serves, whatever state its dependencies are in."""
    return JsonResponse(health.liveness())


@transaction.non_atomic_requests
@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Readiness: 503 while the database, the cache's Redis or the broker does not answer in time; 200 otherwise,
    ``"status": "degraded"`` while the retention sweep is stale or failing."""
    ready, body = health.readiness()
    return JsonResponse(body, status=200 if ready else 503)
