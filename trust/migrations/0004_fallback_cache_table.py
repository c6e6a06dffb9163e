from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# hospital.cache.FALLBACK_TABLE, spelled out: a migration does not change with the code.
TABLE = "hospital_cache_fallback"


def create_table(apps, schema_editor):
    """The database cache the sign-in throttles fall back to while Redis is down."""
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("trust", "0003_forget_credential_responses"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
