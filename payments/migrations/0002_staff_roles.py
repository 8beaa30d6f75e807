"""Finance sees payments and refunds and may refund; support may look payments up."""

from django.db import migrations

from portal.roles import FINANCE, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "payments",
        {
            FINANCE: ["view_payment", "refund_payment", "view_refund"],
            SUPPORT: ["view_payment"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("payments", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
