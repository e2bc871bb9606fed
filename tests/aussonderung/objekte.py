"""The objects of the Aussonderung for the route sweeper (tests/test_routenfeger.py)."""

from django.utils import timezone

from eakte.aussonderung import services
from eakte.aussonderung.models import Datenschutzanfrage
from tests.aussonderung.conftest import faellig_machen
from tests.hilfen import akteur_von


def aussonderung_objekte(*, kommune, admin, sachbearbeitung, oe, akte_anlegen, plan) -> dict:
    services.archiv_einrichten(
        akteur=akteur_von(admin), kommune=kommune, name="Kreisarchiv", kennung="KA"
    )
    angeboten = faellig_machen(akte_anlegen(sachbearbeitung, oe, "Sitzung 1999"))
    prozess = services.anbietung_erstellen(akteur=akteur_von(admin), akten=[angeboten])
    zu_loeschen = faellig_machen(
        akte_anlegen(sachbearbeitung, oe, "Wahl 1999", einheit=plan["0.2.02"])
    )
    lauf = services.loeschlauf_vorschlagen(akteur=akteur_von(admin), akten=[zu_loeschen])
    anfrage = Datenschutzanfrage.objects.create(
        kommune=kommune,
        art="art15",
        person="Erika Mustermann",
        suchbegriffe="Mustermann",
        eingegangen_am=timezone.localdate(),
        angelegt_von=admin,
    )
    return {
        "prozess": prozess,
        "nachricht": prozess.nachrichten.first(),
        "loeschlauf": lauf,
        "anfrage": anfrage,
    }
