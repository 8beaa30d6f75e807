"""The privacy officer places, changes and reads legal holds (the permissions moved with the model)."""

from django.db import migrations

from portal.roles import PRIVACY_OFFICER, grant


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "privacy", {PRIVACY_OFFICER: ["view_legalhold", "add_legalhold", "change_legalhold"]})


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
