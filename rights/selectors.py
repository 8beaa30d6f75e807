"""Reads of the rights app: "my data" built from the register and the declarations (C38, C39a).

Nothing here knows another app: every purpose, data item, retention clock and recipient comes from
``privacy.register`` and the declarations in each app's ``privacy.py``.  The counts and the first
and last start of every declaration's clock come from one query (a ``UNION ALL`` of one aggregate per
declaration), however much data the customer has and however many apps declare data, and are kept in
the cache until something the declarations hold on the customer changes (``totals_cached``).  The rows
themselves are listed per declaration, a page at a time (``rows_page``).
"""

import datetime
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db import connection, models
from django.db.models import Count, DateTimeField, IntegerField, Max, Min, Q, Value
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import cached_copies, dashboard
from privacy import declarations as registry
from privacy import register
from privacy.declarations import Declaration
from rights.models import DataExport, RightsRequest

ROWS_PAGE_SIZE = 25


@dataclass
class Item:
    """One declaration's data about the customer, and when it goes."""

    declaration: Declaration
    label: str
    count: int
    values: list[tuple[str, Any]] = field(default_factory=list)
    first_expiry: datetime.datetime | None = None
    last_expiry: datetime.datetime | None = None
    waiting: int = 0
    waiting_text: str = ""
    until_text: str = ""
    editable: bool = False

    @property
    def single(self) -> bool:
        return declaration_is_single(self.declaration)

    @property
    def reference(self) -> str:
        return self.declaration.key


@dataclass
class PurposeData:
    purpose: register.Purpose
    items: list[Item]

    @property
    def count(self) -> int:
        return sum(item.count for item in self.items)


@dataclass
class TimelineBar:
    label: str
    y: int
    width: int
    extra_width: int
    text_date: str
    waiting: bool


def declaration_is_single(declaration: Declaration) -> bool:
    """The declaration of the account itself: one row, shown value by value."""
    return declaration.owner == "pk"


def declaration_label(declaration: Declaration) -> str:
    if declaration.label:
        return _(declaration.label)
    return str(declaration.model._meta.verbose_name_plural).capitalize()


def until_text(declaration: Declaration) -> str:
    """When the rows of a declaration without a clock go: at once on its ``until`` event."""
    return _("as soon as %(event)s") % {"event": str(registry.erased_on(declaration).label)}


def _display(model: type[models.Model], name: str, value: Any) -> Any:
    model_field = model._meta.get_field(name)
    if value in (None, ""):
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(model_field, models.FileField):
        return _("yes, stored")
    if isinstance(model_field, models.BooleanField):
        return _("yes") if value else _("no")
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        return dict(choices).get(value, value)
    return value


def _field_label(model: type[models.Model], name: str) -> str:
    return str(model._meta.get_field(name).verbose_name).capitalize()


def _row_text(declaration: Declaration, row: dict) -> str:
    parts = [str(_display(declaration.model, name, row[name])) for name in declaration.fields[:4]]
    return " · ".join(part for part in parts if part) or f"#{row['pk']}"


def retention_for(declaration: Declaration) -> tuple[register.Rule | None, str | None]:
    """The rule and clock that delete the rows of a listed declaration: ``privacy.declarations.lifetime``."""
    return registry.lifetime(declaration)


def _totals_query(index: int, declaration: Declaration, user, emails: list[str]):
    """One row ``(index, n, first, last, waiting)``: an aggregate without GROUP BY, so also for no rows."""
    queryset = declaration.for_user(user, emails=emails).order_by()
    rule, clock = retention_for(declaration)
    if rule is None:
        # Aggregates of a typed NULL: a UNION needs the column's type, and only aggregates keep GROUP BY out.
        none = Cast(Value(None), output_field=DateTimeField())
        aggregates = {"n": Count("pk"), "first": Max(none), "last": Max(none), "waiting": Count(none)}
    else:
        aggregates = {
            "n": Count("pk"),
            "first": Min(clock),
            "last": Max(clock),
            "waiting": Count("pk", filter=Q(**{f"{clock}__isnull": True})),
        }
    return (
        queryset.values(index=Value(index, output_field=IntegerField()))
        .annotate(**aggregates)
        .values_list("index", "n", "first", "last", "waiting")
    )


def totals_for(declarations: list[Declaration], user, emails: list[str]) -> dict[int, dict]:
    """Count and clock range of every declaration, by its index in ``declarations``, in one query."""
    if not declarations:
        return {}
    if connection.vendor == "postgresql":
        sql, params = _totals_sql(declarations, len(emails))
        values = {_SENTINEL_PK: user.pk, **dict(zip(_sentinel_emails(len(emails)), emails, strict=True))}
        with connection.cursor() as cursor:
            cursor.execute(sql, [values.get(param, param) if _is_sentinel(param) else param for param in params])
            rows = cursor.fetchall()
    else:
        rows = _totals_union(declarations, user, emails)
    return {
        index: {"n": n or 0, "first": first, "last": last, "waiting": waiting or 0}
        for index, n, first, last, waiting in rows
    }


def _totals_union(declarations, user, emails: list[str]):
    parts = [_totals_query(index, declaration, user, emails) for index, declaration in enumerate(declarations)]
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


# Building the union of some forty aggregates through the ORM costs more than running it: its SQL is
# compiled once per process and number of email addresses, for a stand-in customer whose id and
# addresses cannot occur, and each page fills in the real ones.
_SENTINEL_PK = -7_391_157_331


def _sentinel_emails(count: int) -> list[str]:
    return [f"sentinel-{n}@my-data.invalid" for n in range(count)]


def _is_sentinel(param) -> bool:
    return (type(param) is int and param == _SENTINEL_PK) or (
        isinstance(param, str) and param.endswith("@my-data.invalid")
    )


_totals_sql_cache: dict[tuple, tuple[tuple, str, tuple]] = {}


def _totals_sql(declarations: list[Declaration], email_count: int) -> tuple[str, tuple]:
    # Keyed by the declarations' identities; the entry holds the declarations themselves, so no id
    # can be reused by another object while it is cached.
    key = (tuple(id(declaration) for declaration in declarations), email_count)
    entry = _totals_sql_cache.get(key)
    if entry is None:
        stand_in = SimpleNamespace(pk=_SENTINEL_PK)
        union = _totals_union(declarations, stand_in, _sentinel_emails(email_count))
        entry = _totals_sql_cache[key] = (tuple(declarations), *union.query.sql_with_params())
    return entry[1], entry[2]


def item_for(declaration: Declaration, user, emails: list[str], totals: dict | None = None) -> Item:
    """``totals``: this declaration's row of ``totals_for`` (computed here when not given)."""
    rule, clock = retention_for(declaration)
    item = Item(declaration=declaration, label=declaration_label(declaration), count=0)
    item.editable = declaration.model is type(user)
    if declaration_is_single(declaration):
        row = declaration.for_user(user, emails=emails).values(*declaration.fields).first()
        if row is not None:
            item.count = 1
            item.values = [
                (_field_label(declaration.model, name), _display(declaration.model, name, row[name]))
                for name in declaration.fields
            ]
    if rule is not None:
        if totals is None:
            totals = declaration.for_user(user, emails=emails).aggregate(
                n=Count("pk"),
                first=Min(clock),
                last=Max(clock),
                waiting=Count("pk", filter=Q(**{f"{clock}__isnull": True})),
            )
        item.count = totals["n"]
        item.first_expiry = rule.expires(totals["first"])
        item.last_expiry = rule.expires(totals["last"])
        item.waiting = totals["waiting"]
        if item.waiting:
            item.waiting_text = rule.when_text()
    else:
        if not declaration_is_single(declaration):
            item.count = totals["n"] if totals is not None else declaration.for_user(user, emails=emails).count()
        item.until_text = until_text(declaration)
    return item


# The totals of "my data" are kept per customer (``portal.dashboard.register_data_copy``) and made again
# when anything the declarations hold on them changes (``portal.dashboard.data_generation_keys``).
MY_DATA_COPY = "my-data-totals"
MY_DATA_CACHE_SECONDS = 600


def totals_cached(*, user, emails: list[str]) -> dict[str, dict]:
    """``totals_for`` every listed declaration, by declaration key: kept in the cache until the data changes.

    The copy holds only counts and dates; it records the addresses it was counted for and is made again
    when they differ.  When the cache cannot be reached, the totals are counted every time.
    """
    declarations = registry.listed()

    def make() -> tuple[tuple[str, ...], dict[str, dict]]:
        totals = totals_for(declarations, user, emails)
        return tuple(emails), {d.key: totals[i] for i, d in enumerate(declarations) if i in totals}

    key = dashboard.data_copy_key(MY_DATA_COPY, user.pk)
    generations = dashboard.data_generation_keys(user.pk)
    counted_for, totals = cached_copies.get_or_make(key, generations, make, MY_DATA_CACHE_SECONDS)
    if list(counted_for) != list(emails):
        cached_copies.delete(key)
        counted_for, totals = cached_copies.get_or_make(key, generations, make, MY_DATA_CACHE_SECONDS)
    return totals


def my_data_copy_name(language: str) -> str:
    """The rendered page of "my data" in ``language`` (``rights.views.my_data_view``)."""
    return f"my-data-html-{language}"


# Registered when the app is ready (``RightsConfig.ready`` imports this module), in every process:
# a closure in a worker drops the copies too.
dashboard.register_data_copy(MY_DATA_COPY)
for _language, _name in settings.LANGUAGES:
    dashboard.register_data_copy(my_data_copy_name(_language))


def my_data(*, user) -> list[PurposeData]:
    """Per purpose of the register, what we hold on ``user`` now and when each piece is deleted."""
    emails = registry.user_emails(user)
    by_purpose: dict[str, list[Item]] = {}
    declarations = registry.listed()
    totals = totals_cached(user=user, emails=emails)
    for declaration in declarations:
        item = item_for(declaration, user, emails, totals.get(declaration.key))
        if item.count:
            by_purpose.setdefault(declaration.purpose, []).append(item)
    return [PurposeData(purpose=p, items=by_purpose[p.id]) for p in register.PURPOSES if p.id in by_purpose]


def listed_declaration(reference: str) -> Declaration | None:
    """The listed declaration whose rows "my data" shows on a page of their own, by its key."""
    for declaration in registry.listed():
        if declaration.key == reference and not declaration_is_single(declaration):
            return declaration
    return None


class CountedPaginator(Paginator):
    """A paginator told its count (the cached total of "my data"): no ``COUNT(*)`` over the customer's rows."""

    def __init__(self, object_list, per_page, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        if count is not None:
            self.__dict__["count"] = count  # the cached_property's own slot


def rows_page(
    *,
    user,
    declaration: Declaration,
    page: str | int | None,
    emails: list[str] | None = None,
    count: int | None = None,
) -> tuple[Page, list[str]]:
    """One page of the customer's rows of ``declaration``, newest first, each as one line of text.

    ``count``: how many rows there are, when known (from ``totals_cached``).
    """
    emails = registry.user_emails(user) if emails is None else emails
    queryset = declaration.for_user(user, emails=emails).order_by("-pk")
    if declaration.describe is not None:
        # describe() may follow foreign keys: fetch the non-null ones in the same query
        page_obj = CountedPaginator(queryset.select_related(), ROWS_PAGE_SIZE, count=count).get_page(page)
        return page_obj, [declaration.describe(row) for row in page_obj]
    page_obj = CountedPaginator(queryset.values("pk", *declaration.fields), ROWS_PAGE_SIZE, count=count).get_page(page)
    return page_obj, [_row_text(declaration, row) for row in page_obj]


def field_labels(declaration: Declaration) -> list[str]:
    return [_field_label(declaration.model, name) for name in declaration.fields]


def timeline(purposes: list[PurposeData], now: datetime.datetime, width: int = 600, row_height: int = 28):
    """Bars from today to each deletion date, on one scale; items still waiting for their event are dashed.

    The dated bars use ``width`` less room for the date written after them.
    """
    items = [item for data in purposes for item in data.items]
    dated = [item.last_expiry for item in items if item.last_expiry]
    end = max([*dated, now + datetime.timedelta(days=365)])
    span = (end - now).total_seconds() or 1.0
    scale = width - 170
    bars = []
    for item in items:
        if item.last_expiry:
            first = max(0.0, (item.first_expiry - now).total_seconds())
            last = max(0.0, (item.last_expiry - now).total_seconds())
            start_width = max(2, round(first / span * scale))
            bars.append(
                TimelineBar(
                    label=item.label,
                    y=len(bars) * row_height,
                    width=start_width,
                    extra_width=max(0, round(last / span * scale) - start_width),
                    text_date=timezone.localtime(item.first_expiry).date().isoformat()
                    + (
                        ""
                        if item.first_expiry == item.last_expiry
                        else f" – {timezone.localtime(item.last_expiry).date().isoformat()}"
                    ),
                    waiting=False,
                )
            )
        elif item.waiting or item.until_text:
            bars.append(
                TimelineBar(
                    label=item.label,
                    y=len(bars) * row_height,
                    width=width,
                    extra_width=0,
                    text_date=item.waiting_text or item.until_text,
                    waiting=True,
                )
            )
    return {
        "bars": bars,
        "height": len(bars) * row_height,
        "width": width,
        "scale": scale,
        "row_height": row_height,
        "end": timezone.localtime(end).date(),
    }


def exports_recent(*, user, limit: int = 5) -> list[DataExport]:
    return list(DataExport.objects.filter(user=user).order_by("-created_at")[:limit])


def requests_recent(*, user, limit: int = 5) -> list[RightsRequest]:
    return list(RightsRequest.objects.filter(user=user).order_by("-received_at")[:limit])
