"""Finance reads invoices and credit notes and opens them as PDF; the privacy officer reads them."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "billing",
        {
            FINANCE: ["view_invoice", "view_creditnote", "download_invoice"],
            PRIVACY_OFFICER: ["view_invoice", "view_creditnote"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
