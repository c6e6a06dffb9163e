from django.db import migrations



def forget_credential_responses(apps, schema_editor):
    """Drop every stored answer: older versions kept those of credential routes (tokens) and
    fingerprinted bodies (passwords) with a bare hash. Records live 24 hours only."""
    IdempotencyRecord = apps.get_model("trust", "IdempotencyRecord")
    IdempotencyRecord.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("trust", "0002_auditevent_append_only"),
    ]

    operations = [
        migrations.RunPython(forget_credential_responses, migrations.RunPython.noop),
    ]
