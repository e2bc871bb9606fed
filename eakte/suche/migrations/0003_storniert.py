from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("suche", "0002_kopf_schmale_zeilen"),
        ("akten", "0009_alltag_dokument_stornierung"),
    ]

    operations = [
        migrations.AddField(
            model_name="suchdokument",
            name="storniert",
            field=models.BooleanField(default=False),
        ),
        # the rows of Dokumente storniert before this column existed
        migrations.RunSQL(
            """
            UPDATE suche_suchdokument s SET storniert = true
            FROM akten_dokument d
            WHERE d.id = s.dokument_id AND d.storniert_am IS NOT NULL
            """,
            migrations.RunSQL.noop,
        ),
    ]
