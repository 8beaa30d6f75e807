"""One page per customer for staff: everything the portal holds on them, a short list per kind of row.

The sections are not registered by hand: they follow from what the portal already knows.  Every model
that holds personal data is declared with the lookup from its rows to their customer
(``privacy/declarations.py``), and every model staff work with has a ``ModelAdmin``; a model with both
is a section.  So a new app's rows appear here as soon as they are declared and in the admin, and the
kernel never imports a feature app.

What a viewer sees is what the admin lets them see: a section whose ``ModelAdmin`` denies the viewer
``has_view_permission`` is left out, and its rows are read through the ``ModelAdmin``'s own queryset.
Each section costs one query (its latest rows, with their count as a window over the same filter).
Sections are ordered by the purpose of the register they serve (P1 orders and payments first), so
the page reads like the customer's entry in the processing register.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.db import models
from django.db.models import Count, Window
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from privacy import declarations as registry
from privacy import register as processing_register

LATEST = 5


@dataclass(frozen=True)
class Row:
    label: str
    url: str | None


@dataclass(frozen=True)
class Section:
    """The latest rows of one model that belong to the customer, and where to see them all."""

    key: str
    title: str
    purpose: str
    purpose_name: str
    count: int
    rows: list[Row]
    all_url: str | None


def owned_models(user_model: type[models.Model]) -> list[tuple[type[models.Model], str, ModelAdmin]]:
    """``(model, owner lookup, its ModelAdmin)`` for every admin model whose rows a declaration ties to a customer.

    The customer's own row (``owner="pk"``) is the page itself, not a section.
    """
    found = []
    for model, model_admin in admin.site._registry.items():
        if model is user_model:
            continue
        owners = sorted({d.owner for d in registry.for_model(model) if d.owner and d.owner != "pk"})
        if owners:
            found.append((model, owners[0], model_admin))
    return found


def _purpose_of(model: type[models.Model]) -> str:
    return min((d.purpose for d in registry.for_model(model)), key=lambda purpose: int(purpose.lstrip("P")))


def _purpose_name(purpose_id: str, language: str) -> str:
    purpose = processing_register.purpose(purpose_id)
    return purpose.name_nl if language == "nl" else purpose.name_en


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def sections_for(request: HttpRequest, customer: models.Model, *, language: str, latest: int = LATEST) -> list[Section]:
    """The sections ``request.user`` may view, each with its latest ``latest`` rows of ``customer``."""
    found = []
    for model, owner, model_admin in owned_models(type(customer)):
        if not model_admin.has_view_permission(request):
            continue
        opts = model._meta
        queryset = (
            model_admin.get_queryset(request)
            .filter(**{owner: customer.pk})
            .select_related()
            .annotate(overview_total=Window(Count("pk")))
        )
        if not queryset.ordered:
            queryset = queryset.order_by("-pk")
        rows = list(queryset[:latest])
        change = f"admin:{opts.app_label}_{opts.model_name}_change"
        lookup = f"{owner}__id__exact"
        changelist = _url(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        all_url = None
        if changelist and model_admin.lookup_allowed(lookup, str(customer.pk), request):
            all_url = f"{changelist}?{urlencode({lookup: customer.pk})}"
        purpose = _purpose_of(model)
        found.append(
            Section(
                key=f"{opts.app_label}.{opts.model_name}",
                title=str(opts.verbose_name_plural),
                purpose=purpose,
                purpose_name=_purpose_name(purpose, language),
                count=rows[0].overview_total if rows else 0,
                rows=[Row(str(row), _url(change, row.pk)) for row in rows],
                all_url=all_url,
            )
        )
    return sorted(found, key=lambda section: (int(section.purpose.lstrip("P")), section.title.lower()))
