import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from aktenplan import selectors, services
from aktenplan.models import Aenderungsart, Aktenplaneinheit
from tests.hilfen import akteur_von


def test_anlegen_protokolliert_wer_und_was(aktenplan, digitallotse, einheit_anlegen):
    einheit = einheit_anlegen("0", "Allgemeine Verwaltung", frist=None, art="A")
    eintrag = einheit.aenderungen.get()
    assert eintrag.art == Aenderungsart.ANGELEGT
    assert eintrag.benutzer == digitallotse and eintrag.kommune == digitallotse.kommune
    assert eintrag.neu["titel"] == "Allgemeine Verwaltung"
    assert eintrag.neu["aufbewahrungsfrist"] is None
    assert einheit.frist_text == "unbefristet"


def test_kennzeichen_muss_eindeutig_sein(kleiner_plan, einheit_anlegen):
    with pytest.raises(ValidationError) as fehler:
        einheit_anlegen("0.2", "Doppelt", kleiner_plan["0"])
    assert "gibt es im Aktenplan schon" in str(fehler.value)


def test_kennzeichen_muss_das_der_obereinheit_fortsetzen(kleiner_plan, einheit_anlegen):
    with pytest.raises(ValidationError) as fehler:
        einheit_anlegen("6.1", "Falsch einsortiert", kleiner_plan["0"])
    assert "fortsetzen" in str(fehler.value)
    assert not Aktenplaneinheit.objects.filter(kennzeichen="6.1").exists()


def test_nur_digitallotsen_und_verbund_admins_bearbeiten(
    aktenplan, sachbearbeitung, verbund_admin, fremder_digitallotse
):
    for person in (sachbearbeitung, fremder_digitallotse):
        with pytest.raises(PermissionDenied):
            services.einheit_anlegen(
                aktenplan=aktenplan,
                parent=None,
                kennzeichen="1",
                titel="Sicherheit",
                aufbewahrungsfrist=10,
                aussonderungsart="B",
                akteur=akteur_von(person),
            )
    assert services.einheit_anlegen(
        aktenplan=aktenplan,
        parent=None,
        kennzeichen="1",
        titel="Sicherheit",
        aufbewahrungsfrist=10,
        aussonderungsart="B",
        akteur=akteur_von(verbund_admin),
    )


def test_digitallotsen_verschiedener_kommunen_pflegen_denselben_plan(
    kleiner_plan, digitallotse_michelstadt
):
    services.einheit_aendern(
        einheit=kleiner_plan["0.2.02"],
        akteur=akteur_von(digitallotse_michelstadt),
        titel="Wahlen und Abstimmungen",
    )
    eintrag = kleiner_plan["0.2.02"].aenderungen.filter(art=Aenderungsart.GEAENDERT).get()
    assert eintrag.kommune.slug == "michelstadt"
    assert eintrag.alt == {"titel": "Wahlen"} and eintrag.neu == {
        "titel": "Wahlen und Abstimmungen"
    }


def test_aendern_ohne_unterschied_schreibt_nichts(kleiner_plan, digitallotse):
    services.einheit_aendern(
        einheit=kleiner_plan["6"], akteur=akteur_von(digitallotse), titel="Bauwesen"
    )
    assert kleiner_plan["6"].aenderungen.count() == 1  # only "angelegt"


def test_verschieben_nummeriert_den_teilbaum_um_und_protokolliert(kleiner_plan, digitallotse):
    organe = services.einheit_verschieben(
        einheit=kleiner_plan["0.2"],
        neuer_parent=kleiner_plan["6"],
        neues_kennzeichen="6.1",
        akteur=akteur_von(digitallotse),
    )
    nummern = dict(Aktenplaneinheit.objects.values_list("pk", "kennzeichen"))
    assert nummern[organe.pk] == "6.1"
    assert nummern[kleiner_plan["0.2.01"].pk] == "6.1.01"
    assert nummern[kleiner_plan["0.2.02"].pk] == "6.1.02"
    assert Aktenplaneinheit.objects.get(pk=organe.pk).parent == kleiner_plan["6"]
    eintrag = kleiner_plan["0.2.01"].aenderungen.filter(art=Aenderungsart.VERSCHOBEN).get()
    assert (eintrag.alt, eintrag.neu) == ({"kennzeichen": "0.2.01"}, {"kennzeichen": "6.1.01"})
    sortiert = list(
        Aktenplaneinheit.objects.order_by("sortierschluessel").values_list("kennzeichen", flat=True)
    )
    assert sortiert == ["0", "6", "6.1", "6.1.01", "6.1.02"]


def test_verschieben_unter_sich_selbst_wird_abgelehnt(kleiner_plan, digitallotse):
    with pytest.raises(ValidationError) as fehler:
        services.einheit_verschieben(
            einheit=kleiner_plan["0"],
            neuer_parent=kleiner_plan["0.2"],
            neues_kennzeichen="0.2.03",
            akteur=akteur_von(digitallotse),
        )
    assert "unter sich selbst" in str(fehler.value)


def test_stilllegen_gilt_fuer_den_teilbaum_und_sperrt_neue_einheiten(
    kleiner_plan, digitallotse, einheit_anlegen
):
    services.einheit_stilllegen(
        einheit=kleiner_plan["0.2"], akteur=akteur_von(digitallotse), nachfolger=kleiner_plan["6"]
    )
    stillgelegt = set(
        Aktenplaneinheit.objects.filter(stillgelegt=True).values_list("kennzeichen", flat=True)
    )
    assert stillgelegt == {"0.2", "0.2.01", "0.2.02"}
    assert Aktenplaneinheit.objects.get(kennzeichen="0.2").nachfolger == kleiner_plan["6"]
    with pytest.raises(ValidationError, match="stillgelegten"):
        einheit_anlegen("0.2.03", "Neu", Aktenplaneinheit.objects.get(kennzeichen="0.2"))
    with pytest.raises(ValidationError, match="übergeordnete Einheit ist stillgelegt"):
        services.einheit_reaktivieren(
            einheit=kleiner_plan["0.2.01"], akteur=akteur_von(digitallotse)
        )
    services.einheit_reaktivieren(einheit=kleiner_plan["0.2"], akteur=akteur_von(digitallotse))
    assert not Aktenplaneinheit.objects.get(kennzeichen="0.2").stillgelegt


def test_ablagefaehig_sind_nur_aktive_blaetter(kleiner_plan, digitallotse, aktenplan):
    services.einheit_stilllegen(einheit=kleiner_plan["0.2.02"], akteur=akteur_von(digitallotse))
    treffer = selectors.ablagefaehig(aktenplan.einheiten.all())
    assert {e.kennzeichen for e in treffer} == {"0.2.01", "6"}


def test_einheiten_werden_nie_geloescht(kleiner_plan):
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        kleiner_plan["0"].delete()


@pytest.mark.django_db(transaction=True)
def test_gleichzeitiges_anlegen_desselben_kennzeichens_ergibt_genau_eine_einheit(
    aktenplan, digitallotse, digitallotse_michelstadt
):
    ergebnisse = []

    def anlegen(person):
        try:
            services.einheit_anlegen(
                aktenplan=aktenplan,
                parent=None,
                kennzeichen="3",
                titel=f"Kultur {person}",
                aufbewahrungsfrist=10,
                aussonderungsart="B",
                akteur=akteur_von(person),
            )
            ergebnisse.append("ok")
        except ValidationError:
            ergebnisse.append("abgelehnt")
        finally:
            connection.close()

    faeden = [
        threading.Thread(target=anlegen, args=(p,))
        for p in (digitallotse, digitallotse_michelstadt) * 3
    ]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join()
    assert sorted(ergebnisse) == ["abgelehnt"] * 5 + ["ok"]
    assert aktenplan.einheiten.filter(kennzeichen="3").count() == 1
