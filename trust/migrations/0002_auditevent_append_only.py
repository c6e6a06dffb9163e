"""On PostgreSQL, the database itself refuses to update or delete an audit event."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION trust_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'trust_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trust_auditevent_append_only
    BEFORE UPDATE OR DELETE ON trust_auditevent
    FOR EACH ROW EXECUTE FUNCTION trust_auditevent_append_only();
"""

DROP = """
DROP TRIGGER IF EXISTS trust_auditevent_append_only ON trust_auditevent;
DROP FUNCTION IF EXISTS trust_auditevent_append_only();
"""


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):

    dependencies = [
        ("trust", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(create_trigger, drop_trigger),
    ]
