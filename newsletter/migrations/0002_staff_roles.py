"""Grant the staff roles what their work needs of the newsletter app."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant  # noqa: F401


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "newsletter", {
        SUPPORT: ["view_newsletter", "add_newsletter", "change_newsletter", "view_subscriber", "change_subscriber",
                  "view_suppression", "view_advertisingpreference", "view_advertisingpreferencechange",
                  "add_advertisingpreferencechange"],
        PRIVACY_OFFICER: ["view_subscriber", "change_subscriber", "view_suppression", "view_advertisingpreference",
                          "view_advertisingpreferencechange", "add_advertisingpreferencechange"],
    })


class Migration(migrations.Migration):
    dependencies = [
        ("newsletter", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
