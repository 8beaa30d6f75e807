"""Aged demo data: ``seed_demo --spread-years N`` puts rows on both sides of every retention clock.

Generic, like the sweep: for each declaration with a rule it takes the rows whose clock has started
(the other apps' demo hooks made them), builds rows with ``row_build`` when fewer than two exist,
and moves every other row's clock back past the rule's cutoff (spread over ``N`` years) while the
rest stay inside their period.  Apps whose rows a generic builder cannot make register their own
with ``register_builder``.  Rules no declaration enforces yet are reported.
"""

import datetime
import decimal
import itertools
import uuid
from collections.abc import Callable
from typing import cast

from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from privacy.declarations import Declaration
from privacy.register import Rule

_builders: dict[str, Callable] = {}
_sequence = itertools.count(1)


def register_builder(key: str, builder: Callable[..., models.Model]) -> None:
    """``key`` is a declaration key or a model label; ``builder(user=..., declaration=...)`` returns a saved row."""
    _builders[key] = builder


def _value(field: models.Field, tag: str):
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.EmailField):
        return f"{tag}@example.invalid"
    if isinstance(field, models.GenericIPAddressField):
        return "192.0.2.10"
    if isinstance(field, models.UUIDField):
        return uuid.uuid4()
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.DurationField):
        return datetime.timedelta(0)
    if isinstance(field, models.DecimalField):
        return decimal.Decimal("1")
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, models.IntegerField | models.FloatField):
        return 1
    if isinstance(field, models.JSONField):
        return {}
    if isinstance(field, models.BinaryField):
        return b"demo"
    if isinstance(field, models.FileField):
        return ""
    if isinstance(field, models.CharField | models.TextField):
        return tag[: field.max_length] if field.max_length else tag
    raise TypeError(f"no demo value for {field.__class__.__name__} {field.model._meta.label}.{field.name}")


def row_build(
    model: type[models.Model],
    *,
    user=None,
    values: dict | None = None,
    nested: dict | None = None,
    owner: str | None = None,
):
    """Save a row of ``model`` with every required field filled.

    ``owner`` is the lookup to the user (``"user"``, ``"order__user"``): the foreign key it follows
    points at ``user``; other required foreign keys to a user (a staff member who recorded it) get a
    user of their own.  ``nested`` maps a model to field values for the rows built for its foreign keys.
    """
    head, _, rest = (owner or "").partition("__")
    nested = nested or {}
    values = {**nested.get(model, {}), **(values or {})}
    user_model = get_user_model()
    tag = f"retention-demo-{next(_sequence)}-{uuid.uuid4().hex[:8]}"
    kwargs = {}
    for field in model._meta.concrete_fields:
        if field.name in values:
            kwargs[field.name] = values.pop(field.name)
            continue
        if isinstance(field, models.AutoField) or field.primary_key and field.has_default():
            continue
        if field.is_relation:
            if field.name == head and user is not None:
                if field.related_model is user_model:
                    kwargs[field.name] = user
                else:
                    kwargs[field.name] = row_build(
                        cast(type[models.Model], field.related_model), user=user, nested=nested, owner=rest
                    )
            elif not field.null:
                kwargs[field.name] = row_build(cast(type[models.Model], field.related_model), nested=nested)
            continue
        automatic = getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        if field.has_default() or field.null or automatic:
            continue
        kwargs[field.name] = _value(field, tag)
    kwargs.update(values)
    return model._default_manager.create(**kwargs)


class _NotCovered(Exception):
    pass


def _filter_hints(declaration: Declaration) -> dict:
    """Values the declaration's own filter asks for (``kind="x"``, ``status__in=[...]``), per model."""
    hints: dict = {}

    def walk(node, negated: bool) -> None:
        for child in node.children:
            if hasattr(child, "children"):
                walk(child, negated != child.negated)
                continue
            target = getattr(getattr(child, "lhs", None), "target", None)
            if target is None or negated or getattr(child, "lookup_name", "") not in ("exact", "in"):
                continue
            value = child.rhs
            if child.lookup_name == "in":
                value = next(iter(sorted(value, key=str)), None) if isinstance(value, list | tuple | set) else None
            if isinstance(value, str | int | bool):
                hints.setdefault(target.model, {})[target.name] = value

    where = declaration.base_queryset().query.where
    walk(where, where.negated)
    return hints


def _clock_values(declaration: Declaration, moment) -> dict:
    """The clock as a value of the row (or of the row its lookup follows), so constraints see it at insert."""
    if moment is None:
        return {}
    model = declaration.model
    *path, name = cast(str, declaration.clock).split("__")  # a moment comes only for a declaration with a clock
    for part in path:
        field = model._meta.get_field(part)
        if not (field.concrete and field.is_relation):
            return {}  # a reverse relation: clock_set builds that row afterwards
        model = cast(type[models.Model], field.related_model)
    if model is get_user_model():
        return {}
    return {model: {name: moment}}


def _merge(*layers: dict) -> dict:
    merged: dict = {}
    for layer in layers:
        for model, values in layer.items():
            merged[model] = {**merged.get(model, {}), **values}
    return merged


def _variations(model: type[models.Model]):
    """Field values to try, one at a time, until a built row falls inside a declaration's filter."""
    yield {}
    related = [
        cast(type[models.Model], f.related_model) for f in model._meta.concrete_fields if f.is_relation and not f.null
    ]
    for target in (model, *related):
        for field in target._meta.concrete_fields:
            if field.is_relation:
                continue
            if field.choices:
                options = [value for value, _ in field.flatchoices]
            elif isinstance(field, models.BooleanField):
                options = [True, False]
            else:
                continue
            for option in options:
                yield {target: {field.name: option}}


def declaration_row_build(declaration: Declaration, *, user=None, clock=None) -> models.Model:
    """A saved row that ``declaration`` covers (its ``extra_filter`` included), by a registered or generic builder.

    With ``clock`` the row is built with its clock already started at that moment.
    """
    builder = _builders.get(declaration.key) or _builders.get(declaration.model._meta.label)
    if builder is not None:
        row = builder(user=user, declaration=declaration)
        if clock is not None:
            clock_set(declaration, row, clock)
        return row
    base = _merge(_filter_hints(declaration), _clock_values(declaration, clock))
    for variation in _variations(declaration.model):
        try:
            with transaction.atomic():
                row = row_build(declaration.model, user=user, nested=_merge(base, variation), owner=declaration.owner)
                if clock is not None:
                    clock_set(declaration, row, clock)
                if not declaration.base_queryset().filter(pk=row.pk).exists():
                    raise _NotCovered
                return row
        except (_NotCovered, DatabaseError, ValidationError):
            continue
    raise LookupError(f"no generic row of {declaration.model._meta.label} falls under {declaration.key}")


def clock_set(declaration: Declaration, row: models.Model, moment) -> None:
    """Set the clock of ``row`` (following a lookup such as ``order__completed_at``) with a plain UPDATE.

    A missing one-to-one row on the way (``user__service_clock__...``) is built.
    """
    *path, name = cast(str, declaration.clock).split("__")
    target = row
    for part in path:
        try:
            target = getattr(target, part)
        except ObjectDoesNotExist:
            relation = cast(models.ForeignObjectRel, type(target)._meta.get_field(part))  # a missing one-to-one
            target = row_build(relation.related_model, values={relation.field.name: target})
    model = type(target)
    field = model._meta.get_field(name)
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        moment = timezone.localtime(moment).date()
    model._default_manager.filter(pk=target.pk).update(**{name: moment})


def demo_age(*, customer, staff, stdout, options, **kwargs) -> None:
    """The ``seed_demo`` hook: with ``--spread-years N`` (N > 0), age the demo data."""
    from retention.engine import sweep_declarations, undeclared_rules

    years = int(options.get("spread_years") or 0)
    if years <= 0:
        return
    now = timezone.now()
    aged, failed = [], []
    for declaration in sweep_declarations():
        rule = cast(Rule, declaration.retention)  # sweep_declarations() are those with a rule
        started = declaration.base_queryset().filter(**{f"{declaration.clock}__isnull": False})
        rows = list(started.order_by("pk")[:40])
        try:
            with transaction.atomic():
                while len(rows) < 2:
                    rows.append(declaration_row_build(declaration, user=None, clock=now))
        except Exception as error:  # a generic row cannot satisfy every model: report it, go on
            failed.append(f"{declaration.key} ({type(error).__name__})")
            continue
        cutoff = rule.cutoff(now)
        inside = now - (now - cutoff) / 2
        span = datetime.timedelta(days=365 * years)
        for index, row in enumerate(rows):
            if index % 2 == 0:
                clock_set(declaration, row, cutoff - datetime.timedelta(days=1) - span * index / max(len(rows), 1))
            elif inside < now:
                clock_set(declaration, row, inside)
        aged.append(declaration.key)
    stdout.write(f"  retention: aged {len(aged)} rule declaration(s) over {years} years")
    for key in failed:
        stdout.write(f"  retention: could not age {key}")
    missing = undeclared_rules()
    if missing:
        stdout.write("  retention: rules without a declaration yet (their app is missing): " + ", ".join(missing))
