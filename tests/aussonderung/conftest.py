"""A Kommune at the end of its records' life: an archive, Akten due for Anbietung (A and B), one
due for destruction (V), one under Löschsperre, and a second Kommunen-Admin for four eyes."""

from dataclasses import dataclass
from datetime import date

import pytest

from eakte.akten import services as akten_services
from eakte.akten.models import Akte
from eakte.aussonderung import services
from eakte.kommunen.rollen import Rolle
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von


def faellig_machen(akte):
    Akte.objects.filter(pk=akte.pk).update(
        zda_am=date(2010, 12, 31), ende=date(2010, 12, 31), aufbewahrung_bis=date(2020, 12, 31)
    )
    akte.refresh_from_db()
    return akte


@dataclass
class Welt:
    archivwuerdig: Akte
    bewerten: Akte
    vernichten: Akte
    gesperrt: Akte
    laufend: Akte
    admin: object
    zweite_admin: object


@pytest.fixture
def zweite_admin(erbach, hauptamt):
    return BenutzerFactory(
        kommune=erbach,
        username="admin2.erbach",
        rollen=[Rolle.KOMMUNEN_ADMIN],
        organisationseinheiten=[hauptamt],
    )


@pytest.fixture
def welt(
    akte_anlegen,
    kleiner_plan,
    sachbearbeitung,
    bauamt,
    kommunen_admin,
    zweite_admin,
    pdf_datei,
    erbach,
):
    def akte_mit_dokumenten(betreff, einheit, dateien=("Bauantrag.pdf",), absender=""):
        akte = akte_anlegen(sachbearbeitung, bauamt, betreff, einheit=einheit)
        vorgang = akten_services.vorgang_anlegen(
            akteur=akteur_von(sachbearbeitung), akte=akte, betreff=f"Vorgang zu {betreff}"
        )
        for name in dateien:
            akten_services.dokument_ablegen(
                akteur=akteur_von(sachbearbeitung),
                vorgang=vorgang,
                datei=pdf_datei(name),
                absender=absender,
            )
        return akte

    archivwuerdig = faellig_machen(
        akte_mit_dokumenten(
            "Sitzung Gemeindevertretung 2009",
            kleiner_plan["0.2.01"],
            ("Niederschrift.pdf", "Anwesenheit.pdf"),
        )
    )
    bewerten = faellig_machen(
        akte_mit_dokumenten(
            "Bauantrag Hauptstraße 7",
            kleiner_plan["6"],
            ("Bauantrag.pdf",),
            absender="Erika Mustermann",
        )
    )
    # same content as a Dokument of an Akte that stays: the stored file must survive
    vernichten = faellig_machen(
        akte_mit_dokumenten(
            "Kommunalwahl 2006",
            kleiner_plan["0.2.02"],
            ("Wahlniederschrift.pdf", "Gemeinsam.pdf"),
            absender="Erika Mustermann",
        )
    )
    laufend = akte_mit_dokumenten("Laufende Akte", kleiner_plan["0.2.02"], ("Gemeinsam.pdf",))
    gesperrt = faellig_machen(
        akte_mit_dokumenten("Wahlanfechtung 2006", kleiner_plan["0.2.02"], ("Klage.pdf",))
    )
    services.archiv_einrichten(
        akteur=akteur_von(kommunen_admin),
        kommune=erbach,
        name="Hessisches Staatsarchiv Darmstadt",
        kennung="HStAD",
        kontakt="archiv@example.org",
    )
    services.loeschsperre_setzen(
        akteur=akteur_von(kommunen_admin), akte=gesperrt, grund="Wahlanfechtung vor dem VG"
    )
    return Welt(
        archivwuerdig, bewerten, vernichten, gesperrt, laufend, kommunen_admin, zweite_admin
    )
