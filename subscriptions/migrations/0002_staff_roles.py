"""Finance sees subscriptions and manages plans; support may look subscriptions up."""

from django.db import migrations

from portal.roles import FINANCE, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "subscriptions",
        {
            FINANCE: ["view_subscription", "view_plan", "add_plan", "change_plan"],
            SUPPORT: ["view_subscription", "view_plan"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
