"""On PostgreSQL the database itself refuses to change or delete a disclosure (C28).

The one update allowed is the one account deletion makes: cutting the link to the account
(``subject_id`` set to NULL by ``on_delete=SET_NULL``), with every other column unchanged.
"""

from django.db import migrations

FORWARDS = """
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
CREATE TRIGGER consent_disclosure_immutable
    BEFORE UPDATE OR DELETE ON consent_disclosure
    FOR EACH ROW EXECUTE FUNCTION consent_disclosure_immutable();
"""
BACKWARDS = """
DROP TRIGGER IF EXISTS consent_disclosure_immutable ON consent_disclosure;
DROP FUNCTION IF EXISTS consent_disclosure_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARDS)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARDS)


class Migration(migrations.Migration):
    dependencies = [("consent", "0002_first_version_and_roles")]

    operations = [migrations.RunPython(forwards, backwards)]
