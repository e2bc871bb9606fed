"""Every write of the Posteingang: printing cover sheets, filing an item into a Vorgang,
discarding an item. Each takes the actor and writes the Protokoll. Filing goes through the one
public filing service of the records (`eakte.akten.services.dokument_ablegen`). The picking up
of files is in `abholen.py`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Akte, Version, Vorgang
from eakte.common.akteur import Akteur
from eakte.common.regeln import pruefen
from eakte.kommunen.models import Kommune
from eakte.ocr import services as ocr_services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import deckblatt as deckblatt_pdf
from . import selectors
from .models import Deckblatt, Posteingangseintrag, Status

# --- Deckblätter -----------------------------------------------------------------------------


def _deckblatt_ziel_pruefen(akteur: Akteur, akte: Akte, vorgang: Vorgang | None) -> None:
    pruefen(
        akteur.benutzer, "posteingang.deckblatt_drucken", akte, meldung=akten_services.NUR_LESEN
    )
    akten_services.offen_pruefen(akte, vorgang)


@transaction.atomic
def deckblatt_erstellen(
    *, akteur: Akteur, akte: Akte, vorgang: Vorgang | None = None
) -> tuple[Deckblatt, bytes]:
    """A new cover sheet for an Akte (documents go to a new Vorgang "Posteingang <date>") or a
    Vorgang. Returns the row and the PDF to print."""
    if vorgang is not None and vorgang.akte_id != akte.pk:
        raise ValidationError("Der Vorgang gehört nicht zu dieser Akte.")
    _deckblatt_ziel_pruefen(akteur, akte, vorgang)
    benutzer = akteur.benutzer
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
    protokollieren(
        kommune_id=akte.kommune_id,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"Deckblatt für {zeichen} erstellt",
        objekt=blatt,
        akte=akte,
        details={"deckblatt": str(blatt.uuid)},
    )
    return blatt, pdf


# --- Zuordnen und Verwerfen ----------------------------------------------------------------


def _offen_gesperrt(akteur: Akteur, eintrag: Posteingangseintrag) -> Posteingangseintrag:
    try:
        eintrag = (
            selectors.eintraege_fuer(akteur.benutzer)
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
    akteur: Akteur,
    eintrag: Posteingangseintrag,
    vorgang: Vorgang,
    titel: str = "",
) -> Version:
    """File an open item into a Vorgang the person may write: a new Dokument from its Datei."""
    eintrag = _offen_gesperrt(akteur, eintrag)
    if not selectors.zuordnungsziele(akteur.benutzer, eintrag).filter(pk=vorgang.pk).exists():
        raise ValidationError(
            {"vorgang": "Bitte einen offenen Vorgang wählen, in dem Sie schreiben dürfen."}
        )
    version = akten_services.dokument_ablegen(
        akteur=akteur,
        vorgang=vorgang,
        gespeichert=eintrag.datei,
        dateiname=eintrag.dateiname,
        titel=titel,
        posteingangsdatum=timezone.localdate(eintrag.eingegangen_am),
        bemerkung=f"Aus dem Posteingang ({eintrag.quelle}).",
        wie="aus dem Posteingang zugeordnet",
        details={"posteingang": str(eintrag.uuid), "quelle": eintrag.quelle},
    )
    eintrag.status, eintrag.zugeordnet_zu = Status.ZUGEORDNET, version
    eintrag.zugeordnet_am, eintrag.zugeordnet_von = timezone.now(), akteur.benutzer
    eintrag.save(update_fields=["status", "zugeordnet_zu", "zugeordnet_am", "zugeordnet_von"])
    return version


@transaction.atomic
def eintrag_verwerfen(
    *, akteur: Akteur, eintrag: Posteingangseintrag, grund: str
) -> Posteingangseintrag:
    """Take an item out of the open Posteingang (e.g. advertising, a blank page). The stored
    file stays; the reason is kept in the remark and the Protokoll."""
    eintrag = _offen_gesperrt(akteur, eintrag)
    grund = grund.strip()
    if not grund:
        raise ValidationError({"grund": "Bitte einen Grund angeben."})
    eintrag.status = Status.VERWORFEN
    eintrag.bemerkung = f"{eintrag.bemerkung}\nVerworfen: {grund}".strip()
    eintrag.zugeordnet_am, eintrag.zugeordnet_von = timezone.now(), akteur.benutzer
    eintrag.save(update_fields=["status", "bemerkung", "zugeordnet_am", "zugeordnet_von"])
    protokollieren(
        kommune_id=eintrag.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"Posteingang: „{eintrag.dateiname}“ verworfen: {grund}",
        objekt=eintrag,
    )
    return eintrag


def original_abgerufen(*, akteur: Akteur, eintrag: Posteingangseintrag) -> None:
    """Written before the original of an item is sent."""
    protokollieren(
        kommune_id=eintrag.kommune_id,
        akteur=akteur,
        aktion=Aktion.HERUNTERGELADEN,
        beschreibung=f"Posteingang: „{eintrag.dateiname}“ heruntergeladen",
        objekt=eintrag,
    )


@transaction.atomic
def eintrag_anlegen(
    *, akteur: Akteur, kommune: Kommune, datei, quelle: str, bemerkung: str = ""
) -> Posteingangseintrag:
    """A file that arrived by another channel (an online application that no rule could file,
    issue 19) as an open item of the Kommune's Posteingang; checked, stored and queued for OCR."""
    pruefung = dateien.pruefen(datei)
    gespeichert, _ = dateien.ablegen(kommune=kommune, datei=datei, pruefung=pruefung)
    name = akten_services.dateiname_bereinigen(getattr(datei, "name", "") or "datei")
    eintrag = Posteingangseintrag.objects.create(
        kommune=kommune, datei=gespeichert, dateiname=name, quelle=quelle, bemerkung=bemerkung
    )
    ocr_services.einreihen(gespeichert, hochgeladen=datei)
    protokollieren(
        kommune_id=kommune.pk,
        akteur=akteur,
        aktion=Aktion.HOCHGELADEN,
        beschreibung=f"Posteingang: „{name}“ eingegangen ({quelle})",
        objekt=eintrag,
        details={"sha256": gespeichert.sha256, "groesse": gespeichert.groesse},
    )
    return eintrag
