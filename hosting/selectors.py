"""Reads of the services app: a customer's services, their settings, changes and activity."""

from django.core.paginator import Page, Paginator
from django.http import Http404

from accounts.models import User
from hosting.models import Change, Service, ServiceAddon
from portal.models import Activity

SERVICE_PAGE_SIZE = 20
CHANGE_PAGE_SIZE = 25
ACTIVITY_PAGE_SIZE = 25
RECENT_CHANGES = 10
STAFF_PERMISSION = "services.change_service"


def service_page(*, user: User, page: str | int | None) -> Page:
    return Paginator(Service.objects.for_user(user), SERVICE_PAGE_SIZE).get_page(page)


def service_for(*, user: User, service_id: int) -> Service:
    """The service, if ``user`` owns it or is staff allowed to act on a customer's behalf; else 404."""
    queryset = Service.objects.select_related("user")
    if not user.has_perm(STAFF_PERMISSION):
        queryset = queryset.filter(user=user)
    service = queryset.filter(pk=service_id).first()
    if service is None:
        raise Http404
    return service


def addons_of(*, service: Service) -> list[ServiceAddon]:
    """What was bought for the package, running ones first, then the ended ones (newest first)."""
    return sorted(service.addons.all(), key=lambda addon: (addon.ended_at is not None, addon.started_at, addon.pk))


def changes_recent(*, service: Service, limit: int = RECENT_CHANGES) -> list[Change]:
    return list(service.changes.all()[:limit])


def change_page(*, service: Service, page: str | int | None) -> Page:
    return Paginator(service.changes.all(), CHANGE_PAGE_SIZE).get_page(page)


def service_activity_page(*, service: Service, page: str | int | None) -> Page:
    """The activity-log entries about one service (``detail.service``), newest first, a page at a time."""
    entries = Activity.objects.filter(user_id=service.user_id, detail__service=service.pk).select_related("actor")
    return Paginator(entries, ACTIVITY_PAGE_SIZE).get_page(page)
