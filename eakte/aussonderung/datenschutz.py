"""DSGVO requests (Art. 15 Auskunft, Art. 17 Löschung) for the Datenschutz role of a Kommune:
record the request (30-day deadline), search the own Kommune's Dokumente for the person (every
search is logged), and assemble the Auskunft package (list + selected Dokumente as one ZIP)."""

from __future__ import annotations

import shutil
import zipfile
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from eakte.akten import dateien
from eakte.common.akteur import Akteur
from eakte.common.csv_export import csv_text
from eakte.common.regeln import pruefen
from eakte.common.wortlaut import mit_anzahl
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import selectors
from .models import Anfrageart, Datenschutzanfrage

MAX_TREFFER = 500


def _datum(wert) -> date:
    if isinstance(wert, date):
        return wert
    try:
        return date.fromisoformat(str(wert).strip())
    except ValueError as fehler:
        raise ValidationError("Bitte das Eingangsdatum als Datum angeben (TT.MM.JJJJ).") from fehler


def anfrage_anlegen(
    *, akteur: Akteur, art: str, person: str, suchbegriffe: str, eingegangen_am
) -> Datenschutzanfrage:
    benutzer = akteur.benutzer
    pruefen(benutzer, "aussonderung.datenschutz")
    if art not in Anfrageart.values:
        raise ValidationError("Bitte die Art der Anfrage wählen (Art. 15 oder Art. 17).")
    if not person.strip() or not suchbegriffe.strip():
        raise ValidationError("Bitte die Person und die Suchbegriffe angeben.")
    eingang = _datum(eingegangen_am)
    if eingang > timezone.localdate():
        raise ValidationError("Das Eingangsdatum liegt in der Zukunft.")
    with transaction.atomic():
        anfrage = Datenschutzanfrage.objects.create(
            kommune=benutzer.kommune,
            art=art,
            person=person.strip(),
            suchbegriffe=suchbegriffe.strip(),
            eingegangen_am=eingang,
            angelegt_von=benutzer,
        )
        protokollieren(
            kommune_id=anfrage.kommune_id,
            aktion=Aktion.ANGELEGT,
            akteur=akteur,
            beschreibung=f"Datenschutzanfrage ({anfrage.get_art_display()}) erfasst",
            objekt=anfrage,
        )
    return anfrage


def suchen(*, akteur: Akteur, anfrage: Datenschutzanfrage) -> list:
    """The Dokumente naming the person; the search itself is logged (who, for which request)."""
    pruefen(akteur.benutzer, "aussonderung.datenschutz", anfrage)
    treffer = list(
        selectors.dokumente_zur_person(akteur.benutzer, anfrage.suchbegriffe)[:MAX_TREFFER]
    )
    protokollieren(
        kommune_id=anfrage.kommune_id,
        aktion=Aktion.DSGVO_SUCHE,
        akteur=akteur,
        beschreibung=f"Suche zur Datenschutzanfrage: {len(treffer)} Treffer",
        objekt=anfrage,
        details={"suchbegriffe": anfrage.suchbegriffe},
    )
    return treffer


def anfrage_beantworten(*, akteur: Akteur, anfrage: Datenschutzanfrage) -> Datenschutzanfrage:
    pruefen(akteur.benutzer, "aussonderung.datenschutz", anfrage)
    with transaction.atomic():
        anfrage = Datenschutzanfrage.objects.select_for_update().get(pk=anfrage.pk)
        if anfrage.beantwortet_am:
            raise ValidationError("Diese Anfrage ist bereits beantwortet.")
        anfrage.beantwortet_am = timezone.localdate()
        anfrage.save(update_fields=["beantwortet_am"])
        protokollieren(
            kommune_id=anfrage.kommune_id,
            aktion=Aktion.GEAENDERT,
            akteur=akteur,
            beschreibung="Datenschutzanfrage beantwortet",
            objekt=anfrage,
        )
    return anfrage


def paket_schreiben(
    ziel=None, *, akteur: Akteur, anfrage: Datenschutzanfrage, dokument_uuids
) -> int:
    """The Auskunft package: `Trefferliste.csv` and the newest version of every selected
    Dokument (files copied in blocks). Only Dokumente the search finds can be selected."""
    pruefen(akteur.benutzer, "aussonderung.datenschutz", anfrage)
    if not dokument_uuids:
        raise ValidationError("Bitte mindestens ein Dokument für die Auskunft auswählen.")
    try:
        dokumente = list(
            selectors.dokumente_zur_person(akteur.benutzer, anfrage.suchbegriffe)
            .filter(uuid__in=dokument_uuids)
            .prefetch_related("versionen__datei")
        )
    except ValidationError as fehler:
        raise ValidationError("Ungültige Auswahl.") from fehler
    zeilen = []
    with zipfile.ZipFile(ziel, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for nummer, dok in enumerate(dokumente, 1):
            version = max(dok.versionen.all(), key=lambda v: v.nummer)
            name = f"{nummer:04d}_{dateien_name(version.dateiname)}"
            with dateien.oeffnen(version.datei) as quelle, zf.open(name, "w") as z:
                shutil.copyfileobj(quelle, z, 1024 * 1024)
            zeilen.append(
                [
                    name,
                    dok.akte.aktenzeichen,
                    dok.titel,
                    dok.absender,
                    dok.empfaenger,
                    str(dok.posteingangsdatum or ""),
                ]
            )
        zf.writestr(
            "Trefferliste.csv",
            csv_text(
                ["Datei", "Aktenzeichen", "Titel", "Absender", "Empfänger", "Eingang"], zeilen
            ),
        )
    protokollieren(
        kommune_id=anfrage.kommune_id,
        aktion=Aktion.EXPORTIERT,
        akteur=akteur,
        beschreibung="Auskunftspaket mit "
        f"{mit_anzahl(len(zeilen), 'Dokument', 'Dokumenten')} erstellt",
        objekt=anfrage,
    )
    return len(zeilen)


def dateien_name(name: str) -> str:
    return "".join(z for z in name.replace("/", "_").replace("\\", "_") if z.isprintable())[:150]
