"""Create the staff roles and grant them what their work needs of the accounts app."""

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant


def create_roles(apps, schema_editor):
    grant(
        apps,
        schema_editor,
        "accounts",
        {
            SUPPORT: ["view_user", "change_user", "view_activity"],
            FINANCE: ["view_user"],
            PRIVACY_OFFICER: ["view_user", "change_user", "view_activity"],
        },
    )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[SUPPORT, FINANCE, PRIVACY_OFFICER]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
