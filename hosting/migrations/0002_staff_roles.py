"""Grant the staff roles what they need of the services app: support acts on customers' services."""

from django.db import migrations

from portal.roles import PRIVACY_OFFICER, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "services",
        {
            SUPPORT: ["view_service", "change_service", "view_change", "view_dnsrecord"],
            PRIVACY_OFFICER: ["view_service", "view_change", "view_serviceclock"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("services", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
