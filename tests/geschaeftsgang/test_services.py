"""The Geschäftsgang's services: routes, acting, access to the Akte, Schlusszeichnung,
Vertretung, and the bad input of the issue (each refused with a German message, nothing
half-written)."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.akten import services as akten_services
from eakte.common.mandantenbereich import systembereich
from eakte.geschaeftsgang import selectors, services
from eakte.geschaeftsgang.models import (
    Empfaengerart,
    Ergebnis,
    Gangstatus,
    Geschaeftsgang,
    Schritt,
    Schrittstatus,
    Verfuegung,
)
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.geschaeftsgang.conftest import schritt
from tests.hilfen import akteur_von


def starten(wer, vorgang, schritte, **weiteres):
    return services.geschaeftsgang_starten(
        akteur=akteur_von(wer), vorgang=vorgang, schritte=schritte, **weiteres
    )


def bearbeiten(wer, s, ergebnis, **weiteres):
    return services.schritt_bearbeiten(
        akteur=akteur_von(wer), schritt=s, ergebnis=ergebnis, **weiteres
    )


def aktiv(gang):
    return list(gang.schritte.filter(status=Schrittstatus.AKTIV).order_by("position", "id"))


def test_route_laeuft_bis_zum_ende_und_steht_im_protokoll(
    vorgang, entwurf, sachbearbeitung, amtsleitung, buergermeister, route
):
    gang = starten(sachbearbeitung, vorgang, route, dokument=entwurf)
    (mz,) = aktiv(gang)
    assert mz.empfaenger_person == amtsleitung and mz.absender == sachbearbeitung
    assert list(selectors.postkorb_fuer(amtsleitung)) == [mz]
    assert not selectors.postkorb_fuer(buergermeister).exists()

    bearbeiten(amtsleitung, mz, Ergebnis.MITGEZEICHNET, bemerkung="Einverstanden.")
    (sz,) = aktiv(gang)
    assert sz.empfaenger_person == buergermeister and sz.absender == amtsleitung
    bearbeiten(buergermeister, sz, Ergebnis.SCHLUSSGEZEICHNET)
    (versand,) = aktiv(gang)
    bearbeiten(sachbearbeitung, versand, Ergebnis.ERLEDIGT)

    gang.refresh_from_db()
    assert gang.status == Gangstatus.ABGESCHLOSSEN
    assert gang.schlussgezeichnet_von == buergermeister
    texte = list(
        Protokolleintrag.objects.filter(aktion=Aktion.GESCHAEFTSGANG)
        .order_by("laufnummer")
        .values_list("beschreibung", flat=True)
    )
    assert len(texte) == 4
    assert "gestartet" in texte[0]
    assert "mitgezeichnet von Anna Amtsleiterin" in texte[1] and "Einverstanden." in texte[1]
    assert "schlussgezeichnet von Bernd Bürgermeister" in texte[2]
    assert "Version 1" in texte[2]


def test_schlusszeichnung_friert_die_version_ein_bis_zum_neuen_geschaeftsgang(
    vorgang, entwurf, sachbearbeitung, buergermeister, pdf_datei
):
    gang = starten(
        sachbearbeitung,
        vorgang,
        [schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister)],
        dokument=entwurf,
    )
    bearbeiten(buergermeister, aktiv(gang)[0], Ergebnis.SCHLUSSGEZEICHNET)
    entwurf.refresh_from_db()
    assert entwurf.schlussgezeichnete_version.nummer == 1
    with pytest.raises(ValidationError, match="schlussgezeichnet"):
        akten_services.version_hochladen(
            akteur=akteur_von(sachbearbeitung), dokument=entwurf, datei=pdf_datei("neu.pdf")
        )
    assert entwurf.versionen.count() == 1

    starten(
        sachbearbeitung,
        vorgang,
        [schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister)],
        dokument=entwurf,
    )
    entwurf.refresh_from_db()
    akten_services.version_hochladen(
        akteur=akteur_von(sachbearbeitung), dokument=entwurf, datei=pdf_datei("neu.pdf")
    )
    assert entwurf.versionen.count() == 2


def test_parallele_gruppe_wird_ganz_fertig_bevor_es_weitergeht(
    vorgang, sachbearbeitung, amtsleitung, kollegin_andere_oe, buergermeister
):
    gang = starten(
        sachbearbeitung,
        vorgang,
        [
            schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, gruppe=1),
            schritt(Verfuegung.STELLUNGNAHME, person=kollegin_andere_oe, gruppe=1),
            schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister),
        ],
    )
    mz, stn = aktiv(gang)
    assert mz.position == stn.position == 1
    bearbeiten(amtsleitung, mz, Ergebnis.MITGEZEICHNET)
    assert aktiv(gang) == [stn]
    bearbeiten(kollegin_andere_oe, stn, Ergebnis.ERLEDIGT, bemerkung="Keine Bedenken.")
    (sz,) = aktiv(gang)
    assert sz.empfaenger_person == buergermeister


def test_ablehnung_geht_an_den_absender_und_dann_wieder_zur_ablehnenden_stelle(
    vorgang, sachbearbeitung, amtsleitung, buergermeister, route
):
    gang = starten(sachbearbeitung, vorgang, route)
    bearbeiten(amtsleitung, aktiv(gang)[0], Ergebnis.MITGEZEICHNET)
    bearbeiten(buergermeister, aktiv(gang)[0], Ergebnis.ABGELEHNT, bemerkung="Frist fehlt.")
    (zurueck,) = aktiv(gang)
    assert zurueck.empfaenger_person == sachbearbeitung
    assert zurueck.verfuegung == Verfuegung.VERANLASSUNG and "Frist fehlt." in zurueck.notiz
    bearbeiten(sachbearbeitung, zurueck, Ergebnis.ERLEDIGT)
    (wieder,) = aktiv(gang)
    assert wieder.empfaenger_person == buergermeister
    assert wieder.verfuegung == Verfuegung.SCHLUSSZEICHNUNG


def test_ablehnung_an_einen_frueheren_schritt(
    vorgang, sachbearbeitung, amtsleitung, buergermeister, route
):
    gang = starten(sachbearbeitung, vorgang, route)
    mz = aktiv(gang)[0]
    bearbeiten(amtsleitung, mz, Ergebnis.MITGEZEICHNET)
    bearbeiten(
        buergermeister,
        aktiv(gang)[0],
        Ergebnis.ABGELEHNT,
        bemerkung="Bitte neu prüfen.",
        zurueck_an=mz,
    )
    (wieder,) = aktiv(gang)
    assert wieder.empfaenger_person == amtsleitung and wieder.verfuegung == Verfuegung.MITZEICHNUNG
    bearbeiten(amtsleitung, wieder, Ergebnis.MITGEZEICHNET)
    assert aktiv(gang)[0].empfaenger_person == buergermeister


def test_weiterleiten_fuegt_einen_schritt_ein(
    vorgang, sachbearbeitung, amtsleitung, kollegin_andere_oe, route
):
    gang = starten(sachbearbeitung, vorgang, route)
    bearbeiten(
        amtsleitung,
        aktiv(gang)[0],
        Ergebnis.WEITERGELEITET,
        weiter_an=services.SchrittAngabe(verfuegung="", person=kollegin_andere_oe),
    )
    (neu,) = aktiv(gang)
    assert neu.empfaenger_person == kollegin_andere_oe and neu.verfuegung == Verfuegung.MITZEICHNUNG
    assert gang.schritte.count() == 4


def test_teilnehmer_liest_die_akte_nur_solange_der_schritt_offen_ist(
    vorgang, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt, amtsleitung
):
    akte = vorgang.akte
    assert not akten_selectors.akten_fuer(kollegin_andere_oe).filter(pk=akte.pk).exists()
    gang = starten(
        sachbearbeitung,
        vorgang,
        [
            schritt(Verfuegung.STELLUNGNAHME, person=kollegin_andere_oe, gruppe=1),
            schritt(Verfuegung.STELLUNGNAHME, person=kollege_michelstadt, gruppe=1),
            schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, gruppe=1),
        ],
    )
    for wer in (kollegin_andere_oe, kollege_michelstadt):
        assert akten_selectors.akten_fuer(wer).filter(pk=akte.pk).exists()
    # another Kommune of the Verbund: its Bereich is widened by the share
    from eakte.common.mandantenbereich import bereich_fuer

    assert akte.kommune_id in bereich_fuer(kollege_michelstadt)
    schritte = {s.empfaenger_person: s for s in aktiv(gang)}
    bearbeiten(kollegin_andere_oe, schritte[kollegin_andere_oe], Ergebnis.ERLEDIGT)
    bearbeiten(kollege_michelstadt, schritte[kollege_michelstadt], Ergebnis.ERLEDIGT)
    bearbeiten(amtsleitung, schritte[amtsleitung], Ergebnis.MITGEZEICHNET)
    for wer in (kollegin_andere_oe, kollege_michelstadt):
        assert not akten_selectors.akten_fuer(wer).filter(pk=akte.pk).exists()
    assert akte.kommune_id not in bereich_fuer(kollege_michelstadt)
    # who could read before (the Bauamt) keeps it, and nothing was recorded for them
    assert akten_selectors.akten_fuer(amtsleitung).filter(pk=akte.pk).exists()


def test_wer_vorher_freigegeben_war_behaelt_den_zugriff(
    vorgang, sachbearbeitung, kollegin_andere_oe
):
    akte = vorgang.akte
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollegin_andere_oe
    )
    gang = starten(
        sachbearbeitung, vorgang, [schritt(Verfuegung.KENNTNIS, person=kollegin_andere_oe)]
    )
    bearbeiten(kollegin_andere_oe, aktiv(gang)[0], Ergebnis.ERLEDIGT)
    assert akten_selectors.akten_fuer(kollegin_andere_oe).filter(pk=akte.pk).exists()


def test_vertretung_zeigt_den_eintrag_beim_vertreter_und_protokolliert_iv(
    vorgang, sachbearbeitung, buergermeister, stellvertreter, abwesend
):
    gang = starten(
        sachbearbeitung, vorgang, [schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister)]
    )
    (eintrag,) = selectors.postkorb_liste(stellvertreter)
    assert eintrag.in_vertretung is True
    assert selectors.postkorb_liste(buergermeister).get().in_vertretung is False
    assert akten_selectors.akten_fuer(stellvertreter).filter(pk=vorgang.akte_id).exists()
    bearbeiten(stellvertreter, eintrag, Ergebnis.SCHLUSSGEZEICHNET)
    eintrag.refresh_from_db()
    assert eintrag.in_vertretung_fuer == buergermeister and eintrag.bearbeiter == stellvertreter
    gang.refresh_from_db()
    assert gang.schlussgezeichnet_von == stellvertreter
    letzter = Protokolleintrag.objects.filter(aktion=Aktion.GESCHAEFTSGANG).latest("laufnummer")
    assert "Stefan Vertreter i. V. für Bernd Bürgermeister" in letzter.beschreibung
    assert not akten_selectors.akten_fuer(stellvertreter).filter(pk=vorgang.akte_id).exists()


def test_wiedervorlagen_des_abwesenden_sieht_der_vertreter(
    akte, buergermeister, stellvertreter, abwesend, sachbearbeitung
):
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=buergermeister
    )
    wv = akten_services.wiedervorlage_setzen(
        akteur=akteur_von(buergermeister), akte=akte, datum=timezone.localdate()
    )
    assert list(selectors.wiedervorlagen_in_vertretung(stellvertreter)) == [wv]
    assert not selectors.wiedervorlagen_in_vertretung(sachbearbeitung).exists()


def test_oe_postkorb_und_rolle_in_der_oe(
    vorgang, sachbearbeitung, hauptamt, kollegin_andere_oe, kommunen_admin, erbach
):
    gang = starten(
        sachbearbeitung,
        vorgang,
        [
            schritt(Verfuegung.VERANLASSUNG, oe=hauptamt, gruppe=1),
            schritt(Verfuegung.KENNTNIS, rolle=Rolle.KOMMUNEN_ADMIN, oe=hauptamt, gruppe=1),
        ],
    )
    oe_schritt = gang.schritte.get(empfaenger_rolle="")
    rollen_schritt = gang.schritte.get(empfaenger_rolle=Rolle.KOMMUNEN_ADMIN)
    assert set(selectors.postkorb_fuer(kollegin_andere_oe)) == {oe_schritt}
    assert set(selectors.postkorb_fuer(kommunen_admin)) == {oe_schritt, rollen_schritt}
    assert set(selectors.oe_postkorb(hauptamt)) == {oe_schritt, rollen_schritt}
    # the OE got read access as a whole for the open step
    assert akten_selectors.akten_fuer(kollegin_andere_oe).filter(pk=vorgang.akte_id).exists()
    services.schritt_uebernehmen(akteur=akteur_von(kollegin_andere_oe), schritt=oe_schritt)
    assert set(selectors.postkorb_fuer(kommunen_admin)) == {rollen_schritt}
    with pytest.raises(ValidationError, match="bereits .* übernommen"):
        bearbeiten(kommunen_admin, oe_schritt, Ergebnis.ERLEDIGT)


@pytest.mark.django_db(transaction=True)
def test_zwei_nehmen_denselben_eintrag_gleichzeitig_genau_einer_bekommt_ihn(
    vorgang, sachbearbeitung, hauptamt, kollegin_andere_oe, kommunen_admin
):
    gang = starten(sachbearbeitung, vorgang, [schritt(Verfuegung.VERANLASSUNG, oe=hauptamt)])
    eintrag = aktiv(gang)[0]
    start = threading.Barrier(2)
    ergebnisse = {}

    def nehmen(wer):
        try:
            with systembereich("Test-Thread"):
                start.wait()
                services.schritt_uebernehmen(
                    akteur=akteur_von(wer), schritt=Schritt.alle.get(pk=eintrag.pk)
                )
            ergebnisse[wer.username] = "ok"
        except ValidationError as fehler:
            ergebnisse[wer.username] = fehler.messages[0]
        finally:
            connection.close()

    faeden = [
        threading.Thread(target=nehmen, args=(w,)) for w in (kollegin_andere_oe, kommunen_admin)
    ]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join()
    assert sorted(ergebnisse.values())[1] == "ok"
    verlierer = next(v for v in ergebnisse.values() if v != "ok")
    assert "bereits" in verlierer and "übernommen" in verlierer
    eintrag.refresh_from_db()
    assert ergebnisse[eintrag.bearbeiter.username] == "ok"
    assert Protokolleintrag.objects.filter(beschreibung__contains="übernommen von").count() == 1


# --- bad input -------------------------------------------------------------------------------


def test_nicht_ihr_schritt(vorgang, sachbearbeitung, amtsleitung, buergermeister, route):
    gang = starten(sachbearbeitung, vorgang, route)
    with pytest.raises(PermissionDenied, match="nicht in Ihrem Postkorb"):
        bearbeiten(buergermeister, aktiv(gang)[0], Ergebnis.MITGEZEICHNET)


def test_nicht_an_der_reihe(vorgang, sachbearbeitung, buergermeister, route):
    gang = starten(sachbearbeitung, vorgang, route)
    wartend = gang.schritte.get(empfaenger_person=buergermeister)
    with pytest.raises(ValidationError, match="nicht an der Reihe"):
        bearbeiten(buergermeister, wartend, Ergebnis.SCHLUSSGEZEICHNET)
    wartend.refresh_from_db()
    assert wartend.status == Schrittstatus.WARTEND and wartend.ergebnis == ""


def test_schon_erledigt(vorgang, sachbearbeitung, amtsleitung, route):
    gang = starten(sachbearbeitung, vorgang, route)
    mz = aktiv(gang)[0]
    bearbeiten(amtsleitung, mz, Ergebnis.MITGEZEICHNET)
    with pytest.raises(ValidationError, match="bereits erledigt"):
        bearbeiten(amtsleitung, mz, Ergebnis.MITGEZEICHNET)


def test_ergebnis_muss_zur_verfuegung_passen_und_ablehnung_braucht_grund(
    vorgang, sachbearbeitung, amtsleitung, route
):
    gang = starten(sachbearbeitung, vorgang, route)
    mz = aktiv(gang)[0]
    with pytest.raises(ValidationError, match="passt nicht"):
        bearbeiten(amtsleitung, mz, Ergebnis.SCHLUSSGEZEICHNET)
    with pytest.raises(ValidationError, match="begründen"):
        bearbeiten(amtsleitung, mz, Ergebnis.ABGELEHNT, bemerkung="  ")
    mz.refresh_from_db()
    assert mz.status == Schrittstatus.AKTIV


def test_empfaenger_ohne_zugang_zur_kommune(
    vorgang, sachbearbeitung, fremder_verbund_admin, amtsleitung
):
    anzahl = Geschaeftsgang.objects.count()
    with pytest.raises(ValidationError, match="keinen Zugang"):
        starten(
            sachbearbeitung,
            vorgang,
            [
                schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung),
                schritt(Verfuegung.KENNTNIS, person=fremder_verbund_admin),
            ],
        )
    assert Geschaeftsgang.objects.count() == anzahl and not Schritt.objects.exists()


def test_frist_in_der_vergangenheit(vorgang, sachbearbeitung, amtsleitung):
    gestern = timezone.localdate() - timedelta(days=1)
    with pytest.raises(ValidationError, match="Vergangenheit"):
        starten(
            sachbearbeitung,
            vorgang,
            [schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, frist=gestern)],
        )
    assert not Geschaeftsgang.objects.exists()


def test_kreis_in_einer_parallelen_gruppe(
    vorgang, sachbearbeitung, amtsleitung, buergermeister, kollegin_andere_oe
):
    with pytest.raises(ValidationError, match="Kreis"):
        starten(
            sachbearbeitung,
            vorgang,
            [
                schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, gruppe=1),
                schritt(Verfuegung.MITZEICHNUNG, person=kollegin_andere_oe, gruppe=2),
                schritt(Verfuegung.MITZEICHNUNG, person=buergermeister, gruppe=1),
            ],
        )
    with pytest.raises(ValidationError, match="zweimal"):
        starten(
            sachbearbeitung,
            vorgang,
            [
                schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, gruppe=1),
                schritt(Verfuegung.STELLUNGNAHME, person=amtsleitung, gruppe=1),
            ],
        )
    assert not Geschaeftsgang.objects.exists()


def test_abwesender_vertreter(buergermeister, stellvertreter, amtsleitung, abwesend):
    heute = timezone.localdate()
    with pytest.raises(ValidationError, match="selbst abwesend"):
        services.vertretung_setzen(
            akteur=akteur_von(amtsleitung),
            abwesend=amtsleitung,
            von=heute + timedelta(days=2),
            bis=heute + timedelta(days=3),
            vertreter=[buergermeister],
        )


def test_vertreter_anderer_kommune_nur_wenn_der_verbund_es_erlaubt(
    buergermeister, kollege_michelstadt, verbund_admin
):
    heute = timezone.localdate()

    def setzen():
        return services.vertretung_setzen(
            akteur=akteur_von(buergermeister),
            abwesend=buergermeister,
            von=heute,
            bis=heute,
            vertreter=[kollege_michelstadt],
        )

    with pytest.raises(ValidationError, match="nicht freigegeben"):
        setzen()
    services.verbund_einstellen(
        akteur=akteur_von(verbund_admin), vertretung_kommunenuebergreifend=True
    )
    assert setzen().vertreter.get() == kollege_michelstadt


def test_vertretung_setzt_nur_die_person_selbst_oder_ihr_admin(
    buergermeister, amtsleitung, kommunen_admin
):
    heute = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.vertretung_setzen(
            akteur=akteur_von(amtsleitung),
            abwesend=buergermeister,
            von=heute,
            bis=heute,
            vertreter=[amtsleitung],
        )
    services.vertretung_setzen(
        akteur=akteur_von(kommunen_admin),
        abwesend=buergermeister,
        von=heute,
        bis=heute,
        vertreter=[amtsleitung],
    )


def test_zda_mit_offenen_schritten_wird_abgelehnt_oder_nach_abbruch_erlaubt(
    vorgang, sachbearbeitung, amtsleitung, route
):
    akte = vorgang.akte
    gang = starten(sachbearbeitung, vorgang, route)
    with pytest.raises(ValidationError, match="offene Geschäftsgänge"):
        akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    with pytest.raises(ValidationError, match="offene Geschäftsgänge"):
        akten_services.vorgang_zda(akteur=akteur_von(sachbearbeitung), vorgang=vorgang)
    akte.refresh_from_db()
    assert not akte.ist_zda
    services.geschaeftsgang_abbrechen(
        akteur=akteur_von(sachbearbeitung), geschaeftsgang=gang, grund="erledigt sich"
    )
    assert not gang.schritte.filter(
        status__in=[Schrittstatus.AKTIV, Schrittstatus.WARTEND]
    ).exists()
    akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)


def test_starten_nur_mit_schreibrecht(vorgang, kollegin_andere_oe, amtsleitung):
    with pytest.raises(PermissionDenied):
        starten(kollegin_andere_oe, vorgang, [schritt(Verfuegung.KENNTNIS, person=amtsleitung)])


# --- Vorlagen --------------------------------------------------------------------------------


def test_vorlage_der_kommune_und_des_verbunds(
    vorgang, entwurf, sachbearbeitung, kommunen_admin, digitallotse, amtsleitung, buergermeister
):
    vorlage = services.vorlage_anlegen(
        akteur=akteur_von(kommunen_admin),
        name="Antwortschreiben",
        schritte=[
            services.VorlageschrittAngabe(
                Verfuegung.MITZEICHNUNG, Empfaengerart.PERSON, person=amtsleitung
            ),
            services.VorlageschrittAngabe(
                Verfuegung.SCHLUSSZEICHNUNG,
                Empfaengerart.PERSON,
                person=buergermeister,
                frist_tage=3,
            ),
            services.VorlageschrittAngabe(Verfuegung.VERSAND, Empfaengerart.ABSENDER),
        ],
    )
    with pytest.raises(PermissionDenied):
        services.vorlage_anlegen(
            akteur=akteur_von(sachbearbeitung),
            name="x",
            schritte=[services.VorlageschrittAngabe(Verfuegung.KENNTNIS, Empfaengerart.ABSENDER)],
        )
    with pytest.raises(ValidationError, match="Rollen oder den Absender"):
        services.vorlage_anlegen(
            akteur=akteur_von(digitallotse),
            name="Verbund",
            verbundweit=True,
            schritte=[
                services.VorlageschrittAngabe(
                    Verfuegung.KENNTNIS, Empfaengerart.PERSON, person=amtsleitung
                )
            ],
        )
    verbundweit = services.vorlage_anlegen(
        akteur=akteur_von(digitallotse),
        name="Verbund: Kenntnis an Kommunen-Admin",
        verbundweit=True,
        schritte=[
            services.VorlageschrittAngabe(
                Verfuegung.KENNTNIS, Empfaengerart.ROLLE, rolle=Rolle.KOMMUNEN_ADMIN
            )
        ],
    )
    assert set(selectors.vorlagen_fuer(sachbearbeitung)) == {vorlage, verbundweit}
    gang = services.geschaeftsgang_aus_vorlage_starten(
        akteur=akteur_von(sachbearbeitung), vorlage=vorlage, vorgang=vorgang, dokument=entwurf
    )
    schritte = list(gang.schritte.order_by("position"))
    assert [s.position for s in schritte] == [1, 2, 3]
    assert schritte[2].empfaenger_person == sachbearbeitung
    assert schritte[1].frist == timezone.localdate() + timedelta(days=3)
    # the intake (issue 19) starts templates as the system
    gang2 = services.geschaeftsgang_aus_vorlage_starten(
        akteur=akteur_von(sachbearbeitung), vorlage=verbundweit, vorgang=vorgang
    )
    assert gang2.schritte.get().empfaenger_kommune == vorgang.kommune
