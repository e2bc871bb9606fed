"""Every write of the Aussonderung: keyword-only, in a transaction, asks the rules, writes the
Protokoll. The Akte row itself is kept as the stub; its content (Dokumente, Versionen, files,
renditions, thumbnails, OCR texts, search rows) leaves the e-file through `_inhalt_entfernen`."""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from celery import current_app
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Akte, Datei, Dokument, Version, Vorgang
from eakte.common.akteur import Akteur
from eakte.common.csv_export import csv_text
from eakte.common.pdf import text_pdf
from eakte.common.regeln import pruefen
from eakte.common.wortlaut import mit_anzahl
from eakte.ocr.models import Verarbeitung
from eakte.posteingang.models import Posteingangseintrag
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import selectors, xdomea
from .models import (
    Archiv,
    Aussonderungsart,
    Aussonderungsvermerk,
    Bewertungsvorgabe,
    Entscheidung,
    Laufstatus,
    Loeschlauf,
    LoeschlaufAkte,
    Loeschsperre,
    Nachricht,
    Nachrichtentyp,
    Prozess,
    ProzessAkte,
    Prozessstatus,
    Verbleib,
)

MAX_NACHRICHT_BYTES = 50 * 1024 * 1024
GESCHWAERZT = "[geschwärzt]"


def _person(akteur: Akteur):
    if akteur.benutzer is None:
        raise PermissionDenied("Dieser Schritt braucht eine angemeldete Person.")
    return akteur.benutzer


def _akten(zahl: int) -> str:
    return mit_anzahl(zahl, "Akte", "Akten")


def _log(akteur, kommune_id, aktion, beschreibung, *, objekt=None, akte=None, details=None):
    protokollieren(
        kommune_id=kommune_id,
        aktion=aktion,
        akteur=akteur,
        beschreibung=beschreibung,
        objekt=objekt,
        akte=akte,
        details=details,
    )


def _verarbeitungen_sperren(akten) -> None:
    """Lock order (1) before (2), see docs/architektur.md: an OCR job finishing holds its
    Verarbeitung and then reads the Akte for the search index, so removing content (which
    deletes Verarbeitungen) locks them all first, before any of the Akten."""
    dateien_der_akten = Version.objects.filter(dokument__akte__in=akten).values("datei_id")
    list(
        Verarbeitung.objects.select_for_update()
        .filter(datei_id__in=dateien_der_akten)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _sperre_pruefen(akten) -> None:
    gesperrt = selectors.gesperrte_akten_ids([a.pk for a in akten])
    if gesperrt:
        zeichen = ", ".join(a.aktenzeichen for a in akten if a.pk in gesperrt)
        raise ValidationError(
            f"Unter Löschsperre (wird nicht angeboten, abgegeben oder gelöscht): {zeichen}."
        )


def _speichern(name: str, inhalt) -> str:
    """Store through the configured storage (folder or bucket). A name taken already gets a
    new one from the storage (never overwritten: the 0501 and the 0503 ZIP of one Prozess are
    both called `<uuid>.zip`)."""
    return dateien.speicher().save(name, inhalt)


def _ordner(prozess_oder_lauf) -> str:
    """Under the Kommune's own prefix, like every stored file (eakte/akten/dateien.py)."""
    return f"{prozess_oder_lauf.kommune.uuid}/aussonderung/{prozess_oder_lauf.uuid}"


# --- Archive configuration, A/B/V override, Löschsperre -------------------------------------


def archiv_einrichten(
    *, akteur: Akteur, kommune, name: str, kennung: str, kontakt: str = "", absender_kennung=""
) -> Archiv:
    pruefen(akteur.benutzer, "aussonderung.verwalten", kommune_obj(kommune))
    name, kennung = name.strip(), kennung.strip()
    if not name or not kennung:
        raise ValidationError("Name und Behördenkennung des Archivs sind nötig.")
    with transaction.atomic():
        archiv, _ = Archiv.objects.update_or_create(
            kommune=kommune,
            defaults={
                "name": name,
                "kennung": kennung,
                "kontakt": kontakt.strip(),
                "absender_kennung": absender_kennung.strip(),
            },
        )
        _log(
            akteur,
            kommune.pk,
            Aktion.EINSTELLUNG_GEAENDERT,
            f"Archiv „{name}“ eingerichtet",
            objekt=archiv,
            details={"kennung": kennung},
        )
    return archiv


@dataclass
class _KommuneAlsObjekt:
    kommune_id: int


def kommune_obj(kommune):
    return _KommuneAlsObjekt(kommune.pk)


def bewertung_vorgeben(*, akteur: Akteur, akte: Akte, art: str, grund: str) -> Bewertungsvorgabe:
    """An Akte's own A/B/V mark instead of its Aktenplaneinheit's (with reason)."""
    benutzer = _person(akteur)
    pruefen(benutzer, "aussonderung.verwalten", akte)
    if art not in Aussonderungsart.values:
        raise ValidationError("Aussonderungsart muss A, B oder V sein.")
    if not grund.strip():
        raise ValidationError("Bitte eine Begründung angeben.")
    with transaction.atomic():
        vorgabe, _ = Bewertungsvorgabe.objects.update_or_create(
            akte=akte,
            defaults={
                "kommune_id": akte.kommune_id,
                "art": art,
                "grund": grund.strip(),
                "gesetzt_von": benutzer,
            },
        )
        _log(
            akteur,
            akte.kommune_id,
            Aktion.GEAENDERT,
            f"Aussonderungsart der Akte auf {art} gesetzt",
            objekt=akte,
            akte=akte,
            details={"grund": grund.strip(), "plan": akte.aktenplaneinheit.aussonderungsart},
        )
    return vorgabe


def loeschsperre_setzen(*, akteur: Akteur, akte: Akte, grund: str) -> Loeschsperre:
    benutzer = _person(akteur)
    pruefen(benutzer, "aussonderung.verwalten", akte)
    if not grund.strip():
        raise ValidationError("Bitte den Grund der Löschsperre angeben (z. B. Rechtsstreit).")
    with transaction.atomic():
        Akte.objects.select_for_update().filter(pk=akte.pk).first()
        if Loeschsperre.objects.filter(akte=akte, aufgehoben_am__isnull=True).exists():
            raise ValidationError("Für diese Akte besteht bereits eine Löschsperre.")
        sperre = Loeschsperre.objects.create(
            kommune_id=akte.kommune_id, akte=akte, grund=grund.strip(), gesetzt_von=benutzer
        )
        akten_services.loeschsperre_vermerken_ungeprueft(akte, grund=sperre.grund)
        _log(
            akteur,
            akte.kommune_id,
            Aktion.LOESCHSPERRE,
            "Löschsperre gesetzt",
            objekt=akte,
            akte=akte,
            details={"grund": sperre.grund},
        )
    return sperre


def loeschsperre_aufheben(*, akteur: Akteur, sperre: Loeschsperre) -> Loeschsperre:
    benutzer = _person(akteur)
    pruefen(benutzer, "aussonderung.verwalten", sperre)
    with transaction.atomic():
        sperre = Loeschsperre.objects.select_for_update().get(pk=sperre.pk)
        if sperre.aufgehoben_am:
            raise ValidationError("Diese Löschsperre ist bereits aufgehoben.")
        sperre.aufgehoben_am = timezone.now()
        sperre.aufgehoben_von = benutzer
        sperre.save(update_fields=["aufgehoben_am", "aufgehoben_von"])
        akten_services.loeschsperre_vermerken_ungeprueft(sperre.akte, grund="")
        _log(
            akteur,
            sperre.kommune_id,
            Aktion.LOESCHSPERRE,
            "Löschsperre aufgehoben",
            objekt=sperre.akte,
            akte=sperre.akte,
            details={"grund": sperre.grund},
        )
    return sperre


# --- Anbietung (0501) ----------------------------------------------------------------------


def _kontakte(kommune) -> tuple[xdomea.Kontakt, xdomea.Kontakt, Archiv]:
    archiv = Archiv.objects.filter(kommune=kommune).first()
    if archiv is None:
        raise ValidationError("Bitte zuerst das zuständige Archiv einrichten (Name, Kennung).")
    eigene = xdomea.Kontakt(archiv.absender_kennung or kommune.slug, kommune.name)
    return eigene, xdomea.Kontakt(archiv.kennung, archiv.name), archiv


def _nachricht_ablegen(*, prozess, typ, name, inhalt, akteur, eingehend=False) -> Nachricht:
    """`inhalt`: bytes or an open binary file (read in blocks by the storage)."""
    datei = ContentFile(inhalt) if isinstance(inhalt, bytes) else File(inhalt)
    datei.seek(0)
    summe = dateien.pruefsumme(datei)
    datei.seek(0)
    ort = _speichern(f"{_ordner(prozess)}/{name}", datei)
    return Nachricht.objects.create(
        kommune_id=prozess.kommune_id,
        prozess=prozess,
        typ=typ,
        eingehend=eingehend,
        dateiname=name,
        speicherort=ort,
        groesse=datei.size,
        sha256=summe,
        erstellt_von=akteur.benutzer,
    )


def anbietung_erstellen(*, akteur: Akteur, akten: list[Akte]) -> Prozess:
    """A Prozess with its 0501 Anbieteverzeichnis (XML, and the ZIP named after the Prozess)."""
    benutzer = _person(akteur)
    pruefen(benutzer, "aussonderung.verwalten")
    if not akten:
        raise ValidationError("Bitte mindestens eine Akte auswählen.")
    kommune = benutzer.kommune
    _sperre_pruefen(akten)
    with transaction.atomic():
        akten = list(
            selectors.faellige_akten_fuer(benutzer)
            .select_for_update(of=("self",))
            .filter(pk__in=[a.pk for a in akten])
        )
        _sperre_pruefen(akten)
        if not akten:
            raise ValidationError("Keine der ausgewählten Akten ist zur Anbietung fällig.")
        eigene, archiv_kontakt, archiv = _kontakte(kommune)
        prozess = Prozess.objects.create(
            kommune=kommune, archiv_name=archiv.name, angelegt_von=benutzer
        )
        arten = selectors.aussonderungsarten(akten)
        ProzessAkte.objects.bulk_create(
            ProzessAkte(prozess=prozess, akte=a, kommune=kommune, vorschlag=arten[a.pk])
            for a in akten
        )
        kopf = xdomea.Kopf(prozess.uuid, "0501", eigene, archiv_kontakt)
        with tempfile.TemporaryFile() as xml:
            xdomea.nachricht_schreiben(xml, kopf, selectors.akten_daten(akten, arten))
            _zip_und_xml_ablegen(prozess, "0501", xml, akteur)
        _log(
            akteur,
            kommune.pk,
            Aktion.AUSSONDERUNG,
            f"{_akten(len(akten))} dem Archiv „{archiv.name}“ angeboten (0501)",
            objekt=prozess,
            details={"prozess": str(prozess.uuid), "akten": len(akten)},
        )
    return prozess


def _zip_und_xml_ablegen(prozess, typ, xml, akteur) -> None:
    name = xdomea.dateiname(prozess.uuid, typ)
    xml.seek(0)
    _nachricht_ablegen(prozess=prozess, typ=typ, name=name, inhalt=xml, akteur=akteur)
    with tempfile.TemporaryFile() as archiv:
        with zipfile.ZipFile(archiv, "w", zipfile.ZIP_DEFLATED) as zf:
            xml.seek(0)
            with zf.open(name, "w") as ziel:
                shutil.copyfileobj(xml, ziel, 1024 * 1024)
        _nachricht_ablegen(
            prozess=prozess, typ=typ, name=f"{prozess.uuid}.zip", inhalt=archiv, akteur=akteur
        )


# --- Incoming messages (0502, 0504–0507) ---------------------------------------------------


def _xml_aus_upload(datei) -> bytes:
    """The XML of an uploaded message: the file itself or the one message inside a ZIP (whose
    member names are checked: no paths, no '..', no absolute names)."""
    groesse = getattr(datei, "size", 0) or 0
    if groesse > MAX_NACHRICHT_BYTES:
        raise ValidationError("Die Nachricht ist zu groß (höchstens 50 MB).")
    datei.seek(0)
    kopf = datei.read(4)
    datei.seek(0)
    if kopf != b"PK\x03\x04":
        return datei.read()
    try:
        with zipfile.ZipFile(datei) as zf:
            namen = zf.namelist()
            for name in namen:
                pfad = PurePosixPath(name.replace("\\", "/"))
                if pfad.is_absolute() or ".." in pfad.parts or len(pfad.parts) != 1:
                    raise ValidationError(
                        f"Die ZIP-Datei enthält einen unzulässigen Pfad „{name}“ und wird "
                        "nicht verarbeitet."
                    )
            xml = [n for n in namen if n.lower().endswith(".xml")]
            if len(xml) != 1:
                raise ValidationError("Die ZIP-Datei muss genau eine xdomea-Nachricht enthalten.")
            info = zf.getinfo(xml[0])
            if info.file_size > MAX_NACHRICHT_BYTES:
                raise ValidationError("Die Nachricht in der ZIP-Datei ist zu groß.")
            return zf.read(info)
    except zipfile.BadZipFile as fehler:
        raise ValidationError("Die ZIP-Datei ist beschädigt.") from fehler


def _eingang_pruefen(prozess: Prozess, inhalt: bytes, erwartet: set[str]) -> xdomea.Eingang:
    eingang = xdomea.lesen(inhalt, erwartet)
    if eingang.prozess_id.lower() != str(prozess.uuid):
        raise ValidationError(
            "Die Nachricht gehört zu einem anderen Aussonderungsprozess "
            f"(Prozess-ID {eingang.prozess_id[:36]}), nicht zu {prozess.uuid}."
        )
    return eingang


def _prozess_gesperrt(prozess: Prozess) -> Prozess:
    return Prozess.objects.select_for_update().get(pk=prozess.pk)


def _bewertung_offen_pruefen(prozess: Prozess) -> None:
    if prozess.status == Prozessstatus.WIRD_ERSTELLT:
        raise ValidationError(
            "Die Aussonderung (0503) wird gerade erstellt: die Bewertung ist nicht mehr änderbar."
        )
    if prozess.status not in (Prozessstatus.ANGEBOTEN, Prozessstatus.BEWERTET):
        raise ValidationError("Die Akten dieses Prozesses sind bereits abgegeben.")


def bewertung_importieren(*, akteur: Akteur, prozess: Prozess, datei) -> Prozess:
    """Read the archive's 0502: every record by its id; unknown ids refuse the whole file."""
    pruefen(_person(akteur), "aussonderung.verwalten", prozess)
    inhalt = _xml_aus_upload(datei)
    eingang = _eingang_pruefen(prozess, inhalt, {"0502"})
    with transaction.atomic():
        prozess = _prozess_gesperrt(prozess)
        _bewertung_offen_pruefen(prozess)
        zeilen = {str(pa.akte.uuid): pa for pa in prozess.akten.select_related("akte")}
        unbekannt = [i for i, _ in eingang.eintraege if i.lower() not in zeilen]
        if unbekannt:
            raise ValidationError(
                "Das Bewertungsverzeichnis nennt Akten, die nicht angeboten wurden: "
                + ", ".join(unbekannt[:5])
                + (" …" if len(unbekannt) > 5 else "")
                + "."
            )
        for akte_id, art in eingang.eintraege:
            zeile = zeilen[akte_id.lower()]
            zeile.entscheidung = Entscheidung.ARCHIVIEREN if art == "A" else Entscheidung.VERNICHTEN
            zeile.save(update_fields=["entscheidung"])
        _bewertet(prozess)
        _nachricht_ablegen(
            prozess=prozess,
            typ="0502",
            akteur=akteur,
            eingehend=True,
            name=xdomea.dateiname(prozess.uuid, "0502"),
            inhalt=inhalt,
        )
        _log(
            akteur,
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            f"Bewertungsverzeichnis (0502) eingelesen: {_akten(len(eingang.eintraege))}",
            objekt=prozess,
            details={"prozess": str(prozess.uuid)},
        )
    return prozess


def _bewertet(prozess: Prozess) -> None:
    if not prozess.akten.filter(entscheidung=Entscheidung.OFFEN).exists():
        prozess.status = Prozessstatus.BEWERTET
        prozess.bewertet_am = timezone.now()
        prozess.save(update_fields=["status", "bewertet_am"])


def bewertung_setzen(
    *, akteur: Akteur, prozess: Prozess, akte: Akte, entscheidung: str
) -> ProzessAkte:
    """Manual Bewertung (the archive answered on paper)."""
    pruefen(_person(akteur), "aussonderung.verwalten", prozess)
    if entscheidung not in (Entscheidung.ARCHIVIEREN, Entscheidung.VERNICHTEN):
        raise ValidationError("Bewertung muss „archivieren“ oder „vernichten“ sein.")
    with transaction.atomic():
        prozess = _prozess_gesperrt(prozess)
        _bewertung_offen_pruefen(prozess)
        zeile = prozess.akten.filter(akte=akte).first()
        if zeile is None:
            raise ValidationError("Diese Akte gehört nicht zu diesem Prozess.")
        zeile.entscheidung = entscheidung
        zeile.save(update_fields=["entscheidung"])
        _bewertet(prozess)
        _log(
            akteur,
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            f"Akte von Hand bewertet: {entscheidung}",
            objekt=prozess,
            akte=akte,
            details={"prozess": str(prozess.uuid)},
        )
    return zeile


# --- Abgabe (0503) -------------------------------------------------------------------------


def _abgabe_akten(prozess: Prozess) -> list[Akte]:
    akten = list(
        Akte.objects.filter(
            pk__in=prozess.akten.filter(entscheidung=Entscheidung.ARCHIVIEREN).values("akte_id")
        ).select_related("aktenplaneinheit", "federfuehrende_oe")
    )
    _sperre_pruefen(akten)
    if not akten:
        raise ValidationError("Das Archiv übernimmt keine Akte dieses Prozesses.")
    return akten


def abgabe_erstellen(*, akteur: Akteur, prozess: Prozess) -> Prozess:
    """Request the 0503 Abgabe: checked here, built by the Celery task
    `eakte.aussonderung.abgabe_bauen` (a ZIP of several GB takes minutes, not a web request).
    The Prozess is `wird_erstellt` until the ZIP is in the file store; meanwhile the Bewertung
    cannot change."""
    person = _person(akteur)
    pruefen(person, "aussonderung.verwalten", prozess)
    with transaction.atomic():
        prozess = _prozess_gesperrt(prozess)
        if prozess.status == Prozessstatus.WIRD_ERSTELLT:
            raise ValidationError("Die Aussonderung (0503) wird bereits erstellt.")
        if prozess.status != Prozessstatus.BEWERTET:
            raise ValidationError(
                "Die Abgabe ist erst möglich, wenn alle Akten bewertet sind, und nur einmal."
            )
        akten = _abgabe_akten(prozess)
        prozess.status = Prozessstatus.WIRD_ERSTELLT
        prozess.abgabe_angefordert_von = person
        prozess.abgabe_fehler = ""
        prozess.save(update_fields=["status", "abgabe_angefordert_von", "abgabe_fehler"])
        _log(
            akteur,
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            f"Aussonderung (0503) angefordert: {_akten(len(akten))}; sie wird im Hintergrund "
            "erstellt",
            objekt=prozess,
            details={"prozess": str(prozess.uuid)},
        )
        pk = prozess.pk
        transaction.on_commit(
            lambda: current_app.send_task("eakte.aussonderung.abgabe_bauen", args=[pk])
        )
    return prozess


def abgabe_bauen(prozess_id: int) -> str:
    """The work of the task: write the ZIP (outside any transaction: it takes minutes), then
    store it as the 0503 Nachricht and mark the Prozess `abgegeben`. Anything failing puts the
    Prozess back to `bewertet` with a German reason on its page. Idempotent: a second delivery
    of the task finds the Prozess no longer `wird_erstellt` and does nothing."""
    prozess = Prozess.objects.select_related("kommune", "abgabe_angefordert_von").get(pk=prozess_id)
    if prozess.status != Prozessstatus.WIRD_ERSTELLT:
        return "nichts zu tun"
    person = prozess.abgabe_angefordert_von
    akteur = Akteur.system(
        "Aussonderung (0503) im Hintergrund"
        + (f", angefordert von {person.username}" if person else "")
    )
    try:
        # Deliberately temporary: an unnamed file (gone when closed, also after a crash); only
        # the finished ZIP is stored, as the 0503 Nachricht (tested: no leftovers).
        with tempfile.TemporaryFile() as archiv:
            akten = _abgabe_akten(prozess)
            eigene, archiv_kontakt, _ = _kontakte(prozess.kommune)
            kopf = xdomea.Kopf(prozess.uuid, "0503", eigene, archiv_kontakt)
            zip_0503_schreiben(archiv, kopf=kopf, akten=akten)
            with transaction.atomic():
                prozess = _prozess_gesperrt(prozess)
                if prozess.status != Prozessstatus.WIRD_ERSTELLT:
                    return "nichts zu tun"
                akten = _abgabe_akten(prozess)  # a Löschsperre set meanwhile stops it
                archiv.seek(0)
                nachricht = _nachricht_ablegen(
                    prozess=prozess,
                    typ="0503",
                    name=f"{prozess.uuid}.zip",
                    inhalt=archiv,
                    akteur=akteur,
                )
                Nachricht.objects.filter(pk=nachricht.pk).update(erstellt_von=person)
                prozess.status = Prozessstatus.ABGEGEBEN
                prozess.abgegeben_am = timezone.now()
                prozess.save(update_fields=["status", "abgegeben_am"])
                _log(
                    akteur,
                    prozess.kommune_id,
                    Aktion.AUSSONDERUNG,
                    f"Aussonderung (0503) erstellt: {_akten(len(akten))}",
                    objekt=prozess,
                    details={"prozess": str(prozess.uuid), "sha256": nachricht.sha256},
                )
    except Exception as fehler:
        grund = "; ".join(fehler.messages) if isinstance(fehler, ValidationError) else ""
        _abgabe_fehlgeschlagen(prozess_id, grund or f"Technischer Fehler ({type(fehler).__name__})")
        if isinstance(fehler, ValidationError):
            return "abgelehnt"
        raise
    return "bereit"


def _abgabe_fehlgeschlagen(prozess_id: int, grund: str) -> None:
    with transaction.atomic():
        prozess = Prozess.objects.select_for_update().get(pk=prozess_id)
        if prozess.status != Prozessstatus.WIRD_ERSTELLT:
            return
        prozess.status = Prozessstatus.BEWERTET
        prozess.abgabe_fehler = grund[:1000]
        prozess.save(update_fields=["status", "abgabe_fehler"])
        _log(
            Akteur.system("Aussonderung (0503) im Hintergrund"),
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            f"Aussonderung (0503) nicht erstellt: {grund}",
            objekt=prozess,
            details={"prozess": str(prozess.uuid)},
        )


def zip_0503_schreiben(ziel, *, kopf: xdomea.Kopf, akten) -> int:
    """Write the 0503 ZIP into the open binary file `ziel`; returns the bytes of file data."""
    dateiliste: list[tuple[str, Datei]] = []
    arten = selectors.aussonderungsarten(akten)
    name = xdomea.dateiname(kopf.prozess_id, "0503")
    with tempfile.TemporaryFile() as xml:
        xdomea.nachricht_schreiben(
            xml, kopf, selectors.akten_daten(akten, arten, mit_inhalt=True, dateiliste=dateiliste)
        )
        summe = 0
        with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            xml.seek(0)
            with zf.open(name, "w", force_zip64=True) as eintrag:
                shutil.copyfileobj(xml, eintrag, 1024 * 1024)
            for zipname, datei in dateiliste:
                info = zipfile.ZipInfo(zipname, date_time=timezone.localtime().timetuple()[:6])
                info.compress_type = zipfile.ZIP_STORED
                with dateien.oeffnen(datei) as quelle, zf.open(info, "w", force_zip64=True) as z:
                    shutil.copyfileobj(quelle, z, 1024 * 1024)
                summe += datei.groesse
    return summe


# --- Empfangs- und Importbestätigung (0504–0507) --------------------------------------------


def bestaetigung_importieren(*, akteur: Akteur, prozess: Prozess, datei) -> Prozess:
    """Import 0504, 0505, 0507 (kept) or 0506 (the takeover: the Akten become archiviert)."""
    pruefen(_person(akteur), "aussonderung.verwalten", prozess)
    inhalt = _xml_aus_upload(datei)
    eingang = _eingang_pruefen(prozess, inhalt, {"0504", "0505", "0506", "0507"})
    with transaction.atomic():
        prozess = _prozess_gesperrt(prozess)
        if eingang.typ == "0506":
            uebernommen = _uebernahme_pruefen(prozess, eingang)
        _nachricht_ablegen(
            prozess=prozess,
            typ=eingang.typ,
            akteur=akteur,
            eingehend=True,
            name=xdomea.dateiname(prozess.uuid, eingang.typ),
            inhalt=inhalt,
        )
        _log(
            akteur,
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            f"Nachricht {eingang.typ} ({xdomea.TYPEN[eingang.typ]}) eingelesen",
            objekt=prozess,
            details={"prozess": str(prozess.uuid)},
        )
        if eingang.typ == "0506":
            _archivieren(akteur, prozess, uebernommen)
    return prozess


def _uebernahme_pruefen(prozess, eingang) -> dict:
    if prozess.status == Prozessstatus.ABGESCHLOSSEN:
        raise ValidationError("Die Übernahme dieses Prozesses ist bereits bestätigt.")
    if prozess.status != Prozessstatus.ABGEGEBEN:
        raise ValidationError("Eine Importbestätigung passt erst nach der Abgabe (0503).")
    zeilen = {
        str(pa.akte.uuid): pa
        for pa in prozess.akten.filter(entscheidung=Entscheidung.ARCHIVIEREN).select_related("akte")
    }
    unbekannt = [i for i, *_ in eingang.eintraege if i.lower() not in zeilen]
    if unbekannt:
        raise ValidationError(
            "Die Importbestätigung nennt Akten, die nicht abgegeben wurden: "
            + ", ".join(unbekannt[:5])
            + "."
        )
    return {i.lower(): kennung for i, ok, kennung in eingang.eintraege if ok} | {"_zeilen": zeilen}


def uebernahme_bestaetigen(*, akteur: Akteur, prozess: Prozess, nachweis) -> Prozess:
    """Manual confirmation with a document (the archive confirmed on paper): all Akten of the
    Abgabe are taken over."""
    pruefen(_person(akteur), "aussonderung.verwalten", prozess)
    if nachweis is None or not getattr(nachweis, "size", 0):
        raise ValidationError(
            "Bitte den Nachweis der Übernahme (z. B. Scan des Schreibens) hochladen."
        )
    if nachweis.size > MAX_NACHRICHT_BYTES:
        raise ValidationError("Der Nachweis ist zu groß (höchstens 50 MB).")
    with transaction.atomic():
        prozess = _prozess_gesperrt(prozess)
        if prozess.status != Prozessstatus.ABGEGEBEN:
            raise ValidationError(
                "Die Übernahme kann erst nach der Abgabe (0503) bestätigt werden, und nur einmal."
            )
        zeilen = {
            str(pa.akte.uuid): pa
            for pa in prozess.akten.filter(entscheidung=Entscheidung.ARCHIVIEREN).select_related(
                "akte"
            )
        }
        name = dateien.speicher().get_valid_name(getattr(nachweis, "name", "nachweis"))
        _nachricht_ablegen(
            prozess=prozess,
            typ=Nachrichtentyp.MANUELL,
            akteur=akteur,
            eingehend=True,
            name=f"Nachweis_{name}",
            inhalt=nachweis,
        )
        _log(
            akteur,
            prozess.kommune_id,
            Aktion.AUSSONDERUNG,
            "Übernahme durch das Archiv von Hand bestätigt (mit Nachweis)",
            objekt=prozess,
            details={"prozess": str(prozess.uuid)},
        )
        _archivieren(akteur, prozess, {k: "" for k in zeilen} | {"_zeilen": zeilen})
    return prozess


def _archivieren(akteur, prozess, uebernommen: dict) -> None:
    zeilen = uebernommen.pop("_zeilen")
    akten = [zeilen[i].akte for i in uebernommen]
    _verarbeitungen_sperren(akten)
    _sperre_pruefen(akten)
    for akte_id, kennung in uebernommen.items():
        zeile = zeilen[akte_id]
        zeile.archivkennung = kennung or ""
        zeile.save(update_fields=["archivkennung"])
        _aussondern(akteur, zeile.akte, Verbleib.ARCHIVIERT, prozess=prozess)
    if len(uebernommen) == len(zeilen):
        prozess.status = Prozessstatus.ABGESCHLOSSEN
        prozess.abgeschlossen_am = timezone.now()
        prozess.save(update_fields=["status", "abgeschlossen_am"])


# --- Removing the content of an Akte --------------------------------------------------------


def _aussondern(akteur, akte, verbleib, *, prozess=None, lauf=None, schwaerzen=False):
    akte = Akte.objects.select_for_update().get(pk=akte.pk)
    if Aussonderungsvermerk.objects.filter(akte=akte).exists():
        raise ValidationError(f"Die Akte {akte.aktenzeichen} ist bereits ausgesondert.")
    anzahl = _inhalt_entfernen(akte)
    vermerk = Aussonderungsvermerk.objects.create(
        kommune_id=akte.kommune_id,
        akte=akte,
        verbleib=verbleib,
        aktenzeichen=akte.aktenzeichen,
        betreff=GESCHWAERZT if schwaerzen else akte.betreff,
        beginn=akte.beginn,
        ende=akte.ende or akte.zda_am,
        prozess=prozess,
        lauf=lauf,
        vorgeschlagen_von=lauf.vorgeschlagen_von.get_full_name() or lauf.vorgeschlagen_von.username
        if lauf
        else "",
        genehmigt_von=lauf.genehmigt_von.get_full_name() or lauf.genehmigt_von.username
        if lauf
        else "",
        dateien_geloescht=anzahl,
    )
    akten_services.akte_aussondern_ungeprueft(
        akte,
        verbleib=verbleib,
        am=vermerk.am,
        nach=f"an {prozess.archiv_name}" if prozess else f"Löschlauf {lauf.uuid}",
    )
    if schwaerzen:
        Akte.objects.filter(pk=akte.pk).update(betreff=GESCHWAERZT)
        Vorgang.objects.filter(akte=akte).update(betreff=GESCHWAERZT)
    text = "an das Archiv abgegeben" if verbleib == Verbleib.ARCHIVIERT else "gelöscht"
    _log(
        akteur,
        akte.kommune_id,
        Aktion.GELOESCHT,
        f"Inhalt der Akte {text}: {mit_anzahl(anzahl, 'Datei', 'Dateien')} entfernt, "
        "Nachweis bleibt",
        objekt=akte,
        akte=akte,
        details={
            "prozess": str(prozess.uuid) if prozess else "",
            "loeschlauf": str(lauf.uuid) if lauf else "",
        },
    )
    return vermerk


def _inhalt_entfernen(akte: Akte) -> int:
    """Delete the Dokumente and Versionen of the Akte, and every stored file (original, PDF/A,
    thumbnail, OCR text) that no other Akte, Posteingang item or processing still uses.
    Storage files are removed after the commit (a rollback keeps them)."""
    versionen = Version.objects.filter(dokument__akte=akte)
    kandidaten = set(versionen.values_list("datei_id", flat=True))
    Posteingangseintrag.objects.filter(zugeordnet_zu__in=versionen).delete()
    versionen.delete()
    Dokument.objects.filter(akte=akte).update(anlage_zu=None)
    Dokument.objects.filter(akte=akte).delete()  # Suchdokument cascades
    entfernt: list[str] = []
    while kandidaten:
        datei_id = kandidaten.pop()
        if Version.objects.filter(datei_id=datei_id).exists():
            continue  # another Akte (same content, content-addressed) still uses it
        verarbeitung = Verarbeitung.objects.filter(datei_id=datei_id).first()
        if verarbeitung is not None:
            kandidaten |= {verarbeitung.archiv_id, verarbeitung.vorschaubild_id} - {None}
            verarbeitung.delete()
        datei = Datei.alle.filter(pk=datei_id).first()
        if datei is None:
            continue
        try:
            with transaction.atomic():
                datei.delete()
        except (ProtectedError, IntegrityError):
            continue  # still referenced (a processing of other content, a Posteingang item)
        entfernt.append(datei.speicherort)
    speicher = dateien.speicher()
    transaction.on_commit(lambda: [speicher.delete(ort) for ort in entfernt])
    return len(entfernt)


# --- Löschung with four eyes ---------------------------------------------------------------


def loeschlauf_vorschlagen(
    *, akteur: Akteur, akten: list[Akte], betreff_schwaerzen: bool = False
) -> Loeschlauf:
    benutzer = _person(akteur)
    pruefen(
        benutzer,
        "aussonderung.loeschung_vorschlagen",
        meldung="Löschläufe vorschlagen dürfen nur die dafür bestimmten Rollen.",
    )
    if not akten:
        raise ValidationError("Bitte mindestens eine Akte auswählen.")
    with transaction.atomic():
        ids = [a.pk for a in akten]
        auswahl = list(selectors.zu_vernichten_fuer(benutzer).filter(pk__in=ids))
        gesperrt = [a for a in akten if a.pk in selectors.gesperrte_akten_ids(ids)]
        if gesperrt:
            _sperre_pruefen(gesperrt)
        if len(auswahl) != len(set(ids)):
            raise ValidationError("Nicht alle ausgewählten Akten sind zur Vernichtung fällig.")
        lauf = Loeschlauf.objects.create(
            kommune=benutzer.kommune,
            vorgeschlagen_von=benutzer,
            betreff_schwaerzen=betreff_schwaerzen,
        )
        LoeschlaufAkte.objects.bulk_create(
            LoeschlaufAkte(lauf=lauf, akte=a, kommune_id=a.kommune_id) for a in auswahl
        )
        _log(
            akteur,
            lauf.kommune_id,
            Aktion.GELOESCHT,
            f"Löschlauf mit {_akten(len(auswahl))} vorgeschlagen",
            objekt=lauf,
            details={"loeschlauf": str(lauf.uuid)},
        )
    return lauf


def loeschlauf_genehmigen(*, akteur: Akteur, lauf: Loeschlauf) -> Loeschlauf:
    """The second person approves: the Akten's content is deleted, the stub and the
    Löschprotokoll (PDF and CSV) are kept. The run row is locked, so that two approvals at the
    same moment cannot both pass."""
    benutzer = _person(akteur)
    pruefen(
        benutzer,
        "aussonderung.loeschung_genehmigen",
        lauf,
        meldung="Löschläufe genehmigen dürfen nur die dafür bestimmten Rollen.",
    )
    with transaction.atomic():
        lauf = (
            Loeschlauf.objects.select_for_update()
            .select_related("kommune", "vorgeschlagen_von")
            .get(pk=lauf.pk)
        )
        if lauf.status != Laufstatus.VORGESCHLAGEN:
            raise ValidationError("Dieser Löschlauf ist bereits genehmigt und durchgeführt.")
        if lauf.vorgeschlagen_von_id == benutzer.pk:
            raise ValidationError(
                "Vier-Augen-Prinzip: Wer den Löschlauf vorgeschlagen hat, darf ihn nicht "
                "selbst genehmigen."
            )
        akten = list(Akte.objects.filter(pk__in=lauf.akten.values("akte_id")))
        _verarbeitungen_sperren(akten)
        _sperre_pruefen(akten)
        lauf.status = Laufstatus.DURCHGEFUEHRT
        lauf.genehmigt_von = benutzer
        lauf.genehmigt_am = timezone.now()
        lauf.save(update_fields=["status", "genehmigt_von", "genehmigt_am"])
        vermerke = [
            _aussondern(
                akteur, akte, Verbleib.GELOESCHT, lauf=lauf, schwaerzen=lauf.betreff_schwaerzen
            )
            for akte in sorted(akten, key=lambda a: a.aktenzeichen)
        ]
        _loeschprotokoll_ablegen(lauf, vermerke)
        _log(
            akteur,
            lauf.kommune_id,
            Aktion.GELOESCHT,
            f"Löschlauf genehmigt und durchgeführt: {_akten(len(vermerke))}",
            objekt=lauf,
            details={
                "loeschlauf": str(lauf.uuid),
                "vorgeschlagen_von": lauf.vorgeschlagen_von.username,
            },
        )
    return lauf


LOESCHPROTOKOLL_KOPF = [
    "Aktenzeichen",
    "Betreff",
    "Laufzeit von",
    "Laufzeit bis",
    "gelöscht am",
    "Löschlauf",
    "vorgeschlagen von",
    "genehmigt von",
    "gelöschte Dateien",
]


def loeschprotokoll_zeilen(lauf, vermerke) -> list[list[str]]:
    return [
        [
            v.aktenzeichen,
            v.betreff,
            v.beginn.isoformat(),
            v.ende.isoformat() if v.ende else "",
            timezone.localtime(v.am).strftime("%d.%m.%Y %H:%M"),
            str(lauf.uuid),
            v.vorgeschlagen_von,
            v.genehmigt_von,
            str(v.dateien_geloescht),
        ]
        for v in vermerke
    ]


def _loeschprotokoll_ablegen(lauf, vermerke) -> None:
    zeilen = loeschprotokoll_zeilen(lauf, vermerke)
    csv = csv_text(LOESCHPROTOKOLL_KOPF, zeilen).encode("utf-8")
    text = [
        f"Kommune: {lauf.kommune.name}",
        f"Löschlauf: {lauf.uuid}",
        f"vorgeschlagen von {zeilen[0][6] if zeilen else ''} am "
        f"{timezone.localtime(lauf.vorgeschlagen_am):%d.%m.%Y %H:%M}",
        f"genehmigt von {zeilen[0][7] if zeilen else ''} am "
        f"{timezone.localtime(lauf.genehmigt_am):%d.%m.%Y %H:%M}",
        "",
    ] + [
        f"{z[0]} | {z[1]} | {z[2]} – {z[3]} | gelöscht {z[4]} | "
        f"{mit_anzahl(int(z[8]), 'Datei', 'Dateien')}"
        for z in zeilen
    ]
    pdf = text_pdf(text, titel="Löschprotokoll")
    ordner = _ordner(lauf)
    lauf.protokoll_csv = _speichern(f"{ordner}/Loeschprotokoll_{lauf.uuid}.csv", ContentFile(csv))
    lauf.protokoll_csv_sha256, lauf.protokoll_csv_groesse = (
        hashlib.sha256(csv).hexdigest(),
        len(csv),
    )
    lauf.protokoll_pdf = _speichern(f"{ordner}/Loeschprotokoll_{lauf.uuid}.pdf", ContentFile(pdf))
    lauf.protokoll_pdf_sha256, lauf.protokoll_pdf_groesse = (
        hashlib.sha256(pdf).hexdigest(),
        len(pdf),
    )
    lauf.save(
        update_fields=[
            f"protokoll_{art}{teil}"
            for art in ("csv", "pdf")
            for teil in ("", "_sha256", "_groesse")
        ]
    )
