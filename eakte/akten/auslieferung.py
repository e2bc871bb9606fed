"""Sending a stored file to the browser or an API client: one way for pages and API alike.

The permission check happens before (the caller got the Version from a selector); here the file
is opened, the Protokoll entry written, and only then the response built: a download that could
not be logged does not happen, and a missing file is not logged as downloaded.
"""

import functools
import logging
import shutil
import tempfile
import zipfile

from django.db import transaction
from django.http import FileResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from rest_framework.exceptions import APIException

from eakte.common.akteur import akteur_aus

from . import dateien, services
from .models import Datei, Version

logger = logging.getLogger(__name__)


class DateiFehlt(APIException):
    """The stored content of a Datei is missing (`manage.py dateien_pruefen` lists all such)."""

    status_code = 500
    default_detail = (
        "Die gespeicherte Datei fehlt im Dateispeicher. Es wurde nichts verändert. Bitte melden "
        "Sie das Ihrer IT (Prüfung: manage.py dateien_pruefen)."
    )
    default_code = "datei_fehlt"


def datei_oeffnen(datei: Datei):
    try:
        return dateien.oeffnen(datei)
    except FileNotFoundError as fehler:
        logger.error("Gespeicherte Datei fehlt: Datei %s, %s", datei.pk, datei.speicherort)
        raise DateiFehlt from fehler


def seite_bei_fehlender_datei(view):
    """For the pages: a German error page instead of the generic one (the API answers the
    exception itself, as JSON)."""

    @functools.wraps(view)
    def mit_fehlerseite(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DateiFehlt as fehler:
            return render(request, "akten/datei_fehlt.html", {"meldung": fehler.detail}, status=500)

    return mit_fehlerseite


# Shown inline in the browser; everything else is always a download (no HTML, no SVG, ever).
VORSCHAU_TYPEN = frozenset({"application/pdf", "image/png", "image/jpeg"})


def sicherer_dateiname(name: str) -> str:
    return name.replace("/", "_").replace("\\", "_").strip() or "datei"


def ausliefern(
    request,
    version: Version,
    *,
    vorschau: bool = False,
    datei: Datei | None = None,
    dateiname: str | None = None,
) -> FileResponse:
    """`datei`/`dateiname` default to the Version's original; the OCR app passes the archive."""
    datei = datei or version.datei
    inline = vorschau and datei.mime_typ in VORSCHAU_TYPEN

    def protokollieren():
        services.version_abgerufen(
            akteur=akteur_aus(request),
            version=version,
            vorschau=inline,
            archivversion=datei.pk != version.datei_id,
        )

    return datei_senden(datei, dateiname or version.dateiname, inline, protokollieren)


def datei_senden(datei: Datei, dateiname: str, inline: bool, protokollieren) -> FileResponse:
    """Open the stored file, then write the Protokoll entry (`protokollieren()`), then answer:
    a missing file is not logged as delivered, a delivery that could not be logged does not
    happen."""
    inhalt = datei_oeffnen(datei)
    try:
        protokollieren()
    except BaseException:
        inhalt.close()
        raise
    antwort = FileResponse(inhalt, content_type=datei.mime_typ)
    antwort["Content-Disposition"] = content_disposition_header(
        not inline, sicherer_dateiname(dateiname)
    )
    antwort["Cache-Control"] = "private, no-store"
    return antwort


ZIP_MAX_DOKUMENTE = 200


def _eindeutig(name: str, vergeben: set[str]) -> str:
    kandidat, nummer = name, 2
    stamm, punkt, endung = name.rpartition(".")
    while kandidat.lower() in vergeben:
        kandidat = f"{stamm} ({nummer}).{endung}" if punkt else f"{name} ({nummer})"
        nummer += 1
    vergeben.add(kandidat.lower())
    return kandidat


def zip_ausliefern(request, versionen: list[Version], zipname: str) -> FileResponse:
    """Several Versionen (the caller checked them) as one ZIP download. Every stored file is
    read first (a missing one stops everything), then every download is logged in one
    transaction, then the ZIP is sent."""
    puffer = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
    vergeben: set[str] = set()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        for version in versionen:
            name = _eindeutig(sicherer_dateiname(version.dateiname), vergeben)
            inhalt = datei_oeffnen(version.datei)
            try:
                with archiv.open(name, "w") as ziel:
                    shutil.copyfileobj(inhalt, ziel)
            finally:
                inhalt.close()
    with transaction.atomic():
        akteur = akteur_aus(request)
        for version in versionen:
            services.version_abgerufen(akteur=akteur, version=version, vorschau=False)
    puffer.seek(0)
    antwort = FileResponse(puffer, content_type="application/zip")
    antwort["Content-Disposition"] = content_disposition_header(True, sicherer_dateiname(zipname))
    antwort["Cache-Control"] = "private, no-store"
    return antwort
