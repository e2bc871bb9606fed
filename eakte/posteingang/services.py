"""Every write of the Posteingang: printing cover sheets, filing an item into a Vorgang,
discarding an item. Each writes the Protokoll. The picking up of files is in `abholen.py`."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.akten import services as akten_services
from eakte.akten.models import Akte, Datei, Dokument, Dokumenttyp, Version, Vorgang
from eakte.ocr import services as ocr_services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren
from eakte.suche import services as suche_services

from . import deckblatt as deckblatt_pdf
from . import selectors
from .models import Deckblatt, Posteingangseintrag, Status


def dokument_aus_datei_anlegen(
    *,
    benutzer,
    vorgang: Vorgang,
    datei: Datei,
    dateiname: str,
    titel: str = "",
    bemerkung: str = "",
    posteingangsdatum: date | None = None,
    protokolltext: str,
    details: dict | None = None,
    ip: str | None = None,
) -> Version:
    """A new Dokument with a first Version for content that is already stored (no re-upload).

    Same rules as eakte.akten.services.dokument_hochladen: write permission on the Akte, Akte and
    Vorgang open, the Akte row locked; the file must belong to the Akte's Kommune.
    """
    with transaction.atomic():
        akte = akten_services._gesperrt(vorgang.akte)
        akten_services._schreibrecht_pruefen(benutzer, akte)
        akten_services._offen_pruefen(akte, vorgang)
        if datei.kommune_id != akte.kommune_id:
            raise ValidationError("Dateien bleiben in ihrer Kommune.")
        dateiname = akten_services.dateiname_bereinigen(dateiname)
        dokument = Dokument.objects.create(
            kommune_id=akte.kommune_id,
            akte=akte,
            vorgang=vorgang,
            titel=(titel.strip() or dateiname.rsplit(".", 1)[0])[:500],
            typ=Dokumenttyp.EINGANG,
            posteingangsdatum=posteingangsdatum,
            bemerkung=bemerkung.strip(),
            angelegt_von=benutzer,
            letzte_versionsnummer=1,
        )
        version = Version.objects.create(
            kommune_id=akte.kommune_id,
            dokument=dokument,
            nummer=1,
            datei=datei,
            dateiname=dateiname,
            hochgeladen_von=benutzer,
        )
        ocr_services.einreihen(datei)  # nothing new if the content was processed already
        # findable at once, with the text if the content was recognised before (issue 6)
        suche_services.dokument_indexieren(dokument.pk)
        akten_services._log(
            benutzer,
            Aktion.HOCHGELADEN,
            f"Dokument „{dokument.titel}“ {protokolltext} ({dateiname})",
            akte=akte,
            objekt=dokument,
            ip=ip,
            details={"vorgang": vorgang.vorgangszeichen, "sha256": datei.sha256, **(details or {})},
        )
        return version


# --- Deckblätter -----------------------------------------------------------------------------


def _deckblatt_ziel_pruefen(benutzer, akte: Akte, vorgang: Vorgang | None) -> None:
    if not akten_selectors.darf_schreiben(benutzer, akte):
        raise PermissionDenied("Sie dürfen diese Akte nur lesen.")
    akten_services._offen_pruefen(akte, vorgang)


@transaction.atomic
def deckblatt_erstellen(
    *, benutzer, akte: Akte, vorgang: Vorgang | None = None, ip: str | None = None
) -> tuple[Deckblatt, bytes]:
    """A new cover sheet for an Akte (documents go to a new Vorgang "Posteingang <date>") or a
    Vorgang. Returns the row and the PDF to print."""
    if vorgang is not None and vorgang.akte_id != akte.pk:
        raise ValidationError("Der Vorgang gehört nicht zu dieser Akte.")
    _deckblatt_ziel_pruefen(benutzer, akte, vorgang)
    blatt = Deckblatt.objects.create(
        kommune_id=akte.kommune_id, akte=akte, vorgang=vorgang, erstellt_von=benutzer
    )
    kommune = akte.kommune
    if vorgang is not None:
        art, zeichen, betreff = "Vorgang", vorgang.vorgangszeichen, vorgang.betreff
    else:
        art = "Akte (die Schriftstücke kommen in einen neuen Vorgang „Posteingang“)"
        zeichen, betreff = akte.aktenzeichen, akte.betreff
    jetzt = timezone.localtime()
    pdf = deckblatt_pdf.pdf_erzeugen(
        inhalt=deckblatt_pdf.qr_inhalt(kommune.slug, blatt.uuid),
        kommune=kommune.name,
        zeichen=zeichen,
        betreff=betreff,
        art=art,
        gedruckt=f"Gedruckt am {jetzt:%d.%m.%Y um %H:%M} von {benutzer}. Abgelegt wird in "
        "Ihrem Namen.",
    )
    akten_services._log(
        benutzer,
        Aktion.ANGELEGT,
        f"Deckblatt für {zeichen} erstellt",
        akte=akte,
        objekt=blatt,
        ip=ip,
        details={"deckblatt": str(blatt.uuid)},
    )
    return blatt, pdf


# --- Zuordnen und Verwerfen ----------------------------------------------------------------


def _offen_gesperrt(benutzer, eintrag: Posteingangseintrag) -> Posteingangseintrag:
    try:
        eintrag = (
            selectors.eintraege_fuer(benutzer)
            .select_for_update(of=("self",))  # not the Datei row: uploads reference it
            .select_related("datei")
            .get(pk=eintrag.pk)
        )
    except Posteingangseintrag.DoesNotExist as fehler:
        raise PermissionDenied("Dieser Posteingang ist nicht Ihrer.") from fehler
    if eintrag.status != Status.OFFEN:
        raise ValidationError(
            f"Dieser Eintrag ist bereits {eintrag.get_status_display()} und kann nicht mehr "
            "zugeordnet werden."
        )
    return eintrag


@transaction.atomic
def eintrag_zuordnen(
    *,
    benutzer,
    eintrag: Posteingangseintrag,
    vorgang: Vorgang,
    titel: str = "",
    ip: str | None = None,
) -> Version:
    """File an open item into a Vorgang the person may write: a new Dokument from its Datei."""
    eintrag = _offen_gesperrt(benutzer, eintrag)
    if not selectors.zuordnungsziele(benutzer, eintrag).filter(pk=vorgang.pk).exists():
        raise ValidationError(
            {"vorgang": "Bitte einen offenen Vorgang wählen, in dem Sie schreiben dürfen."}
        )
    version = dokument_aus_datei_anlegen(
        benutzer=benutzer,
        vorgang=vorgang,
        datei=eintrag.datei,
        dateiname=eintrag.dateiname,
        titel=titel,
        posteingangsdatum=timezone.localdate(eintrag.eingegangen_am),
        bemerkung=f"Aus dem Posteingang ({eintrag.quelle}).",
        protokolltext="aus dem Posteingang zugeordnet",
        details={"posteingang": str(eintrag.uuid), "quelle": eintrag.quelle},
        ip=ip,
    )
    eintrag.status, eintrag.zugeordnet_zu = Status.ZUGEORDNET, version
    eintrag.zugeordnet_am, eintrag.zugeordnet_von = timezone.now(), benutzer
    eintrag.save(update_fields=["status", "zugeordnet_zu", "zugeordnet_am", "zugeordnet_von"])
    return version


@transaction.atomic
def eintrag_verwerfen(
    *, benutzer, eintrag: Posteingangseintrag, grund: str, ip: str | None = None
) -> Posteingangseintrag:
    """Take an item out of the open Posteingang (e.g. advertising, a blank page). The stored
    file stays; the reason is kept in the remark and the Protokoll."""
    eintrag = _offen_gesperrt(benutzer, eintrag)
    grund = grund.strip()
    if not grund:
        raise ValidationError({"grund": "Bitte einen Grund angeben."})
    eintrag.status = Status.VERWORFEN
    eintrag.bemerkung = f"{eintrag.bemerkung}\nVerworfen: {grund}".strip()
    eintrag.zugeordnet_am, eintrag.zugeordnet_von = timezone.now(), benutzer
    eintrag.save(update_fields=["status", "bemerkung", "zugeordnet_am", "zugeordnet_von"])
    protokollieren(
        kommune_id=eintrag.kommune_id,
        benutzer=benutzer,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"Posteingang: „{eintrag.dateiname}“ verworfen: {grund}",
        objekt=eintrag,
        ip=ip,
    )
    return eintrag


def original_abgerufen(*, benutzer, eintrag: Posteingangseintrag, ip: str | None = None) -> None:
    """Written before the original of an item is sent."""
    protokollieren(
        kommune_id=eintrag.kommune_id,
        benutzer=benutzer,
        aktion=Aktion.HERUNTERGELADEN,
        beschreibung=f"Posteingang: „{eintrag.dateiname}“ heruntergeladen",
        objekt=eintrag,
        ip=ip,
    )
