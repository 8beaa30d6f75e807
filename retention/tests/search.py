"""Search every text column of every table for a person's traces (the closure test's auditor)."""

from django.apps import apps
from django.db import models
from django.db.models import Q, TextField
from django.db.models.functions import Cast

SEARCHED = (models.CharField, models.TextField, models.GenericIPAddressField, models.JSONField)


def personal_traces(needles: list[str]) -> list[tuple[str, object, str, str]]:
    """Every (model label, pk, field, needle) where a text, char, inet or JSON column contains a needle."""
    hits = []
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SEARCHED) and not f.is_relation]
        if not fields:
            continue
        casts = {f"trace_{f.column}": Cast(f.name, TextField()) for f in fields}
        condition = Q()
        for alias in casts:
            for needle in needles:
                condition |= Q(**{f"{alias}__icontains": needle})
        rows = model._base_manager.annotate(**casts).filter(condition).values_list("pk", *casts)
        for pk, *values in rows:
            for field, value in zip(fields, values, strict=True):
                for needle in needles:
                    if value and needle.lower() in value.lower():
                        hits.append((model._meta.label, pk, field.name, needle))
    return hits
