"""LegalHold now lives in the privacy app (privacy/migrations/0001_initial.py): forget it here, keep the table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0002_staff_roles"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="LegalHold")],
            database_operations=[],
        ),
    ]
