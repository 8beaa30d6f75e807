"""Reads of the contact app."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from contact.models import ContactRequest


def requests_of(*, user) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(user=user).order_by("-created_at", "-id")


def requests_page(*, user, page: str | None) -> Page:
    return Paginator(requests_of(user=user), 10).get_page(page)


def request_exists(*, pk: int) -> bool:
    return ContactRequest.objects.filter(pk=pk).exists()
