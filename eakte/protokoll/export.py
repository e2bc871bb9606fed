"""The Protokoll as CSV for Excel: semicolons, UTF-8 with BOM, streamed row by row."""

import json
from collections.abc import Iterator

from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from eakte.common.csv_export import BOM, CsvSchreiber

from .darstellung import objekt_name
from .models import Aktion

SPALTEN = [
    "Nr.",
    "Zeitpunkt",
    "Benutzer",
    "Aktion",
    "Objekt",
    "Objekt-UUID",
    "Aktenzeichen",
    "Akte-UUID",
    "Beschreibung",
    "Einzelheiten",
    "IP-Adresse",
    "Hash",
]


def zeilen(eintraege: QuerySet) -> Iterator[str]:
    schreiber = CsvSchreiber()
    yield BOM + schreiber.zeile(SPALTEN)
    aktionen = dict(Aktion.choices)
    for e in eintraege.iterator(chunk_size=2000):
        yield schreiber.zeile(
            (
                e.laufnummer,
                timezone.localtime(e.zeitpunkt).strftime("%d.%m.%Y %H:%M:%S"),
                e.benutzer_name,
                aktionen.get(e.aktion, e.aktion),
                objekt_name(e.objekt_typ),
                e.objekt_uuid or "",
                e.aktenzeichen,
                e.akte_uuid or "",
                e.beschreibung,
                json.dumps(e.details, ensure_ascii=False) if e.details else "",
                e.adresse_anzeige,
                e.hash,
            )
        )


def antwort(eintraege: QuerySet, dateiname: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(zeilen(eintraege), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{dateiname}"'
    return response


def dateiname(kommune) -> str:
    return f"protokoll-{kommune.slug}-{timezone.localdate():%Y-%m-%d}.csv"
