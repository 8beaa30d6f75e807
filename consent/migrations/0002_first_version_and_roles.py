"""The statement of 24 May 2018 as version 1, and what each staff role may do in the consent app."""

import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

from portal.roles import FINANCE, PRIVACY_OFFICER, SUPPORT, grant


def forwards(apps, schema_editor):
    StatementVersion = apps.get_model("consent", "StatementVersion")
    StatementVersion.objects.get_or_create(
        number=1,
        defaults={
            "date": datetime.date(2018, 5, 24),
            "published_at": datetime.datetime(2018, 5, 24, 9, 0, tzinfo=ZoneInfo("Europe/Amsterdam")),
            "summary_nl": "Eerste versie.",
            "summary_en": "First version.",
        },
    )
    grant(
        apps,
        schema_editor,
        "consent",
        {
            PRIVACY_OFFICER: [
                "add_disclosure",
                "view_disclosure",
                "view_consentrecord",
                "add_consentrecord",
                "view_cookieconsent",
                "add_statementversion",
                "change_statementversion",
                "view_statementversion",
                "view_processingactivity",
            ],
            SUPPORT: ["view_consentrecord", "add_consentrecord", "view_processingactivity"],
            FINANCE: ["view_processingactivity"],
        },
    )


def backwards(apps, schema_editor):
    apps.get_model("consent", "StatementVersion").objects.filter(number=1, content_nl="").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("consent", "0001_initial"),
        ("accounts", "0002_staff_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
