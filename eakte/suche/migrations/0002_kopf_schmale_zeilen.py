import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("suche", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="suchdokument",
            name="kopf",
            field=django.contrib.postgres.search.SearchVectorField(null=True),
        ),
        migrations.AddIndex(
            model_name="suchdokument",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["kopf"], name="suchdokument_kopf_gin"
            ),
        ),
        # Narrow rows: the long text vector always goes to TOAST (not only above 2 kB), so that
        # counting and facets over many hits read small rows; only the ranked few are detoasted.
        migrations.RunSQL(
            "ALTER TABLE suche_suchdokument SET (toast_tuple_target = 128)",
            "ALTER TABLE suche_suchdokument RESET (toast_tuple_target)",
        ),
    ]
