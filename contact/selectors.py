"""Reads of the contact app: a customer's requests and the messages of a thread."""

from django.core.paginator import Page, Paginator
from django.db.models import Max, QuerySet
from django.db.models.functions import Coalesce

from contact.models import ContactMessage, ContactRequest


def requests_of(*, user) -> QuerySet[ContactRequest]:
    return ContactRequest.objects.filter(user=user).order_by("-created_at", "-id")


def requests_page(*, user, page: str | None) -> Page:
    """A page of the customer's requests, each with the time of its newest message (``last_at``)."""
    queryset = requests_of(user=user).annotate(last_at=Coalesce(Max("messages__created_at"), "created_at"))
    return Paginator(queryset, 10).get_page(page)


def request_of(*, user, pk: int) -> ContactRequest | None:
    """The customer's own request ``pk``; someone else's is ``None`` (the page answers 404)."""
    return ContactRequest.objects.filter(user=user, pk=pk).first()


def thread_of(*, contact_request_id: int) -> list[ContactMessage]:
    """The messages after the opening question, oldest first, with their staff author (one query)."""
    return list(
        ContactMessage.objects.filter(request_id=contact_request_id)
        .select_related("staff")
        .order_by("created_at", "id")
    )


def request_exists(*, pk: int) -> bool:
    return ContactRequest.objects.filter(pk=pk).exists()
