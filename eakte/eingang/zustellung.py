"""Sending one Rückmeldung to the platform's webhook: a signed JSON POST (geheimnis.py). On
failure the task retries after EINGANG_WEBHOOK_BASIS · 2^(n-1) seconds, at most
EINGANG_WEBHOOK_VERSUCHE times; then the Rückmeldung is `fehlgeschlagen` and a clerk can send it
again from the delivery log."""

import base64
import json
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from eakte.akten import dateien

from . import geheimnis
from .models import Ereignis, Rueckmeldung, Zustellstatus

logger = logging.getLogger(__name__)


def nutzlast(rueckmeldung: Rueckmeldung) -> dict:
    antrag = rueckmeldung.antrag
    daten = {
        "ereignis": rueckmeldung.ereignis,
        "ereignis_id": str(rueckmeldung.uuid),
        "zeitpunkt": timezone.now().isoformat(),
        "antrag": {
            "id": str(antrag.uuid),
            "referenz": antrag.referenz,
            "status": antrag.status,
            "aktenzeichen": antrag.vorgang.vorgangszeichen if antrag.vorgang_id else "",
        },
    }
    if rueckmeldung.ereignis == Ereignis.DOKUMENT:
        dokument = rueckmeldung.dokument
        version = dokument.versionen.order_by("-nummer").select_related("datei").first()
        with dateien.oeffnen(version.datei) as inhalt:
            roh = inhalt.read()
        daten["dokument"] = {
            "id": str(dokument.uuid),
            "titel": dokument.titel,
            "dateiname": version.dateiname,
            "mime_typ": version.datei.mime_typ,
            "sha256": version.datei.sha256,
            "inhalt": base64.b64encode(roh).decode(),
        }
    return daten


def _senden(url: str, geheim: str, body: bytes, ereignis_id: str) -> None:
    if urlsplit(url).scheme not in ("http", "https"):
        raise ValueError("Die Webhook-Adresse muss mit http:// oder https:// beginnen.")
    kopf = geheimnis.kopfzeilen(geheim, methode="POST", pfad=urlsplit(url).path or "/", body=body)
    anfrage = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={"Content-Type": "application/json", "X-Eingang-Ereignis": ereignis_id, **kopf},
    )
    frist = settings.EINGANG_WEBHOOK_TIMEOUT
    with urllib.request.urlopen(anfrage, timeout=frist) as antwort:  # noqa: S310 - see above
        if not 200 <= antwort.status < 300:
            raise urllib.error.HTTPError(url, antwort.status, "kein Erfolg", antwort.headers, None)


def zustellen(rueckmeldung_id: int) -> int | None:
    """One attempt. Returns the seconds until the next attempt, or None when done."""
    rueckmeldung = (
        Rueckmeldung.alle.select_related("antrag__plattform", "antrag__vorgang", "dokument")
        .filter(pk=rueckmeldung_id, status=Zustellstatus.OFFEN)
        .first()
    )
    if rueckmeldung is None:
        return None
    plattform = rueckmeldung.antrag.plattform
    body = json.dumps(nutzlast(rueckmeldung), ensure_ascii=False).encode()
    fehler = ""
    try:
        _senden(
            plattform.webhook_url,
            geheimnis.entschluesseln(plattform.geheimnis),
            body,
            str(rueckmeldung.uuid),
        )
    except urllib.error.HTTPError as ausnahme:
        fehler = f"Die Plattform antwortete mit HTTP {ausnahme.code}."
    except (urllib.error.URLError, OSError, ValueError) as ausnahme:
        grund = getattr(ausnahme, "reason", ausnahme)
        fehler = f"Die Plattform war nicht erreichbar: {grund}"
    with transaction.atomic():
        rueckmeldung = Rueckmeldung.alle.select_for_update().get(pk=rueckmeldung.pk)
        rueckmeldung.versuche += 1
        rueckmeldung.letzter_versuch_am = timezone.now()
        erneut_in = None
        if not fehler:
            rueckmeldung.status, rueckmeldung.zugestellt_am = (
                Zustellstatus.ZUGESTELLT,
                timezone.now(),
            )
            rueckmeldung.letzter_fehler = ""
        elif rueckmeldung.versuche >= settings.EINGANG_WEBHOOK_VERSUCHE:
            rueckmeldung.status, rueckmeldung.letzter_fehler = Zustellstatus.FEHLGESCHLAGEN, fehler
        else:
            rueckmeldung.letzter_fehler = fehler
            erneut_in = settings.EINGANG_WEBHOOK_BASIS * 2 ** (rueckmeldung.versuche - 1)
        rueckmeldung.save()
    if fehler:
        logger.warning("Rückmeldung %s: %s", rueckmeldung.uuid, fehler)
    return erneut_in
