"""Reads of the credits app."""

from django.core.paginator import Page, Paginator

from credits.models import CreditBalance, CreditEntry

PAGE_SIZE = 25


def balance_of(user) -> int:
    return CreditBalance.objects.filter(user=user).values_list("balance", flat=True).first() or 0


def ledger_page(*, user, page) -> Page:
    return Paginator(CreditEntry.objects.filter(user=user), PAGE_SIZE).get_page(page)
