"""Copy what the Aussonderung already recorded onto the Akten (their new fields Verbleib and
Löschsperre, eakte/akten 0006): Akten handed over or deleted before become read-only stubs."""

from django.db import migrations


def nachtragen(apps, schema_editor):
    Akte = apps.get_model("akten", "Akte")
    Vermerk = apps.get_model("aussonderung", "Aussonderungsvermerk")
    Sperre = apps.get_model("aussonderung", "Loeschsperre")
    for v in Vermerk._base_manager.select_related("prozess", "lauf"):
        nach = f"an {v.prozess.archiv_name}" if v.prozess_id else f"Löschlauf {v.lauf.uuid}"
        Akte._base_manager.filter(pk=v.akte_id).update(
            verbleib=v.verbleib, ausgesondert_am=v.am, ausgesondert_nach=nach[:300]
        )
    for s in Sperre._base_manager.filter(aufgehoben_am__isnull=True):
        Akte._base_manager.filter(pk=s.akte_id).update(loeschsperre_grund=s.grund)


class Migration(migrations.Migration):
    dependencies = [
        ("aussonderung", "0001_initial"),
        ("akten", "0008_aussonderung_verbleib_loeschsperre"),
    ]

    operations = [migrations.RunPython(nachtragen, migrations.RunPython.noop)]
