"""Grant the staff roles what their work needs of the stats app."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant  # noqa: F401


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "stats", {
        SUPPORT: ["view_pageview"],
        PRIVACY_OFFICER: ["view_pageview", "view_profilingobjection"],
    })


class Migration(migrations.Migration):
    dependencies = [
        ("stats", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
