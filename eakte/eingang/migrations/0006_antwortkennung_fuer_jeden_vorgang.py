"""Every Vorgang gets its reply token when it is created (signal `vorgang_angelegt`); the
Vorgänge created before get theirs here (random like `services.antwortkennung_vergeben`)."""

import secrets

from django.db import migrations

ZEICHEN = "abcdefghjkmnpqrstuvwxyz23456789"
SCHUB = 2000


def _kennung() -> str:
    return "V-" + "".join(secrets.choice(ZEICHEN) for _ in range(12))


def nachtragen(apps, schema_editor):
    Vorgang = apps.get_model("akten", "Vorgang")
    Antwortkennung = apps.get_model("eingang", "Antwortkennung")
    vergeben = set(Antwortkennung._default_manager.values_list("kennung", flat=True))
    ohne = (
        Vorgang._default_manager.exclude(
            pk__in=Antwortkennung._default_manager.values("vorgang_id")
        )
        .order_by("pk")
        .values_list("pk", "kommune_id")
    )
    neue = []
    for vorgang_id, kommune_id in ohne.iterator(chunk_size=SCHUB):
        kennung = _kennung()
        while kennung in vergeben:
            kennung = _kennung()
        vergeben.add(kennung)
        neue.append(Antwortkennung(kommune_id=kommune_id, vorgang_id=vorgang_id, kennung=kennung))
        if len(neue) >= SCHUB:
            Antwortkennung._default_manager.bulk_create(neue)
            neue = []
    Antwortkennung._default_manager.bulk_create(neue)


class Migration(migrations.Migration):
    dependencies = [
        ("eingang", "0005_antwortkennung"),
    ]

    operations = [
        migrations.RunPython(nachtragen, migrations.RunPython.noop, elidable=True),
    ]
