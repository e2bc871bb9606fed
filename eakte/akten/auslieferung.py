"""Sending a stored file to the browser or an API client: one way for pages and API alike.

The permission check happens before (the caller got the Version from a selector); here the file
is opened, the Protokoll entry written, and only then the response built: a download that could
not be logged does not happen, and a missing file is not logged as downloaded.
"""

from django.http import FileResponse
from django.utils.http import content_disposition_header

from eakte.protokoll.services import ip_aus_anfrage

from . import dateien, services
from .models import Datei, Version

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
    inhalt = dateien.oeffnen(datei)
    try:
        services.version_abgerufen(
            benutzer=request.user,
            version=version,
            vorschau=inline,
            ip=ip_aus_anfrage(request),
            archivversion=datei.pk != version.datei_id,
        )
    except BaseException:
        inhalt.close()
        raise
    antwort = FileResponse(inhalt, content_type=datei.mime_typ)
    antwort["Content-Disposition"] = content_disposition_header(
        not inline, sicherer_dateiname(dateiname or version.dateiname)
    )
    antwort["Cache-Control"] = "private, no-store"
    return antwort
