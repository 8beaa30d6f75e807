"""Support and the privacy officer read the activity log (the permission moved with the model)."""

from django.db import migrations

from portal.roles import PRIVACY_OFFICER, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "portal", {SUPPORT: ["view_activity"], PRIVACY_OFFICER: ["view_activity"]})


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
