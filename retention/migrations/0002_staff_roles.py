"""The privacy officer places and releases legal holds and reads the run log; finance and support read it."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "retention",
        {
            PRIVACY_OFFICER: [
                "view_legalhold", "add_legalhold", "change_legalhold",
                "view_retentionrun", "view_retentionruleresult", "view_accountclosure",
            ],
            SUPPORT: ["view_retentionrun"],
            FINANCE: ["view_retentionrun"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("retention", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
