"""The one mechanism that erases personal data by declaration, and what a legal hold covers.

The retention sweep (``retention/engine.py``), account closure (``accounts/closure.py``) and an
erasure request of a person without an account (``rights/services.py::person_erase``) all call
``erase_rows``; no other code deletes, anonymises or detaches personal data by declaration.  So a
strategy means the same wherever it is applied:

- ``DELETE``: the rows go, with what the database cascades; the files of the declaration's file
  fields are deleted once the erasing transaction commits (never before: a rollback keeps both);
- ``ANONYMISE``: the declaration's personal fields are blanked (``blank_values``) and the row
  stays; the files of anonymised file fields go after commit;
- ``DETACH``: the link to the account is cut (``detach_field`` set to ``None``); the row and its
  fiscal snapshot stay until the row's own retention clock runs out, without the fields no duty
  needs (``closure_blank``);
- ``KEEP``: the row stays as another declaration or duty decides, again without ``closure_blank``.

``Holds`` decides once what a legal hold covers: a hold on a person covers every row the
declarations find for them (by account and by verified address), and a hold on one record covers
that record and every row the declarations say belongs to it (``Declaration.belongs_to``: an
order's lines, shipment and payments, a payment's refunds), however deep.  Before this module the
sweep, closure and erasure requests each decided that for themselves, and a hold on an order let
its payment be deleted in the same sweep.

The holds themselves are ``privacy.models.LegalHold`` rows, placed and released by the privacy
officer (``retention/services.py``, ``retention/admin.py``).
"""

import logging
from dataclasses import dataclass

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, QuerySet

from privacy.declarations import Declaration, Erase, all_declarations, verified_emails
from privacy.models import LegalHold

logger = logging.getLogger(__name__)


@dataclass
class Erased:
    """What one call did: rows erased (deleted, blanked or detached) and rows left because a hold covers them."""

    done: int = 0
    held: int = 0


def erase_rows(declaration: Declaration, rows: QuerySet, *, action: Erase) -> int:
    """Apply ``action`` to ``rows`` of ``declaration``; returns the number of rows of its model handled.

    Call it inside the transaction that must erase; files are deleted after that transaction commits.
    """
    if action == Erase.KEEP:
        return rows.update(**declaration.blank_values(declaration.closure_blank)) if declaration.closure_blank else 0
    if action == Erase.DETACH:
        if not declaration.detach_field:
            raise ValueError(f"{declaration.key}: DETACH needs detach_field")
        return rows.update(**{declaration.detach_field: None}, **declaration.blank_values(declaration.closure_blank))
    model = declaration.model
    file_fields = [name for name in declaration.files if action == Erase.DELETE or name in declaration.fields]
    if file_fields:
        names = [name for values in rows.values_list(*file_fields) for name in values if name]
        if names:
            _delete_files_on_commit(model, file_fields, names)
    if action == Erase.ANONYMISE:
        return rows.update(**declaration.blank_values())
    _, per_model = rows.delete()
    return per_model.get(model._meta.label, 0)


def erase(declaration: Declaration, rows: QuerySet, *, action: Erase, holds: "Holds | None" = None) -> Erased:
    """``erase_rows`` on the rows no hold covers; the held rows are counted and left as they are."""
    held = 0
    condition = holds.condition(declaration) if holds is not None else None
    if condition is not None:
        held = rows.filter(condition).count()
        rows = rows.exclude(condition)
    return Erased(done=erase_rows(declaration, rows, action=action), held=held)


def _delete_files_on_commit(model, file_fields: list[str], names: list[str]) -> None:
    storage = model._meta.get_field(file_fields[0]).storage

    def delete() -> None:
        for name in names:
            try:
                storage.delete(name)
            except OSError:
                logger.warning("erasure: could not delete a file of %s", model._meta.label)

    transaction.on_commit(delete)


class Holds:
    """The active legal holds, loaded once per run (there are few): people and single records."""

    def __init__(self) -> None:
        user_model = get_user_model()
        user_type = ContentType.objects.get_for_model(user_model)
        self.user_ids: set = set()
        self.records: dict[int, set[str]] = {}
        for user_id, type_id, object_id in LegalHold.objects.active().values_list(
            "user_id", "content_type_id", "object_id"
        ):
            if user_id is not None:
                self.user_ids.add(user_id)
            elif type_id == user_type.pk:
                self.user_ids.add(user_model._meta.pk.to_python(object_id))
            else:
                self.records.setdefault(type_id, set()).add(object_id)
        self.emails: set[str] = set()
        if self.user_ids:
            # Only verified addresses: a hold on one account must not reach rows of whoever's address it typed in.
            # As typed and lower-cased: rows store addresses as the person wrote them.
            self.emails = set(verified_emails(self.user_ids, as_typed=True))
        self._conditions: dict[str, Q | None] = {}

    def __bool__(self) -> bool:
        return bool(self.user_ids or self.records)

    def condition(self, declaration: Declaration) -> Q | None:
        """The rows of ``declaration`` that a hold covers, as a filter; ``None`` when no hold can touch them."""
        if declaration.key not in self._conditions:
            self._conditions[declaration.key] = self._condition(declaration, seen=frozenset())
        return self._conditions[declaration.key]

    def _condition(self, declaration: Declaration, *, seen: frozenset) -> Q | None:
        condition = Q()
        if self.user_ids and declaration.owner:
            condition |= Q(**{f"{declaration.owner}__in": self.user_ids})
        if self.emails and declaration.email_field:
            condition |= Q(**{f"{declaration.email_field}__in": self.emails})
        pks = self._record_pks(declaration.model)
        if pks:
            condition |= Q(pk__in=pks)
        for parent_label, lookup in declaration.belongs_to:
            held_parents = self._held(apps.get_model(parent_label), seen=seen | {declaration.model._meta.label})
            if held_parents is not None:
                condition |= lookup(held_parents)
        return condition or None

    def _held(self, model, *, seen: frozenset) -> QuerySet | None:
        """The primary keys of ``model``'s held rows, as a subquery (no query runs here); ``None``: none."""
        if model._meta.label in seen:
            return None
        conditions = [
            self._condition(declaration, seen=seen) for declaration in all_declarations() if declaration.model is model
        ]
        parts: list[Q] = [part for part in conditions if part is not None]
        pks = self._record_pks(model)
        if pks:
            parts.append(Q(pk__in=pks))
        if not parts:
            return None
        combined = Q()
        for part in parts:
            combined |= part
        return model._default_manager.filter(combined).values("pk")

    def _record_pks(self, model) -> list:
        type_id = ContentType.objects.get_for_model(model).pk
        pks = []
        for object_id in self.records.get(type_id, ()):
            try:
                pks.append(model._meta.pk.to_python(object_id))
            except Exception:  # noqa: S112 - an id of the wrong shape cannot hold anything here
                continue
        return pks
