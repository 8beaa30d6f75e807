"""Aged demo data: ``seed_demo --spread-years N`` puts demo rows on both sides of every retention clock.

Generic, like the sweep: for each declaration with a rule it builds rows with ``row_build``, each
owned by a demo account of its own (``User.is_demo``), and starts their clocks past the rule's
cutoff (spread over ``N`` years) or inside the period.  It never moves the clock of a row it did not
build: real customers' rows and the demo customer's own stay as they are.  Built plans, products and
kinds are inactive, so nothing built is offered to anyone.  Apps whose rows a generic builder cannot
make register their own with ``register_builder``.  Rules with a period that no declaration enforces
are reported.
"""

import datetime
import decimal
import itertools
import uuid
from collections.abc import Callable
from typing import cast

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from privacy.declarations import Declaration, Erase
from privacy.register import Rule

_builders: dict[str, Callable] = {}
# Every text field of a built row starts with this, so built rows are recognisable (and never offered).
DEMO_TAG = "retention-demo-"
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


def _unique_fields(model: type[models.Model]) -> set[str]:
    """Fields that are unique alone or together with others (a built row must not collide with another)."""
    names = {field.name for field in model._meta.concrete_fields if field.unique}
    for constraint in model._meta.constraints:
        if isinstance(constraint, models.UniqueConstraint):
            names.update(constraint.fields)
    for together in model._meta.unique_together:
        names.update(together)
    return names


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
    number = next(_sequence)
    tag = f"{DEMO_TAG}{number}-{uuid.uuid4().hex[:8]}"
    unique = _unique_fields(model)
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
        if field.name in unique and isinstance(field, models.IntegerField) and not field.choices:
            # A number series (year, sequence): far from any real one, and within a small integer's range.
            small = isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField)
            kwargs[field.name] = (20_000 + number % 12_000) if small else 900_000_000 + number
            continue
        kwargs[field.name] = _value(field, tag)
    kwargs.update(values)
    if model is user_model:
        kwargs["is_demo"] = True  # a built account is a demo account: seed_demo may age its rows
    active = next((f for f in model._meta.concrete_fields if f.name == "active"), None)
    if isinstance(active, models.BooleanField) and "active" not in kwargs:
        kwargs["active"] = False  # a built plan, product or kind is never offered to anyone
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
            if field.is_relation or field.name == "active":
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
                _fill_what_is_blanked(declaration, row)
                return row
        except (_NotCovered, DatabaseError, ValidationError):
            continue
    raise LookupError(f"no generic row of {declaration.model._meta.label} falls under {declaration.key}")


def _fill_what_is_blanked(declaration: Declaration, row: models.Model) -> None:
    """A row a rule anonymises gets something in the fields it blanks, so blanking is visible."""
    if declaration.erase != Erase.ANONYMISE:
        return
    values: dict = {}
    for name in declaration.fields:
        field = declaration.model._meta.get_field(name)
        if isinstance(field, models.JSONField):
            values[name] = {"demo": "value"}
        elif isinstance(field, models.GenericIPAddressField):
            values[name] = "192.0.2.1"
        elif isinstance(field, models.EmailField):
            values[name] = "demo@example.invalid"
        elif isinstance(field, models.CharField | models.TextField) and not field.choices:
            values[name] = "demo"[: field.max_length or None]
    if values:
        declaration.model._default_manager.filter(pk=row.pk).update(**values)


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


def _demo_rows(declaration: Declaration):
    """The rows of ``declaration`` whose clock has started and that belong to a demo account."""
    started = declaration.base_queryset().filter(**{f"{declaration.clock}__isnull": False})
    owner = declaration.owner
    if not owner:
        # No account to follow (people known by address only): the rows this module built carry the tag.
        tagged = models.Q(pk__in=[])
        for field in declaration.model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField) and not field.choices:
                tagged |= models.Q(**{f"{field.name}__startswith": DEMO_TAG})
        return started.filter(tagged)
    lookup = "is_demo" if owner == "pk" else f"{owner}__is_demo"
    return started.filter(**{lookup: True})


def _clock_of(declaration: Declaration, rows) -> list:
    return list(rows.values_list(cast(str, declaration.clock), flat=True))


def demo_user():
    """A demo account of its own for each aged row (clocks such as "service ended" are per account)."""
    return row_build(get_user_model())


def catalogue_hide() -> int:
    """Built catalogue rows (plans, products, kinds) are never offered: any still active is deactivated.

    Earlier versions of this module left ``retention-demo-*`` plans and products active.
    """
    hidden = 0
    for model in apps.get_models():
        active = next((f for f in model._meta.concrete_fields if f.name == "active"), None)
        if not isinstance(active, models.BooleanField):
            continue
        condition = models.Q()
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.SlugField) and not field.choices:
                condition |= models.Q(**{f"{field.name}__startswith": DEMO_TAG})
        if condition:
            hidden += model._default_manager.filter(condition, active=True).update(active=False)
    return hidden


def demo_age(*, customer, staff, stdout, options, **kwargs) -> None:
    """The ``seed_demo`` hook: with ``--spread-years N`` (N > 0), demo rows on both sides of every clock.

    Only rows of demo accounts are looked at, and only rows this hook builds are given a clock: for a
    rule that has no due demo row yet it builds two (one just past the cutoff, one ``N`` years further
    back), and for a rule without a demo row inside its period one more.  A rule that has both is left
    alone, so a second run changes nothing (``retention_sweep`` removing the due rows makes the next
    run build new ones).  No other row, the demo customer's own included, ever has its clock moved.
    """
    from privacy.register import RULES
    from retention.engine import sweep_declarations, undeclared_rules

    catalogue_hide()
    years = int(options.get("spread_years") or 0)
    if years <= 0:
        return
    now = timezone.now()
    span = datetime.timedelta(days=365 * years)
    aged, kept, failed = [], [], []
    for declaration in sweep_declarations():
        rule = cast(Rule, declaration.retention)  # sweep_declarations() are those with a rule
        cutoff = rule.cutoff(now)
        inside = now - (now - cutoff) / 2
        clocks = [_as_moment(clock) for clock in _clock_of(declaration, _demo_rows(declaration))]
        moments = []
        if not any(clock <= cutoff for clock in clocks):
            moments += [cutoff - datetime.timedelta(days=1), cutoff - datetime.timedelta(days=1) - span]
        if inside < now and not any(clock > cutoff for clock in clocks):
            moments.append(inside)
        if not moments:
            kept.append(declaration.key)
            continue
        try:
            with transaction.atomic():
                for moment in moments:
                    declaration_row_build(declaration, user=demo_user(), clock=moment)
        except Exception as error:  # a generic row cannot satisfy every model: report it, go on
            failed.append(f"{declaration.key} ({type(error).__name__})")
            continue
        aged.append(declaration.key)
        if options.get("verbosity", 1) >= 2:
            stdout.write(f"  retention: built {len(moments)} demo row(s) for {declaration.key}")
    catalogue_hide()
    stdout.write(
        f"  retention: aged demo rows for {len(aged)} rule declaration(s) over {years} years"
        f" ({len(kept)} already on both sides)"
    )
    for key in failed:
        stdout.write(f"  retention: could not age {key}")
    # Rules with no period (unsubscribing, closing the account, objecting) are kept at the event itself,
    # not by the sweep; only a rule with a period and no declaration is missing something.
    missing = [key for key in undeclared_rules() if RULES[key].period()]
    if missing:
        stdout.write("  retention: rules with a period but no declaration (app missing): " + ", ".join(missing))


def _as_moment(value):
    """A clock read back from a date field, as the start of that day (comparable with the cutoff)."""
    if isinstance(value, datetime.datetime):
        return value
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
