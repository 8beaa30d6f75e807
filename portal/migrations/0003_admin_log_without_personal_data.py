"""Rewrite the admin change log written before ``portal.admin_log``: kinds and ids, no personal data."""

from django.db import migrations


def scrub(apps, schema_editor):
    from portal.admin_log import _scrub_message

    LogEntry = apps.get_model("admin", "LogEntry")
    for entry in LogEntry.objects.select_related("content_type").iterator(chunk_size=1000):
        model = entry.content_type.model if entry.content_type_id else "object"
        entry.object_repr = (f"{model} #{entry.object_id}" if entry.object_id else model)[:200]
        entry.change_message = _scrub_message(entry.change_message)
        entry.save(update_fields=["object_repr", "change_message"])


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0002_staff_roles"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(scrub, migrations.RunPython.noop)]
