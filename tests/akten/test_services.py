"""The rules of the records: Aktenzeichen, zdA, versions, moves, shares, Wiedervorlagen."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from eakte.akten import dateien, selectors, services
from eakte.akten.models import Akte, Datei, Dokument, Version
from eakte.common.regeln import darf
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def jahr():
    """Read when the test runs, not at import: a run may cross midnight."""
    return timezone.localdate().year


def test_aktenzeichen_folgt_dem_muster_und_zaehlt_je_kennzeichen_und_jahr(
    akte_anlegen, sachbearbeitung, bauamt, kleiner_plan
):
    erste = akte_anlegen(sachbearbeitung, bauamt, "Erste")
    zweite = akte_anlegen(sachbearbeitung, bauamt, "Zweite")
    andere = akte_anlegen(sachbearbeitung, bauamt, "Wahl", einheit=kleiner_plan["0.2.02"])
    assert erste.aktenzeichen == f"ERB-0.2.01-0001/{jahr()}"
    assert zweite.aktenzeichen == f"ERB-0.2.01-0002/{jahr()}"
    assert andere.aktenzeichen == f"ERB-0.2.02-0001/{jahr()}"


def test_aktenzeichen_zaehlt_je_kommune_getrennt(
    akte_anlegen, sachbearbeitung, bauamt, fremde_sachbearbeitung, ordnungsamt_michelstadt
):
    akte_anlegen(sachbearbeitung, bauamt)
    michelstadt = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    assert michelstadt.aktenzeichen == f"MIC-0.2.01-0001/{jahr()}"


def test_eigenes_muster_der_kommune(akte_anlegen, sachbearbeitung, bauamt, erbach):
    erbach.aktenzeichen_muster = "{jahr}/{kennzeichen}/{nummer}"
    erbach.save()
    sachbearbeitung.kommune.refresh_from_db()
    assert akte_anlegen(sachbearbeitung, bauamt).aktenzeichen == f"{jahr()}/0.2.01/1"


@pytest.mark.parametrize(
    "muster, meldung",
    [
        ("{prefix}-{jahr}", "braucht {kennzeichen} und {nummer}"),
        ("{prefix}-{kennzeichen}-{nummer}-{geheim}", "Unbekannte Platzhalter"),
        ("{prefix}-{kennzeichen}-{nummer.__class__}", "Unbekannte Platzhalter"),
        ("{prefix-{kennzeichen}-{nummer}", "ungültig"),
    ],
)
def test_falsches_muster_wird_abgelehnt(erbach, muster, meldung):
    erbach.aktenzeichen_muster = muster
    with pytest.raises(ValidationError, match=meldung.replace("{", r"\{").replace("}", r"\}")):
        erbach.full_clean()


def test_zurueckgerollte_anlage_gibt_ihre_nummer_zurueck(
    akte_anlegen, sachbearbeitung, bauamt, django_assert_num_queries
):
    from django.db import transaction

    akte_anlegen(sachbearbeitung, bauamt)
    with pytest.raises(RuntimeError), transaction.atomic():
        akte_anlegen(sachbearbeitung, bauamt)
        raise RuntimeError("Abbruch nach der Nummernvergabe")
    assert akte_anlegen(sachbearbeitung, bauamt).laufende_nummer == 2


def test_akte_nur_unter_aktivem_blatt(
    akte_anlegen, sachbearbeitung, bauamt, kleiner_plan, digitallotse
):
    from aktenplan import services as plan_services

    with pytest.raises(ValidationError, match="untersten Ebene"):
        akte_anlegen(sachbearbeitung, bauamt, einheit=kleiner_plan["0.2"])
    bestehende = akte_anlegen(sachbearbeitung, bauamt, einheit=kleiner_plan["0.2.02"])
    plan_services.einheit_stilllegen(
        einheit=kleiner_plan["0.2.02"], akteur=akteur_von(digitallotse)
    )
    with pytest.raises(ValidationError, match="untersten Ebene"):
        akte_anlegen(sachbearbeitung, bauamt, einheit=kleiner_plan["0.2.02"])
    bestehende.refresh_from_db()
    assert bestehende.aktenplaneinheit == kleiner_plan["0.2.02"] and not bestehende.ist_zda


def test_umnummerieren_der_einheit_laesst_akte_und_aktenzeichen(akte, kleiner_plan, digitallotse):
    from aktenplan import services as plan_services

    vorher = akte.aktenzeichen
    plan_services.einheit_verschieben(
        einheit=kleiner_plan["0.2.01"],
        akteur=akteur_von(digitallotse),
        neuer_parent=kleiner_plan["0.2"],
        neues_kennzeichen="0.2.05",
    )
    akte.refresh_from_db()
    assert akte.aktenplaneinheit.kennzeichen == "0.2.05" and akte.aktenzeichen == vorher


def test_akte_nicht_fuer_fremde_oe(
    akte_anlegen, sachbearbeitung, hauptamt, ordnungsamt_michelstadt
):
    with pytest.raises(ValidationError, match="eigene Organisationseinheit"):
        akte_anlegen(sachbearbeitung, hauptamt)
    with pytest.raises(ValidationError, match="Organisationseinheit Ihrer Kommune"):
        akte_anlegen(sachbearbeitung, ordnungsamt_michelstadt)


def test_zda_macht_die_akte_schreibgeschuetzt_und_startet_die_frist(
    akte, vorgang, dokument, sachbearbeitung, pdf_datei
):
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    akte.refresh_from_db()
    heute = timezone.localdate()
    assert akte.zda_am == heute and akte.zda_durch == sachbearbeitung
    # 0.2.01 Sitzungen is unbefristet (Frist None) in the small plan
    assert akte.aufbewahrung_bis is None
    for versuch in (
        lambda: services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei()
        ),
        lambda: services.version_hochladen(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, datei=pdf_datei("neu.pdf")
        ),
        lambda: services.vorgang_anlegen(
            akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Neu"
        ),
        lambda: services.akte_aendern(akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Neu"),
        lambda: services.dokument_aendern(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, titel="Neu"
        ),
    ):
        with pytest.raises(ValidationError, match="zu den Akten verfügt"):
            versuch()
    assert Dokument.objects.filter(akte=akte).count() == 1


def test_aufbewahrungsfrist_endet_am_jahresende(
    akte_anlegen, sachbearbeitung, bauamt, kleiner_plan
):
    akte = akte_anlegen(sachbearbeitung, bauamt, einheit=kleiner_plan["0.2.02"])  # Frist 5 Jahre
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    akte.refresh_from_db()
    assert akte.aufbewahrung_bis == date(timezone.localdate().year + 5, 12, 31)


def test_nur_kommunen_admin_eroeffnet_wieder(
    akte, sachbearbeitung, kommunen_admin, fremder_kommunen_admin
):
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    with pytest.raises(PermissionDenied):
        services.akte_wiedereroeffnen(
            akteur=akteur_von(sachbearbeitung), akte=akte, grund="Versehen"
        )
    with pytest.raises(PermissionDenied):
        services.akte_wiedereroeffnen(
            akteur=akteur_von(fremder_kommunen_admin), akte=akte, grund="x"
        )
    with pytest.raises(ValidationError, match="Grund"):
        services.akte_wiedereroeffnen(akteur=akteur_von(kommunen_admin), akte=akte, grund=" ")
    services.akte_wiedereroeffnen(
        akteur=akteur_von(kommunen_admin), akte=akte, grund="Widerspruch eingegangen"
    )
    akte.refresh_from_db()
    assert not akte.ist_zda and akte.aufbewahrung_bis is None
    eintrag = Protokolleintrag.objects.filter(aktion=Aktion.WIEDEREROEFFNET).get()
    assert "Widerspruch eingegangen" in eintrag.beschreibung and eintrag.benutzer == kommunen_admin


def test_neue_version_behaelt_die_alten(dokument, sachbearbeitung, pdf_datei):
    services.version_hochladen(
        akteur=akteur_von(sachbearbeitung),
        dokument=dokument,
        datei=pdf_datei("Bauantrag-korrigiert.pdf"),
    )
    versionen = list(dokument.versionen.order_by("nummer"))
    assert [v.nummer for v in versionen] == [1, 2]
    assert versionen[0].datei.sha256 != versionen[1].datei.sha256
    for version in versionen:
        with dateien.oeffnen(version.datei) as inhalt:
            assert inhalt.read().startswith(b"%PDF")


def test_gleicher_inhalt_wird_einmal_gespeichert_und_erkannt(vorgang, sachbearbeitung, pdf_datei):
    erste = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei("a.pdf", "gleich")
    )
    zweite = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei("b.pdf", "gleich")
    )
    assert erste.datei_id == zweite.datei_id
    assert Datei.objects.count() == 1
    gleiche = selectors.gleicher_inhalt_in_akte(vorgang.akte, erste.datei.sha256)
    assert {v.dateiname for v in gleiche} == {"a.pdf", "b.pdf"}


@pytest.mark.parametrize(
    "name, inhalt, meldung",
    [
        ("leer.pdf", b"", "leer"),
        ("programm.pdf", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, "nicht angenommen"),
        ("skript.pdf", b"#!/bin/sh\nrm -rf /\n", "nicht angenommen"),
    ],
)
def test_unzulaessige_datei_hinterlaesst_nichts(vorgang, sachbearbeitung, name, inhalt, meldung):
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError, match=meldung):
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=SimpleUploadedFile(name, inhalt),
        )
    assert not Dokument.objects.exists() and not Datei.objects.exists()


def test_zu_grosse_datei(vorgang, sachbearbeitung, pdf_datei, settings):
    settings.UPLOAD_MAX_BYTES = 100
    with pytest.raises(ValidationError, match="zu groß"):
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei()
        )
    assert not Version.objects.exists()


def test_dateiname_ohne_pfad():
    assert services.dateiname_bereinigen("C:\\fakepath\\Antrag.pdf") == "Antrag.pdf"
    assert services.dateiname_bereinigen("../../etc/passwd") == "passwd"
    assert services.dateiname_bereinigen('Ärger "Zitat".pdf') == 'Ärger "Zitat".pdf'
    assert services.dateiname_bereinigen("..") == "datei"


def test_dokument_verschieben_in_andere_akte(
    dokument, akte_anlegen, sachbearbeitung, bauamt, fremde_sachbearbeitung, ordnungsamt_michelstadt
):
    ziel_akte = akte_anlegen(sachbearbeitung, bauamt, "Andere Akte")
    ziel = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=ziel_akte, betreff="Ziel"
    )
    services.dokument_verschieben(akteur=akteur_von(sachbearbeitung), dokument=dokument, ziel=ziel)
    dokument.refresh_from_db()
    assert dokument.vorgang == ziel and dokument.akte == ziel_akte
    fremde = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    fremder_vorgang = services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde, betreff="x"
    )
    with pytest.raises(ValidationError, match="bleiben in ihrer Kommune"):
        services.dokument_verschieben(
            akteur=akteur_von(sachbearbeitung), dokument=dokument, ziel=fremder_vorgang
        )


def test_sichtbarkeit_nach_oe_rolle_und_freigabe(
    akte, sachbearbeitung, kollegin_andere_oe, kommunen_admin, fremde_sachbearbeitung, datenschutz
):
    def sieht(person):
        return selectors.akten_fuer(person).filter(pk=akte.pk).exists()

    assert sieht(sachbearbeitung) and sieht(kommunen_admin)
    assert not sieht(kollegin_andere_oe) and not sieht(fremde_sachbearbeitung)
    assert not sieht(datenschutz)
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    assert sieht(fremde_sachbearbeitung)
    assert not darf(fremde_sachbearbeitung, "akten.schreiben", akte)
    assert list(selectors.freigegebene_akten(fremde_sachbearbeitung)) == [akte]
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=fremde_sachbearbeitung,
        schreiben=True,
    )
    assert darf(fremde_sachbearbeitung, "akten.schreiben", akte)
    services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    assert not sieht(fremde_sachbearbeitung)
    assert [
        e.aktion
        for e in Protokolleintrag.objects.filter(akte_uuid=akte.uuid).order_by("laufnummer")
    ] == [Aktion.ANGELEGT, Aktion.FREIGEGEBEN, Aktion.FREIGEGEBEN, Aktion.FREIGABE_ENTZOGEN]


def test_freigabe_nicht_an_andere_verbuende(
    akte, sachbearbeitung, fremder_verbund_admin, fremde_sachbearbeitung
):
    with pytest.raises(ValidationError, match="gibt es im Verbund nicht"):
        services.akte_freigeben(
            akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremder_verbund_admin
        )
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    with pytest.raises(PermissionDenied):  # a grantee cannot pass the Akte on
        services.akte_freigeben(
            akteur=akteur_von(fremde_sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
        )


def test_wiedervorlage_wird_faellig(akte, sachbearbeitung, kollegin_andere_oe):
    heute = timezone.localdate()
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute, notiz="Frist prüfen"
    )
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute + timedelta(days=3)
    )
    faellig = selectors.faellige_wiedervorlagen(sachbearbeitung, stichtag=heute)
    assert [w.notiz for w in faellig] == ["Frist prüfen"]
    with pytest.raises(ValidationError, match="Vergangenheit"):
        services.wiedervorlage_setzen(
            akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute - timedelta(days=1)
        )
    with pytest.raises(PermissionDenied):
        services.wiedervorlage_setzen(akteur=akteur_von(kollegin_andere_oe), akte=akte, datum=heute)
    services.wiedervorlage_erledigen(akteur=akteur_von(sachbearbeitung), wiedervorlage=faellig[0])
    assert not selectors.faellige_wiedervorlagen(sachbearbeitung, stichtag=heute).exists()


def test_akte_aendern_protokolliert_vorher_und_nachher(akte, sachbearbeitung):
    services.akte_aendern(akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Neuer Betreff")
    eintrag = Protokolleintrag.objects.filter(aktion=Aktion.GEAENDERT).get()
    assert eintrag.details == {
        "vorher": {"betreff": "Bauantrag Hauptstraße 1"},
        "nachher": {"betreff": "Neuer Betreff"},
    }
    assert Akte.objects.get(pk=akte.pk).aktenzeichen == akte.aktenzeichen


def test_freigabe_an_eine_oe_gilt_fuer_ihre_mitglieder(
    akte,
    sachbearbeitung,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    fremder_kommunen_admin,
    michelstadt,
):
    from eakte.kommunen.models import Organisationseinheit
    from tests.conftest import _person

    def sieht(person):
        return selectors.akten_fuer(person).filter(pk=akte.pk).exists()

    services.akte_fuer_oe_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, oe=ordnungsamt_michelstadt
    )
    assert sieht(fremde_sachbearbeitung)  # member of the Ordnungsamt Michelstadt
    assert list(selectors.freigegebene_akten(fremde_sachbearbeitung)) == [akte]
    assert not darf(fremde_sachbearbeitung, "akten.schreiben", akte)
    andere_oe = Organisationseinheit.objects.create(
        kommune=michelstadt, name="Kämmerei", kuerzel="KAE"
    )
    kaemmerei = _person(michelstadt, "sb.kaemmerei.michelstadt", [], [andere_oe])
    assert not sieht(kaemmerei)
    kaemmerei.organisationseinheiten.add(ordnungsamt_michelstadt)  # joins the OE: sees it at once
    assert sieht(kaemmerei)
    services.akte_fuer_oe_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, oe=ordnungsamt_michelstadt, schreiben=True
    )
    assert darf(fremde_sachbearbeitung, "akten.schreiben", akte)
    assert selectors.oe_freigaben(akte) == [{"oe": ordnungsamt_michelstadt, "schreiben": True}]
    services.oe_freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, oe=ordnungsamt_michelstadt
    )
    assert not sieht(fremde_sachbearbeitung) and not sieht(kaemmerei)
    beschreibungen = list(
        Protokolleintrag.objects.filter(
            akte_uuid=akte.uuid, aktion__in=[Aktion.FREIGEGEBEN, Aktion.FREIGABE_ENTZOGEN]
        )
        .order_by("laufnummer")
        .values_list("beschreibung", flat=True)
    )
    assert (
        beschreibungen[0]
        == "Akte für die Organisationseinheit Ordnungsamt (Michelstadt) freigegeben: nur lesen"
    )
    assert (
        beschreibungen[-1]
        == "Freigabe für die Organisationseinheit Ordnungsamt (Michelstadt) entzogen"
    )


def test_oe_freigabe_nur_im_verbund_und_nicht_an_die_eigene_oe(
    akte, sachbearbeitung, bauamt, sontra
):
    from eakte.kommunen.models import Organisationseinheit

    fremd = Organisationseinheit.objects.create(kommune=sontra, name="Bauamt", kuerzel="BA")
    with pytest.raises(ValidationError, match="gibt es im Verbund nicht"):
        services.akte_fuer_oe_freigeben(akteur=akteur_von(sachbearbeitung), akte=akte, oe=fremd)
    with pytest.raises(ValidationError, match="hat die Akte schon"):
        services.akte_fuer_oe_freigeben(akteur=akteur_von(sachbearbeitung), akte=akte, oe=bauamt)
