from django.db import migrations

from portal.roles import PRIVACY_OFFICER, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "rights",
        {
            PRIVACY_OFFICER: [
                "add_rightsrequest", "view_rightsrequest", "change_rightsrequest", "delete_rightsrequest",
                "view_requestevent", "view_dataexport",
            ],
            SUPPORT: ["view_rightsrequest", "view_requestevent"],
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("rights", "0001_initial"),
        ("accounts", "0002_staff_roles"),
    ]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
