"""Finance and support read the credit ledger and balances; nobody may change them in the admin."""

from django.db import migrations

from portal.roles import FINANCE, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "credits",
        {
            FINANCE: ["view_creditentry", "view_creditbalance"],
            SUPPORT: ["view_creditentry", "view_creditbalance"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("credits", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
