"""A throw-away table with a declaration of its own, for sweeps over many rows and injected faults."""

import datetime

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from privacy import declarations as registry
from privacy.declarations import Declaration, Erase

PROBE_TABLE = "retention_test_probe"


class Probe:
    """The table, its model and its declaration (rule ``profiling_recorded``, clock ``created_at``)."""

    def __init__(self, model):
        self.model = model
        self.declaration = None

    def declare(self, erase: Erase = Erase.DELETE) -> Declaration:
        if self.declaration is not None:
            registry._declarations.pop(self.declaration.key, None)
        self.declaration = Declaration(
            model=self.model,
            purpose="P3",
            fields=("email", "ip_address"),
            owner=None,
            email_field="email",
            rule="profiling_recorded",
            clock="created_at",
            erase=erase,
            label="probe",
        )
        registry.register(self.declaration)
        return self.declaration

    def fill(self, *, due: int, fresh: int, now: datetime.datetime, first: int = 0) -> None:
        """``due`` rows recorded long ago and ``fresh`` rows recorded just before ``now``, in one statement each."""
        with connection.cursor() as cursor:
            for count, start in ((due, now - datetime.timedelta(days=400)), (fresh, now - datetime.timedelta(days=1))):
                if not count:
                    continue
                cursor.execute(
                    f"INSERT INTO {PROBE_TABLE} (email, ip_address, created_at) "  # noqa: S608 - a constant
                    "SELECT 'probe' || g || '@example.nl', '198.51.100.7', "
                    "%s::timestamptz + (g * interval '1 second') FROM generate_series(%s, %s) g",
                    [start, first + 1, first + count],
                )

    @property
    def rows(self):
        return self.model._default_manager


@pytest.fixture
def probe(db):
    attrs = {
        "__module__": "retention.tests.conftest",
        "email": models.CharField(max_length=120, blank=True),
        "ip_address": models.GenericIPAddressField(null=True, blank=True),
        "created_at": models.DateTimeField(db_index=True),
        "Meta": type("Meta", (), {"app_label": "retention", "db_table": PROBE_TABLE}),
    }
    model = type("SweepProbe", (models.Model,), attrs)
    with connection.schema_editor() as editor:
        editor.create_model(model)
    table = Probe(model)
    table.declare()
    try:
        yield table
    finally:
        registry._declarations.pop(table.declaration.key, None)
        apps.all_models["retention"].pop("sweepprobe", None)
        apps.clear_cache()
        ContentType.objects.clear_cache()
