"""Done when: a platform delivers a Bauantrag to Erbach; it becomes a Vorgang in the right Akte
and OE with its PDF searchable (real worker, Tesseract); a clerk sends the Bescheid back and the
platform's webhook receiver (a real HTTP server) gets it, signed; closing the Vorgang too."""

import base64
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import services as akten_services
from eakte.akten.models import Dokument
from eakte.common import beispielscans as scans
from eakte.eingang import geheimnis
from eakte.eingang.models import Antrag
from eakte.ocr.models import Status
from eakte.suche import selectors as suche_selectors
from tests.conftest import pdf_bytes
from tests.eingang.conftest import antrag_json, b64
from tests.eingang.test_mail_abruf import imap_server, postfach  # noqa: F401
from tests.hilfen import akteur_von, warten_bis
from tests.ocr.test_verarbeitung import warten

pytestmark = pytest.mark.worker


def _signatur_gueltig(empfang, zugang) -> bool:
    erwartet = geheimnis.signieren(
        zugang.geheimnis,
        zeitstempel=empfang.kopf["X-Eingang-Zeitstempel"],
        nonce=empfang.kopf["X-Eingang-Nonce"],
        methode="POST",
        pfad=empfang.pfad,
        body=empfang.body,
    )
    return erwartet == empfang.kopf["X-Eingang-Signatur"]


def test_bauantrag_von_der_plattform_bis_zum_bescheid(
    transactional_db, celery_worker_prozess, plattformclient, civento, regel_bauantrag,
    webhook, sachbearbeitung, bauamt, kleiner_plan, client_als,
):  # fmt: skip
    scan = scans.als_pdf([scans.seite(scans.BEISPIELTEXT)])
    daten = antrag_json(
        "CIV-2026-000123",
        anlagen=[
            {"dateiname": "Bauantrag.pdf", "antrag": True, "inhalt": b64(scan)},
            {"dateiname": "Lageplan.pdf", "inhalt": b64(pdf_bytes("Lageplan"))},
            {"dateiname": "Baubeschreibung.pdf", "inhalt": b64(pdf_bytes("Baubeschreibung"))},
        ],
    )
    antwort = plattformclient.zustellen(daten)
    assert antwort.status_code == 201, antwort.content
    quittung = antwort.json()
    antrag = Antrag.alle.select_related("vorgang__akte").get(uuid=quittung["id"])
    vorgang = antrag.vorgang
    assert vorgang is not None, antrag.nicht_zugeordnet_grund
    assert quittung["aktenzeichen"] == vorgang.vorgangszeichen
    assert vorgang.akte.federfuehrende_oe == bauamt
    assert vorgang.akte.aktenplaneinheit == kleiner_plan["0.2.01"]

    dokumente = Dokument.alle.filter(vorgang=vorgang).order_by("id")
    assert [d.titel for d in dokumente][0] == "Antrag CIV-2026-000123"
    haupt = dokumente[0]
    assert all(d.anlage_zu_id == haupt.pk for d in dokumente[1:]) and len(dokumente) == 3

    verarbeitung = warten(haupt.versionen.get().datei.verarbeitung, worker=celery_worker_prozess)
    assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
    assert "Kita-Gebühren" in verarbeitung.text
    treffer = suche_selectors.dokumente_suchen(sachbearbeitung, "Kita-Gebühren").treffer
    assert haupt.pk in [t.dokument.pk for t in treffer]

    # the status as the platform sees it
    assert plattformclient.status(antrag.uuid).json()["status"] == "eingegangen"

    bescheid = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=SimpleUploadedFile("Baugenehmigung.pdf", pdf_bytes("Baugenehmigung")),
        titel="Baugenehmigung",
        typ="ausgang",
    ).dokument
    client = client_als(sachbearbeitung)
    seite = client.get(reverse("eingang:antrag", kwargs={"antrag_uuid": antrag.uuid}))
    assert "Erbach 12/3" in seite.content.decode()  # the structured data
    antwort = client.post(
        reverse(
            "eingang:uebermitteln",
            kwargs={"antrag_uuid": antrag.uuid, "dokument_uuid": bescheid.uuid},
        )
    )
    assert antwort.status_code == 302

    empfang = warten_bis(
        lambda: webhook.empfangen, sekunden=60, was=lambda: celery_worker_prozess.log.read_text()
    )[0]
    assert _signatur_gueltig(empfang, civento)
    nutzlast = empfang.json
    assert nutzlast["ereignis"] == "dokument"
    assert nutzlast["antrag"]["referenz"] == "CIV-2026-000123"
    inhalt = base64.b64decode(nutzlast["dokument"]["inhalt"])
    assert hashlib.sha256(inhalt).hexdigest() == nutzlast["dokument"]["sha256"]
    assert inhalt == pdf_bytes("Baugenehmigung")
    assert plattformclient.status(antrag.uuid).json()["status"] == "in_bearbeitung"

    akten_services.vorgang_zda(akteur=akteur_von(sachbearbeitung), vorgang=vorgang)
    warten_bis(lambda: len(webhook.empfangen) == 2, sekunden=60)
    assert webhook.empfangen[1].json["ereignis"] == "abgeschlossen"
    assert plattformclient.status(antrag.uuid).json()["status"] == "abgeschlossen"


def test_webhook_wird_wiederholt_bis_die_plattform_annimmt(
    transactional_db, celery_worker_prozess, plattformclient, regel_bauantrag, webhook,
    sachbearbeitung,
):  # fmt: skip
    from eakte.eingang.models import Rueckmeldung, Zustellstatus

    webhook.antwort = 503
    antrag = Antrag.alle.get(uuid=plattformclient.zustellen(antrag_json("CIV-9")).json()["id"])
    akten_services.vorgang_zda(akteur=akteur_von(sachbearbeitung), vorgang=antrag.vorgang)
    rueckmeldung = Rueckmeldung.alle.get(antrag=antrag)
    # EINGANG_WEBHOOK_BASIS is 1 s in the worker of the tests: 1 s, then 2 s
    warten_bis(lambda: len(webhook.empfangen) >= 2, sekunden=60)
    webhook.antwort = 204

    def zugestellt():
        rueckmeldung.refresh_from_db()
        return rueckmeldung.status == Zustellstatus.ZUGESTELLT

    warten_bis(zugestellt, sekunden=60)
    assert rueckmeldung.versuche >= 3
    assert len({e.kopf["X-Eingang-Ereignis"] for e in webhook.empfangen}) == 1


def test_mail_mit_anlage_in_die_akte(
    transactional_db,
    celery_worker_prozess,
    imap_server,  # noqa: F811 - fixture imported from test_mail_abruf
    postfach,  # noqa: F811
    vorgang,
):
    """A reply naming the Vorgang: the .eml is filed there and the worker files its PDF
    attachment as a Dokument linked to the mail (`anlage_zu`)."""
    from tests.eingang.test_mail_abruf import ADRESSE, PASSWORT, mail

    roh = mail(
        f"Unterlagen zu {vorgang.vorgangszeichen}",
        message_id="<worker@example.org>",
        anlagen=[("Statik.pdf", pdf_bytes("Statik"))],
    )
    imap_server.einliefern(ADRESSE, PASSWORT, roh)
    from eakte.eingang import mail_abruf

    assert mail_abruf.postfach_abrufen(postfach).in_akte == 1
    mail_dokument = Dokument.alle.get(vorgang=vorgang, anlage_zu__isnull=True)
    verarbeitung = warten(
        mail_dokument.versionen.get().datei.verarbeitung, worker=celery_worker_prozess
    )
    assert verarbeitung.status == Status.FERTIG, verarbeitung.meldung
    anlage = warten_bis(
        lambda: Dokument.alle.filter(anlage_zu=mail_dokument).first(),
        sekunden=60,
        was=lambda: celery_worker_prozess.log.read_text()[-2000:],
    )
    assert anlage.titel == "Statik.pdf" and anlage.vorgang_id == vorgang.pk
