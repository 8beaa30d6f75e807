"""Reads of the accounts app."""

from django.core.paginator import Page, Paginator

from accounts.models import User
from portal.models import Activity

ACTIVITY_PAGE_SIZE = 25


def activity_page(*, user: User, page: str | int | None) -> Page:
    return Paginator(Activity.objects.for_user(user), ACTIVITY_PAGE_SIZE).get_page(page)


def activity_recent(*, user: User, limit: int = 5) -> list[Activity]:
    """The latest entries, for the dashboard (which shows what happened and when, not who did it)."""
    return list(Activity.objects.filter(user=user)[:limit])
