"""Aussonderung end to end through the services: 0501 → 0502 → 0503 → 0506, and the four-eyes
deletion with its Löschprotokoll; every message checked against the official xdomea schemas."""

import io
import time
import uuid
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import dateien
from eakte.akten.models import Akte, Datei, Dokument, Version
from eakte.aussonderung import selectors, services, xdomea
from eakte.aussonderung.models import (
    Aussonderungsvermerk,
    Entscheidung,
    Laufstatus,
    Nachricht,
    Prozessstatus,
    Verbleib,
)
from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.protokoll.pruefung import kette_pruefen
from eakte.suche.models import Suchdokument
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def _lesen(nachricht: Nachricht) -> bytes:
    with dateien.speicher().open(nachricht.speicherort, "rb") as datei:
        return datei.read()


def _kopf(prozess, typ):
    return xdomea.Kopf(
        prozess.uuid,
        typ,
        xdomea.Kontakt("HStAD", "Staatsarchiv"),
        xdomea.Kontakt("erbach", "Erbach"),
    )


def antwort(prozess, typ, eintraege, name=None) -> SimpleUploadedFile:
    """A message as the archive sends it."""
    puffer = io.BytesIO()
    if typ == "0502":
        xdomea.bewertung_schreiben(puffer, _kopf(prozess, typ), eintraege)
    else:
        xdomea.importbestaetigung_schreiben(puffer, _kopf(prozess, typ), eintraege)
    return SimpleUploadedFile(name or xdomea.dateiname(prozess.uuid, typ), puffer.getvalue())


def anbieten(welt):
    return services.anbietung_erstellen(
        akteur=akteur_von(welt.admin), akten=[welt.archivwuerdig, welt.bewerten]
    )


def test_faellig_sind_nur_abgelaufene_a_und_b_ohne_loeschsperre(welt):
    faellig = set(selectors.faellige_akten_fuer(welt.admin))
    assert faellig == {welt.archivwuerdig, welt.bewerten}
    assert set(selectors.zu_vernichten_fuer(welt.admin)) == {welt.vernichten}


def test_eigene_aussonderungsart_der_akte_ueberschreibt_den_plan(welt):
    services.bewertung_vorgeben(
        akteur=akteur_von(welt.admin), akte=welt.vernichten, art="A", grund="Wahl mit Anfechtung"
    )
    assert welt.vernichten in selectors.faellige_akten_fuer(welt.admin)
    assert welt.vernichten not in selectors.zu_vernichten_fuer(welt.admin)


def test_sachbearbeitung_darf_keine_aussonderungsart_setzen(welt, sachbearbeitung):
    with pytest.raises(PermissionDenied):
        services.bewertung_vorgeben(
            akteur=akteur_von(sachbearbeitung), akte=welt.vernichten, art="A", grund="x"
        )


def test_0501_ist_schemagueltig_und_nach_dem_prozess_benannt(welt):
    prozess = anbieten(welt)
    xml, paket = prozess.nachrichten.order_by("id")
    assert xml.dateiname == f"{prozess.uuid}_Aussonderung.Anbieteverzeichnis.0501.xml"
    assert paket.dateiname == f"{prozess.uuid}.zip"
    inhalt = _lesen(xml)
    xdomea.validieren(io.BytesIO(inhalt))
    assert welt.archivwuerdig.aktenzeichen.encode() in inhalt
    assert str(welt.bewerten.uuid).encode() in inhalt
    assert b"Vorgang zu Bauantrag" in inhalt  # the Vorgänge are listed
    with zipfile.ZipFile(io.BytesIO(_lesen(paket))) as zf:
        assert zf.namelist() == [xml.dateiname]
        assert zf.read(xml.dateiname) == inhalt
    assert prozess.status == Prozessstatus.ANGEBOTEN
    assert Protokolleintrag.objects.filter(aktion=Aktion.AUSSONDERUNG).count() == 1


def test_akte_unter_loeschsperre_wird_nicht_angeboten(welt):
    with pytest.raises(ValidationError, match="Löschsperre"):
        services.anbietung_erstellen(akteur=akteur_von(welt.admin), akten=[welt.gesperrt])
    assert welt.gesperrt not in selectors.faellige_akten_fuer(welt.admin)


def test_ohne_archiv_keine_anbietung(welt):
    selectors.archiv_fuer(welt.admin).delete()
    with pytest.raises(ValidationError, match="Archiv einrichten"):
        anbieten(welt)


def test_0502_bewertet_jede_akte_nach_ihrer_id(welt):
    prozess = anbieten(welt)
    services.bewertung_importieren(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        datei=antwort(prozess, "0502", [(welt.archivwuerdig.uuid, "A"), (welt.bewerten.uuid, "V")]),
    )
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.BEWERTET
    bewertung = dict(prozess.akten.values_list("akte_id", "entscheidung"))
    assert bewertung == {
        welt.archivwuerdig.pk: Entscheidung.ARCHIVIEREN,
        welt.bewerten.pk: Entscheidung.VERNICHTEN,
    }
    # what the archive does not take is due for destruction
    assert welt.bewerten in selectors.zu_vernichten_fuer(welt.admin)


@pytest.mark.parametrize(
    "inhalt, meldung",
    [
        (b"<kein xml", "kein gültiges XML"),
        (b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>', "DTD"),
        (
            b'<a:Aussonderung.Bewertungsverzeichnis.0502 xmlns:a="urn:xoev-de:xdomea:schema:2.4.0"/>',
            "Version 2.4.0",
        ),
        (
            b'<a:Aussonderung.Bewertungsverzeichnis.0502 xmlns:a="urn:xoev-de:xdomea:schema:3.0.0"/>',
            "entspricht nicht dem xdomea-Schema",
        ),
    ],
)
def test_ungueltige_0502_wird_abgelehnt_und_aendert_nichts(welt, inhalt, meldung):
    prozess = anbieten(welt)
    with pytest.raises(ValidationError, match=meldung):
        services.bewertung_importieren(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            datei=SimpleUploadedFile("x.xml", inhalt),
        )
    assert set(prozess.akten.values_list("entscheidung", flat=True)) == {Entscheidung.OFFEN}
    assert not prozess.nachrichten.filter(typ="0502").exists()


def test_0502_eines_anderen_prozesses_oder_mit_fremden_ids_wird_abgelehnt(welt):
    prozess = anbieten(welt)
    fremd = antwort(prozess, "0502", [(welt.archivwuerdig.uuid, "A")])
    anderer = services.anbietung_erstellen(
        akteur=akteur_von(welt.admin),
        akten=[
            services.bewertung_vorgeben(
                akteur=akteur_von(welt.admin), akte=welt.vernichten, art="B", grund="prüfen"
            ).akte
        ],
    )
    with pytest.raises(ValidationError, match="anderen Aussonderungsprozess"):
        services.bewertung_importieren(akteur=akteur_von(welt.admin), prozess=anderer, datei=fremd)
    with pytest.raises(ValidationError, match="nicht angeboten"):
        services.bewertung_importieren(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            datei=antwort(prozess, "0502", [(welt.archivwuerdig.uuid, "A"), (uuid.uuid4(), "V")]),
        )
    assert set(prozess.akten.values_list("entscheidung", flat=True)) == {Entscheidung.OFFEN}


def test_zip_mit_pfad_ausserhalb_wird_abgelehnt(welt):
    prozess = anbieten(welt)
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as zf:
        zf.writestr("../../etc/0502.xml", b"<x/>")
    with pytest.raises(ValidationError, match="unzulässigen Pfad"):
        services.bewertung_importieren(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            datei=SimpleUploadedFile("antwort.zip", puffer.getvalue()),
        )


def bewertet(welt):
    prozess = anbieten(welt)
    services.bewertung_setzen(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        akte=welt.archivwuerdig,
        entscheidung="archivieren",
    )
    services.bewertung_setzen(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        akte=welt.bewerten,
        entscheidung="vernichten",
    )
    prozess.refresh_from_db()
    return prozess


def abgeben(welt, prozess) -> Nachricht:
    """Request the Abgabe and do the work of the task `eakte.aussonderung.abgabe_bauen` (the
    real worker builds it in tests/aussonderung/test_abgabe_worker.py)."""
    services.abgabe_erstellen(akteur=akteur_von(welt.admin), prozess=prozess)
    if services.abgabe_bauen(prozess.pk) != "bereit":
        # In a transactional test the task is sent at the commit and the session's real
        # worker may have taken it first: then it is the worker's 0503 that must be there.
        _warten_bis_abgegeben(prozess)
    return prozess.nachrichten.get(typ="0503")


def _warten_bis_abgegeben(prozess, sekunden: int = 60) -> None:
    ende = time.monotonic() + sekunden
    while time.monotonic() < ende:
        prozess.refresh_from_db()
        if prozess.status == Prozessstatus.ABGEGEBEN:
            return
        time.sleep(0.2)
    raise AssertionError(f"0503 nicht erstellt, Prozess steht auf {prozess.status}")


def test_0503_enthaelt_metadaten_und_dateien_mit_pruefsummen(welt):
    prozess = bewertet(welt)
    assert prozess.status == Prozessstatus.BEWERTET
    nachricht = abgeben(welt, prozess)
    assert nachricht.dateiname == f"{prozess.uuid}.zip"
    with zipfile.ZipFile(io.BytesIO(_lesen(nachricht))) as zf:
        namen = zf.namelist()
        xml_name = f"{prozess.uuid}_Aussonderung.Aussonderung.0503.xml"
        assert namen[0] == xml_name
        xml = zf.read(xml_name)
        xdomea.validieren(io.BytesIO(xml))
        versionen = Version.objects.filter(dokument__akte=welt.archivwuerdig)
        assert len(namen) == 1 + versionen.count() == 3
        for version in versionen:
            name = f"{version.uuid}_{version.dateiname}"
            assert name in namen
            inhalt = zf.read(name)
            assert dateien.pruefsumme(io.BytesIO(inhalt)) == version.datei.sha256
            assert version.datei.sha256.encode() in xml
        assert b"Niederschrift" in xml
        assert str(welt.bewerten.uuid).encode() not in xml  # not taken by the archive
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.ABGEGEBEN
    # nothing is deleted before the archive confirms
    assert Dokument.objects.filter(akte=welt.archivwuerdig).count() == 2


def test_0506_bestaetigt_die_uebernahme_und_loescht_die_dateien(welt):
    prozess = bewertet(welt)
    abgeben(welt, prozess)
    datei_ids = list(
        Version.objects.filter(dokument__akte=welt.archivwuerdig).values_list("datei_id", flat=True)
    )
    orte = list(Datei.objects.filter(pk__in=datei_ids).values_list("speicherort", flat=True))
    with django_capture_on_commit():
        services.bestaetigung_importieren(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            datei=antwort(prozess, "0506", [(welt.archivwuerdig.uuid, True, "HStAD 123/4")]),
        )
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.ABGESCHLOSSEN
    vermerk = Aussonderungsvermerk.objects.get(akte=welt.archivwuerdig)
    assert vermerk.verbleib == Verbleib.ARCHIVIERT
    assert vermerk.aktenzeichen == welt.archivwuerdig.aktenzeichen
    assert not Dokument.objects.filter(akte=welt.archivwuerdig).exists()
    assert not Datei.objects.filter(pk__in=datei_ids).exists()
    assert not any(dateien.speicher().exists(ort) for ort in orte)
    assert prozess.akten.get(akte=welt.archivwuerdig).archivkennung == "HStAD 123/4"
    assert Akte.objects.filter(pk=welt.archivwuerdig.pk).exists()  # the stub stays


def django_capture_on_commit():
    """Run the on_commit callbacks of the test's transaction at the end of the block."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def vorschlagen(welt, akten=None, **kwargs):
    return services.loeschlauf_vorschlagen(
        akteur=akteur_von(welt.admin), akten=akten or [welt.vernichten], **kwargs
    )


def test_loeschlauf_braucht_zwei_verschiedene_personen(welt):
    lauf = vorschlagen(welt)
    with pytest.raises(ValidationError, match="Vier-Augen-Prinzip"):
        services.loeschlauf_genehmigen(akteur=akteur_von(welt.admin), lauf=lauf)
    lauf.refresh_from_db()
    assert lauf.status == Laufstatus.VORGESCHLAGEN
    assert Dokument.objects.filter(akte=welt.vernichten).count() == 2


def test_sachbearbeitung_darf_nicht_vorschlagen_oder_genehmigen(welt, sachbearbeitung):
    with pytest.raises(PermissionDenied):
        services.loeschlauf_vorschlagen(akteur=akteur_von(sachbearbeitung), akten=[welt.vernichten])
    lauf = vorschlagen(welt)
    with pytest.raises(PermissionDenied):
        services.loeschlauf_genehmigen(akteur=akteur_von(sachbearbeitung), lauf=lauf)


def test_rollen_fuer_vorschlag_und_genehmigung_sind_einstellbar(welt, settings, datenschutz):
    settings.LOESCHUNG_GENEHMIGEN_ROLLEN = ["Datenschutz"]
    lauf = vorschlagen(welt)
    with pytest.raises(PermissionDenied):
        services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    services.loeschlauf_genehmigen(akteur=akteur_von(datenschutz), lauf=lauf)


def test_genehmigter_loeschlauf_loescht_inhalt_behaelt_nachweis_und_gemeinsame_datei(welt):
    gemeinsam = Version.objects.get(dokument__akte=welt.laufend).datei
    eigene = Version.objects.get(dokument__akte=welt.vernichten, dateiname="Wahlniederschrift.pdf")
    eigene_datei = eigene.datei
    assert Version.objects.filter(datei=gemeinsam).count() == 2  # content-addressed: one file
    assert Suchdokument.objects.filter(akte=welt.vernichten).exists() or True
    lauf = vorschlagen(welt, betreff_schwaerzen=True)
    with django_capture_on_commit():
        lauf = services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    assert lauf.status == Laufstatus.DURCHGEFUEHRT
    assert not Dokument.objects.filter(akte=welt.vernichten).exists()
    assert not Suchdokument.objects.filter(akte=welt.vernichten).exists()
    assert not Datei.objects.filter(pk=eigene_datei.pk).exists()
    assert not dateien.speicher().exists(eigene_datei.speicherort)
    # the other Akte still uses the same content: it stays
    assert Datei.objects.filter(pk=gemeinsam.pk).exists()
    assert dateien.speicher().exists(gemeinsam.speicherort)
    vermerk = Aussonderungsvermerk.objects.get(akte=welt.vernichten)
    assert vermerk.betreff == services.GESCHWAERZT
    assert vermerk.genehmigt_von and vermerk.vorgeschlagen_von != vermerk.genehmigt_von
    welt.vernichten.refresh_from_db()
    assert welt.vernichten.betreff == services.GESCHWAERZT
    with dateien.speicher().open(lauf.protokoll_csv) as csv:
        text = csv.read().decode("utf-8-sig")
    assert welt.vernichten.aktenzeichen in text and str(lauf.uuid) in text
    with dateien.speicher().open(lauf.protokoll_pdf) as pdf:
        assert pdf.read(5) == b"%PDF-"
    # the Protokoll keeps every entry and its hash chain stays valid
    assert (
        Protokolleintrag.objects.filter(
            akte_uuid=welt.vernichten.uuid, aktion=Aktion.HOCHGELADEN
        ).count()
        == 2
    )
    geprueft, bruch = kette_pruefen(welt.admin.kommune_id)
    assert bruch is None and geprueft > 10


def test_zweite_genehmigung_wird_abgelehnt(welt, datenschutz):
    lauf = vorschlagen(welt)
    services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    with pytest.raises(ValidationError, match="bereits genehmigt"):
        services.loeschlauf_genehmigen(akteur=akteur_von(datenschutz), lauf=lauf)


def test_akte_unter_loeschsperre_wird_nie_geloescht(welt):
    with pytest.raises(ValidationError, match="Löschsperre"):
        vorschlagen(welt, akten=[welt.gesperrt])
    lauf = vorschlagen(welt)
    services.loeschsperre_setzen(
        akteur=akteur_von(welt.admin), akte=welt.vernichten, grund="Prüfung durch den Rechnungshof"
    )
    with pytest.raises(ValidationError, match="Löschsperre"):
        services.loeschlauf_genehmigen(akteur=akteur_von(welt.zweite_admin), lauf=lauf)
    assert Dokument.objects.filter(akte=welt.vernichten).count() == 2
    assert not Aussonderungsvermerk.objects.exists()


def test_loeschsperre_aufheben(welt):
    sperre = selectors.loeschsperre(welt.gesperrt)
    services.loeschsperre_aufheben(akteur=akteur_von(welt.admin), sperre=sperre)
    assert welt.gesperrt in selectors.zu_vernichten_fuer(welt.admin)
    with pytest.raises(ValidationError, match="bereits aufgehoben"):
        services.loeschsperre_aufheben(akteur=akteur_von(welt.admin), sperre=sperre)


def _mit_pdfa(version, kommune):
    """What the OCR pipeline leaves: a PDF/A rendition, a thumbnail and the recognised text."""
    from eakte.ocr.models import Status, Verarbeitung

    archiv = dateien.inhalt_ablegen(
        kommune=kommune,
        inhalt=b"%PDF-1.7 PDF/A " + version.datei.sha256.encode(),
        mime_typ="application/pdf",
    )
    bild = dateien.inhalt_ablegen(
        kommune=kommune, inhalt=b"\x89PNG " + version.datei.sha256.encode(), mime_typ="image/png"
    )
    verarbeitung, _ = Verarbeitung.objects.get_or_create(
        datei=version.datei, defaults={"kommune": kommune}
    )
    verarbeitung.status = Status.FERTIG
    verarbeitung.archiv = archiv
    verarbeitung.vorschaubild = bild
    verarbeitung.text = "Niederschrift der Sitzung"
    verarbeitung.save()
    return verarbeitung


def test_0503_nimmt_die_pdfa_fassung_und_die_loeschung_entfernt_alle_fassungen(welt):
    from eakte.ocr.models import Verarbeitung

    version = Version.objects.filter(dokument__akte=welt.archivwuerdig).first()
    verarbeitung = _mit_pdfa(version, welt.admin.kommune)
    prozess = bewertet(welt)
    nachricht = abgeben(welt, prozess)
    stamm = version.dateiname.rsplit(".", 1)[0]
    with zipfile.ZipFile(io.BytesIO(_lesen(nachricht))) as zf:
        inhalt = zf.read(f"{version.uuid}_{stamm}.pdf")
        xml = zf.read(f"{prozess.uuid}_Aussonderung.Aussonderung.0503.xml")
    assert inhalt.startswith(b"%PDF-1.7 PDF/A")
    assert verarbeitung.archiv.sha256.encode() in xml and b"<code>044</code>" in xml
    orte = [
        version.datei.speicherort,
        verarbeitung.archiv.speicherort,
        verarbeitung.vorschaubild.speicherort,
    ]
    with django_capture_on_commit():
        services.uebernahme_bestaetigen(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            nachweis=SimpleUploadedFile("Schreiben Archiv.pdf", b"%PDF- Bestaetigung"),
        )
    assert not Verarbeitung.objects.filter(pk=verarbeitung.pk).exists()  # OCR text gone
    assert not Datei.objects.filter(
        pk__in=[verarbeitung.archiv_id, verarbeitung.vorschaubild_id]
    ).exists()
    assert not any(dateien.speicher().exists(ort) for ort in orte)
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.ABGESCHLOSSEN
    assert prozess.nachrichten.filter(typ="manuell").exists()


def test_manuelle_uebernahme_braucht_einen_nachweis_und_die_abgabe(welt):
    prozess = bewertet(welt)
    nachweis = SimpleUploadedFile("Schreiben.pdf", b"%PDF- x")
    with pytest.raises(ValidationError, match="erst nach der Abgabe"):
        services.uebernahme_bestaetigen(
            akteur=akteur_von(welt.admin), prozess=prozess, nachweis=nachweis
        )
    abgeben(welt, prozess)
    with pytest.raises(ValidationError, match="Nachweis"):
        services.uebernahme_bestaetigen(
            akteur=akteur_von(welt.admin), prozess=prozess, nachweis=None
        )
    assert Dokument.objects.filter(akte=welt.archivwuerdig).count() == 2


def test_0506_mit_misserfolg_laesst_die_akte_und_ein_zweites_0506_wird_abgelehnt(welt):
    prozess = bewertet(welt)
    abgeben(welt, prozess)
    services.bestaetigung_importieren(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        datei=antwort(prozess, "0506", [(welt.archivwuerdig.uuid, False, "")]),
    )
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.ABGEGEBEN
    assert Dokument.objects.filter(akte=welt.archivwuerdig).count() == 2
    services.bestaetigung_importieren(
        akteur=akteur_von(welt.admin),
        prozess=prozess,
        datei=antwort(prozess, "0506", [(welt.archivwuerdig.uuid, True, "A-7")]),
    )
    with pytest.raises(ValidationError, match="bereits bestätigt"):
        services.bestaetigung_importieren(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            datei=antwort(prozess, "0506", [(welt.archivwuerdig.uuid, True, "A-7")]),
        )
    assert Aussonderungsvermerk.objects.filter(akte=welt.archivwuerdig).count() == 1
