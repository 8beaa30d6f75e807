"""Personal-data declarations: what each model holds, for which purpose, and how to find, export and erase it.

Each app states its declarations in its own ``privacy.py`` and calls ``register``; the consent app
collects them at start-up the way the admin collects ``admin.py``.  The retention sweep, account
closure, "my data" and the export are all built from these declarations, so a new model is covered
by every one of them as soon as it is declared.

A declaration names:

- ``purpose``: the register's purpose (``"P1"`` .. ``"P10"``);
- ``fields``: the model's personal fields (what the export writes and what anonymisation blanks);
- ``owner``: the lookup from the model to the user (``"user"``, ``"order__user"``), or ``None``;
- ``email_field``: the lookup to the email address, for people without an account;
- ``rule`` and ``clock``: the register's retention rule and the timestamp field (a lookup) its clock
  starts from; a declaration without a rule is only erased with the account;
- ``erase``: what the retention sweep does with a due row: ``DELETE``, or ``ANONYMISE`` (blank
  ``fields`` with ``anonymous_values`` and keep the row);
- ``on_closure``: what account closure does: ``DELETE``, ``ANONYMISE``, or ``DETACH`` (keep the row
  and its fiscal snapshot, cut the link to the account: ``detach_field`` set to ``None``, the
  snapshot fields stay until the row's own clock runs out);
- ``files``: file fields whose files are deleted once the erasing transaction commits;
- ``export``: an optional function ``(queryset) -> iterable of dicts`` when the plain field values
  are not the right export;
- ``describe``: an optional function ``(row) -> str`` for "my data";
- ``extra_filter``: narrows the rows the declaration covers (for example "never confirmed");
- ``listed``: ``False`` for a declaration that only exists to sweep a subset of rows another
  declaration already shows and exports;
- ``closure_blank``: personal fields of a row that closure keeps (``DETACH`` or ``KEEP``) which no duty
  needs once the account is gone (an order's IP address, phone and e-mail; a delivery's address
  payload): closure blanks them and keeps the rest of the snapshot;
- ``until``: for a declaration without a ``rule`` of its own, the register's event that erases its
  rows at once (``Event.ACCOUNT_CLOSED``: closure deletes them; ``Event.UNSUBSCRIBED``: the unsubscribe
  service deletes them).  Every declaration has a rule or this explicit event
  (``privacy/tests/test_lifetimes.py``), so no personal data is kept without a clock; the one
  exception says why in ``kept_because`` (a disclosure to an authority, the evidence it was lawful);
- ``belongs_to``: the records this row belongs to, as ``(model label, lookup)`` pairs where
  ``lookup(held)`` turns a subquery of held parent keys into a filter on this model (an order line
  belongs to its order, a payment to its order or subscription): a legal hold on the parent holds
  this row too (``privacy/erasure.py::Holds``).
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from privacy import register as processing_register


class Erase(models.TextChoices):
    DELETE = "delete", "delete"
    ANONYMISE = "anonymise", "blank the personal fields, keep the row"
    DETACH = "detach", "cut the link to the account, keep the fiscal snapshot"
    KEEP = "keep", "nothing: another declaration or duty decides"


@dataclass(frozen=True)
class Declaration:
    model: type[models.Model]
    purpose: str
    fields: tuple[str, ...]
    owner: str | None = "user"
    email_field: str | None = None
    rule: str | None = None
    clock: str | None = None
    erase: Erase = Erase.DELETE
    on_closure: Erase = Erase.DELETE
    detach_field: str | None = None
    anonymous_values: dict[str, Any] = field(default_factory=dict)
    files: tuple[str, ...] = ()
    export: Callable[[QuerySet], Iterable[dict]] | None = None
    describe: Callable[[Any], str] | None = None  # takes a row of ``model``
    extra_filter: Callable[[QuerySet], QuerySet] | None = None
    label: str | Promise = ""
    listed: bool = True
    belongs_to: tuple[tuple[str, Callable[[QuerySet], Q]], ...] = ()
    closure_blank: tuple[str, ...] = ()
    until: "processing_register.Event | None" = None
    kept_because: str = ""  # a row kept with no clock at all says why (a legal record the database guards)

    def __post_init__(self) -> None:
        processing_register.purpose(self.purpose)  # raises KeyError for an unknown purpose
        if self.rule is not None:
            rule = processing_register.rule(self.rule)
            if rule.purpose != self.purpose:
                raise ValueError(f"{self.key}: rule {self.rule} belongs to {rule.purpose}, not {self.purpose}")
            if not self.clock:
                raise ValueError(f"{self.key}: a rule needs the clock field it starts from")
        if self.on_closure == Erase.DETACH and not self.detach_field:
            raise ValueError(f"{self.key}: DETACH needs detach_field")

    @property
    def key(self) -> str:
        return f"{self.model._meta.label}:{self.purpose}" + (f":{self.rule}" if self.rule else "")

    @property
    def retention(self) -> "processing_register.Rule | None":
        return processing_register.rule(self.rule) if self.rule else None

    def base_queryset(self) -> QuerySet:
        queryset = self.model._default_manager.all()
        return self.extra_filter(queryset) if self.extra_filter else queryset

    def for_user(self, user, emails: list[str] | None = None) -> QuerySet:
        """The rows of this declaration that belong to ``user``: by account, or by their email addresses.

        ``emails`` (from ``user_emails``) saves a query per declaration when many are read at once.
        """
        condition = Q()
        if self.owner:
            condition |= Q(**{self.owner: user.pk})  # a pk works for "pk" and for a relation alike
        if self.email_field:
            emails = _user_emails(user) if emails is None else emails
            if emails:
                condition |= Q(**{f"{self.email_field}__in": emails})
        if not condition:
            return self.model._default_manager.none()
        return self.base_queryset().filter(condition)

    def for_email(self, email: str) -> QuerySet:
        """The rows of a person known only by email address (no account).

        An account's rows count only when ``email`` is one of its *verified* addresses: an address
        someone merely typed into their account proves nothing about who they are.
        """
        from allauth.account.models import EmailAddress

        condition = Q()
        if self.email_field:
            condition |= Q(**{f"{self.email_field}__iexact": email})
        if self.owner:
            owners = EmailAddress.objects.filter(email__iexact=email, verified=True).values("user_id")
            condition |= Q(**{f"{self.owner}__in": owners})
        return self.base_queryset().filter(condition) if condition else self.model._default_manager.none()

    def due(self, now) -> QuerySet:
        """Rows whose retention clock has run out at ``now`` (before legal holds are applied)."""
        if self.retention is None:
            return self.model._default_manager.none()
        cutoff = self.retention.cutoff(now)
        return self.base_queryset().filter(**{f"{self.clock}__isnull": False, f"{self.clock}__lte": cutoff})

    def export_rows(self, queryset: QuerySet) -> Iterator[dict]:
        """The rows as plain dicts, in batches: memory stays flat however many rows there are."""
        if self.export is not None:
            yield from self.export(queryset)
            return
        names = ["pk", *self.fields]
        for row in queryset.order_by("pk").values(*names).iterator(chunk_size=1000):
            yield {name: _plain(value) for name, value in row.items()}

    def blank_values(self, names: Iterable[str] | None = None) -> dict[str, Any]:
        """The values that anonymisation writes: ``anonymous_values`` first, else empty for each field."""
        values = {}
        for name in self.fields if names is None else names:
            if name in self.anonymous_values:
                values[name] = self.anonymous_values[name]
                continue
            model_field = self.model._meta.get_field(name)
            if model_field.null:
                values[name] = None
            elif isinstance(model_field, models.JSONField):
                values[name] = {}
            else:
                values[name] = ""
        return values


def lifetime(declaration: Declaration) -> tuple["processing_register.Rule | None", str | None]:
    """The rule and clock that delete the rows of ``declaration``: what the sweep enforces and every page shows.

    Its own, or else those of an unlisted declaration of the same model and purpose that covers all
    of its rows (no ``extra_filter``): apps declare the sweep of rows another app lists that way,
    like the activity log that goes with the end of the customer's last service.  ``(None, None)``
    means the rows go at once on the declaration's ``until`` event.
    """
    if declaration.retention is not None:
        return declaration.retention, declaration.clock
    for other in for_model(declaration.model):
        if (
            not other.listed
            and other.purpose == declaration.purpose
            and other.retention is not None
            and other.extra_filter is None
        ):
            return other.retention, other.clock
    return None, None


def erased_on(declaration: Declaration) -> "processing_register.Event":
    """The event on which a declaration without a clock is erased at once (closure, unless it says otherwise)."""
    return declaration.until or processing_register.Event.ACCOUNT_CLOSED


def user_emails(user) -> list[str]:
    """The *verified* email addresses of ``user``, lower-cased (one query).

    Only an address the customer proved to hold identifies them: every lookup of a person's rows by
    address (export, "my data", closure, erasure, legal holds) goes through here or
    ``verified_emails``.  An unverified address (``POST /account/email/`` stores one) could be
    anybody's, so it never reaches another person's rows.
    """
    return _user_emails(user)


def verified_emails(user_ids, *, as_typed: bool = False) -> list[str]:
    """The verified addresses of several accounts, lower-cased (one query).

    ``as_typed`` adds each address as the person typed it, for matching rows that store it so.
    """
    from allauth.account.models import EmailAddress

    found = list(EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True).values_list("email", flat=True))
    return sorted(
        {variant for email in found for variant in ((email, email.lower()) if as_typed else (email.lower(),))}
    )


def _user_emails(user) -> list[str]:
    if user is None or user.pk is None:
        return []
    return verified_emails([user.pk])


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)


_declarations: dict[str, Declaration] = {}


def register(*declarations: Declaration) -> None:
    for declaration in declarations:
        _declarations[declaration.key] = declaration


def all_declarations() -> list[Declaration]:
    return list(_declarations.values())


def listed() -> list[Declaration]:
    """The declarations that "my data" and the export show, one per model and purpose."""
    return [d for d in _declarations.values() if d.listed]


def for_purpose(purpose_id: str) -> list[Declaration]:
    return [d for d in _declarations.values() if d.purpose == purpose_id]


def for_model(model: type[models.Model]) -> list[Declaration]:
    return [d for d in _declarations.values() if d.model is model]


def declared_models() -> set[type[models.Model]]:
    return {d.model for d in _declarations.values()}


def autodiscover() -> None:
    autodiscover_modules("privacy")
