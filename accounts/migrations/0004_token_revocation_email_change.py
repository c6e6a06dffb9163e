from django.db import migrations, models


def forget_stored_tokens(apps, schema_editor):
    """The blacklist needs the `jti` only: drop the full refresh tokens it kept."""
    OutstandingToken = apps.get_model("token_blacklist", "OutstandingToken")
    OutstandingToken.objects.exclude(token="").update(token="")


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_profile_ordering_tiebreak'),
        ('token_blacklist', '0013_alter_blacklistedtoken_options_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='user',
            name='email_changed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='user',
            name='revoked_access_jtis',
            field=models.JSONField(blank=True, default=dict, editable=False),
        ),
        migrations.AddField(
            model_name='user',
            name='tokens_revoked_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(forget_stored_tokens, migrations.RunPython.noop),
    ]
