"""Partition the profiling events by month of ``created_at`` on PostgreSQL (C11).

The six-week retention then drops whole expired months instead of deleting their rows one by one
(``retention/partitions.py``, ``retention/engine.py``).  In the database the primary key becomes
``(id, created_at)``; Django keeps treating ``id`` as the primary key.  A no-op on SQLite.  The
reverse turns the table back into a plain one with the same rows.
"""

from django.db import migrations

from retention.partitions import partition_table, unpartition_table


def partition(apps, schema_editor):
    partition_table(schema_editor, apps.get_model("stats", "ProfilingEvent"), "created_at")


def reverse(apps, schema_editor):
    unpartition_table(schema_editor, apps.get_model("stats", "ProfilingEvent"))


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(partition, reverse)]
