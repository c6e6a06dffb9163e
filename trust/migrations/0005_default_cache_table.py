from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

# settings.CACHE_TABLE, spelled out: a migration does not change with the code.
TABLE = "hospital_cache"


def create_table(apps, schema_editor):
    """The default cache without `REDIS_URL`: the throttle counters every worker shares."""
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [
        ("trust", "0004_fallback_cache_table"),
    ]

    operations = [
        migrations.RunPython(create_table, drop_table),
    ]
