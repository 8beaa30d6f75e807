"""Grant the staff roles what their work needs of the contact app."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant  # noqa: F401


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "contact", {
        SUPPORT: ["view_contactrequest", "change_contactrequest"],
        PRIVACY_OFFICER: ["view_contactrequest"],
    })


class Migration(migrations.Migration):
    dependencies = [
        ("contact", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
