"""Existing API tokens (DRF's authtoken, stored in plain text) become hashed API keys: clients
keep working with the key they have, and the plain text is deleted from the database."""

import hashlib

from django.db import migrations


def uebernehmen(apps, schema_editor):
    Token = apps.get_model("authtoken", "Token")
    ApiSchluessel = apps.get_model("konten", "ApiSchluessel")
    for token in Token.objects.all():
        ApiSchluessel.objects.update_or_create(
            benutzer_id=token.user_id,
            defaults={
                "hash": hashlib.sha256(token.key.encode()).hexdigest(),
                "angelegt_am": token.created,
            },
        )
    Token.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("konten", "0001_api_schluessel"),
        ("authtoken", "0004_alter_tokenproxy_options"),
    ]

    # Not reversible to plain text: going back leaves people without a key (they make a new one).
    operations = [migrations.RunPython(uebernehmen, migrations.RunPython.noop)]
