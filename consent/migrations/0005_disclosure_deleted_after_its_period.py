"""The database lets the retention sweep delete a disclosure once its ``disclosure_recorded`` period ran out.

Until then it still refuses every change and delete (0003); the interval is the register's rule at the
time of this migration, and ``consent/tests/test_admin.py`` checks that they still agree.
"""

from django.db import migrations

YEARS = 5

FORWARDS = f"""
CREATE OR REPLACE FUNCTION consent_disclosure_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.recorded_at <= now() - interval '{YEARS} years' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'a disclosure is never deleted before its period ran out';
    END IF;
    IF NEW.subject_id IS NULL AND (to_jsonb(NEW) - 'subject_id') = (to_jsonb(OLD) - 'subject_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a disclosure is never changed';
END;
$$ LANGUAGE plpgsql;
"""
BACKWARDS = """
CREATE OR REPLACE FUNCTION consent_disclosure_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'a disclosure is never deleted';
    END IF;
    IF NEW.subject_id IS NULL AND (to_jsonb(NEW) - 'subject_id') = (to_jsonb(OLD) - 'subject_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'a disclosure is never changed';
END;
$$ LANGUAGE plpgsql;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("consent", "0004_consentrecord_ground_consentrecord_page_and_more")]

    operations = [migrations.RunPython(forwards, backwards)]
