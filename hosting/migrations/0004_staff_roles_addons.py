"""Support and the privacy officer see a service's add-ons (read-only, on the service's admin page)."""

from django.db import migrations

from portal.roles import PRIVACY_OFFICER, SUPPORT, grant


def grant_roles(apps, schema_editor):
    grant(apps, schema_editor, "services", {SUPPORT: ["view_serviceaddon"], PRIVACY_OFFICER: ["view_serviceaddon"]})


class Migration(migrations.Migration):
    dependencies = [("services", "0003_service_addons")]

    operations = [migrations.RunPython(grant_roles, migrations.RunPython.noop)]
