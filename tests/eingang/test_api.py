"""The intake endpoint: receipts, idempotency (also concurrent), routing and every refusal as
problem+json with a German detail and nothing half-created."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from eakte.akten.models import Akte, Dokument, Vorgang
from eakte.eingang import geheimnis, services
from eakte.eingang.models import Ablage, Antrag
from eakte.posteingang.models import Posteingangseintrag
from tests.conftest import pdf_bytes
from tests.eingang.conftest import BAUANTRAG, SYSTEM, Plattformclient, antrag_json, b64
from tests.hilfen import akteur_von


def _nichts_angelegt():
    assert Antrag.alle.count() == 0
    assert Akte.alle.count() == 0 and Dokument.alle.count() == 0
    assert Posteingangseintrag.alle.count() == 0


def _problem(antwort, status: int, wort: str):
    assert antwort.status_code == status, antwort.content
    assert antwort["Content-Type"] == "application/problem+json"
    daten = antwort.json()
    assert daten["status"] == status and wort in daten["detail"], daten
    return daten


def test_quittung_und_idempotenz(plattformclient, regel_bauantrag):
    erste = plattformclient.zustellen(antrag_json("CIV-1"))
    assert erste.status_code == 201
    zweite = plattformclient.zustellen(antrag_json("CIV-1"))  # retried after a timeout
    assert zweite.status_code == 200 and zweite.json() == erste.json()
    assert erste.json()["aktenzeichen"].startswith("ERB")
    assert Antrag.alle.count() == 1 and Vorgang.alle.count() == 1
    # the number is given at the end of the intake: the receipt carries the final one
    assert erste.json()["aktenzeichen"] == Vorgang.alle.get().vorgangszeichen


def test_idempotency_key_gilt_auch_bei_anderer_referenz(plattformclient, regel_bauantrag):
    erste = plattformclient.zustellen(antrag_json("CIV-1"), HTTP_IDEMPOTENCY_KEY="schluessel-1")
    zweite = plattformclient.zustellen(antrag_json("CIV-1b"), HTTP_IDEMPOTENCY_KEY="schluessel-1")
    assert (erste.status_code, zweite.status_code) == (201, 200)
    assert Antrag.alle.count() == 1


@pytest.mark.django_db(transaction=True)
def test_gleichzeitige_doppelte_zustellung_legt_einen_antrag_an(civento, regel_bauantrag):
    """Five threads deliver the same submission at once: one 201, four 200, one Vorgang."""
    ergebnisse, start = [], threading.Barrier(5)

    def zustellen():
        try:
            client = Plattformclient(Client(), civento)
            start.wait()
            ergebnisse.append(client.zustellen(antrag_json("CIV-PARALLEL")).status_code)
        finally:
            connection.close()

    faeden = [threading.Thread(target=zustellen) for _ in range(5)]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join()
    assert sorted(ergebnisse) == [200, 200, 200, 200, 201]
    assert Antrag.alle.count() == 1 and Vorgang.alle.count() == 1
    assert Dokument.alle.count() == 2


def test_multipart(plattformclient, regel_bauantrag):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(
        BOUNDARY,
        {
            "metadaten": json.dumps(antrag_json("CIV-MP")["metadaten"]),
            "daten": "<antrag><flurstueck>Erbach 7/1</flurstueck></antrag>",
            "antrag": SimpleUploadedFile("Antrag.pdf", pdf_bytes("mp")),
            "anlagen": [SimpleUploadedFile("Foto.pdf", pdf_bytes("foto"))],
        },
    )
    # the XML format is given in the metadata part
    daten = json.loads(body.split(b"\r\n\r\n", 1)[1].split(b"\r\n--", 1)[0])
    assert daten["referenz"] == "CIV-MP"
    body = body.replace(b'"referenz": "CIV-MP"', b'"referenz": "CIV-MP", "datenformat": "xml"')
    antwort = plattformclient.zustellen(None, body=body, content_type=MULTIPART_CONTENT)
    assert antwort.status_code == 201, antwort.content
    antrag = Antrag.alle.get()
    assert antrag.datenformat == "xml" and "Erbach 7/1" in antrag.daten
    assert Dokument.alle.filter(vorgang=antrag.vorgang).count() == 2


# --- Signatur ------------------------------------------------------------------------------


def test_falsche_signatur(plattformclient, regel_bauantrag):
    falsch = Plattformclient(plattformclient.client, plattformclient.zugang)
    falsch.zugang = type(plattformclient.zugang)(plattformclient.zugang.plattform, "falsch")
    _problem(falsch.zustellen(antrag_json()), 401, "Signatur")
    _nichts_angelegt()


def test_veraenderter_body(plattformclient, regel_bauantrag, client):
    pfad = reverse("api:eingang-annahme")
    body = json.dumps(antrag_json()).encode()
    kopf = plattformclient.kopf("POST", pfad, body)
    antwort = client.generic(
        "POST", pfad, body.replace(b"Erika", b"Mallory"), content_type="application/json", **kopf
    )
    _problem(antwort, 401, "Signatur")
    _nichts_angelegt()


def test_wiederholte_anfrage_und_alter_zeitstempel(plattformclient, regel_bauantrag, client):
    pfad = reverse("api:eingang-annahme")
    body = json.dumps(antrag_json()).encode()
    kopf = plattformclient.kopf("POST", pfad, body)
    assert (
        client.generic("POST", pfad, body, content_type="application/json", **kopf).status_code
        == 201
    )
    _problem(
        client.generic("POST", pfad, body, content_type="application/json", **kopf),
        401,
        "bereits empfangen",
    )
    alt = str(int(time.time()) - 3600)
    kopf = plattformclient.kopf("POST", pfad, body)
    kopf["HTTP_X_EINGANG_ZEITSTEMPEL"] = alt
    kopf["HTTP_X_EINGANG_SIGNATUR"] = geheimnis.signieren(
        plattformclient.zugang.geheimnis, zeitstempel=alt, nonce=kopf["HTTP_X_EINGANG_NONCE"],
        methode="POST", pfad=pfad, body=body,
    )  # fmt: skip
    _problem(
        client.generic("POST", pfad, body, content_type="application/json", **kopf),
        401,
        "Zeitstempel",
    )


def test_unbekannter_client(client, regel_bauantrag):
    antwort = client.post(
        reverse("api:eingang-annahme"), antrag_json(), content_type="application/json"
    )
    _problem(antwort, 401, "Unbekannte")


# --- Inhalt --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("aenderung", "status", "wort"),
    [
        ({"metadaten": {"kommune_ags": "09999999"}}, 422, "AGS"),
        ({"metadaten": {"leistungsschluessel": "12345"}}, 422, "nicht eingerichtet"),
        ({"metadaten": {"eingereicht_am": "gestern"}}, 422, "ISO 8601"),
        ({"metadaten": {"referenz": ""}}, 422, "referenz"),
        ({"daten": "{kaputt"}, 422, "kein gültiges JSON"),
        ({"datenformat": "xml", "daten": "<antrag><offen></antrag>"}, 422, "wohlgeformtes XML"),
        (
            {"datenformat": "xml", "daten": '<!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'},
            422,
            "DOCTYPE",
        ),
    ],
)
def test_fehlerhafte_angaben(plattformclient, regel_bauantrag, aenderung, status, wort):
    _problem(plattformclient.zustellen(antrag_json(**aenderung)), status, wort)
    _nichts_angelegt()


def test_nicht_zugelassene_kommune(plattformclient, regel_bauantrag, michelstadt):
    _problem(plattformclient.zustellen(antrag_json(ags=michelstadt.ags)), 403, "Michelstadt")
    _nichts_angelegt()


def test_kommune_eines_anderen_verbunds_ist_unbekannt(plattformclient, regel_bauantrag, sontra):
    _problem(plattformclient.zustellen(antrag_json(ags=sontra.ags)), 422, "AGS")


def _anlagen(*paare, antrag=True):
    return [
        {
            "dateiname": name,
            "inhalt": b64(inhalt),
            **({"antrag": True} if i == 0 and antrag else {}),
        }
        for i, (name, inhalt) in enumerate(paare)
    ]


@pytest.mark.parametrize(
    ("anlagen", "status", "wort"),
    [
        (_anlagen(("Antrag.pdf", pdf_bytes()), ("leer.pdf", b"")), 422, "leer"),
        (_anlagen(("Antrag.pdf", b"Das ist kein PDF, nur Text.")), 422, "kein PDF"),
        (_anlagen(("Antrag.pdf", b"%PDF-1.4\n kaputt")), 422, "kein lesbares PDF"),
        (_anlagen(("Lageplan.pdf", pdf_bytes()), antrag=False), 422, "Antrags-PDF"),
        (
            _anlagen(("Antrag.pdf", pdf_bytes()), ("x.exe", b"MZ\x90\x00" * 100)),
            422,
            "nicht angenommen",
        ),
        (_anlagen(*[(f"a{i}.pdf", pdf_bytes()) for i in range(1000)]), 422, "1000 Anlagen"),
    ],
)
def test_fehlerhafte_anlagen(plattformclient, regel_bauantrag, anlagen, status, wort):
    _problem(plattformclient.zustellen(antrag_json(anlagen=anlagen)), status, wort)
    _nichts_angelegt()


def test_zu_grosse_anlage(plattformclient, regel_bauantrag, settings):
    settings.EINGANG_MAX_ANLAGE_BYTES = 1000
    anlagen = _anlagen(("Antrag.pdf", pdf_bytes()), ("gross.pdf", pdf_bytes() + b" " * 2000))
    _problem(plattformclient.zustellen(antrag_json(anlagen=anlagen)), 413, "zu groß")
    _nichts_angelegt()


def test_kaputtes_json(plattformclient, regel_bauantrag):
    _problem(plattformclient.zustellen(None, body=b'{"metadaten": '), 400, "kein gültiges JSON")


def test_tausend_anlagen_im_multipart(plattformclient, regel_bauantrag):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    body = encode_multipart(
        BOUNDARY,
        {
            "metadaten": json.dumps(antrag_json()["metadaten"]),
            "antrag": SimpleUploadedFile("Antrag.pdf", pdf_bytes()),
            "anlagen": [SimpleUploadedFile(f"{i}.pdf", b"%PDF-") for i in range(1000)],
        },
    )
    antwort = plattformclient.zustellen(None, body=body, content_type=MULTIPART_CONTENT)
    _problem(antwort, 422, "zu viele Anlagen")
    _nichts_angelegt()


# --- Zuordnung -----------------------------------------------------------------------------


def test_vorgabe_des_verbunds_findet_die_oe_per_kuerzel(
    plattformclient, digitallotse, verbund, kleiner_plan, bauamt
):
    services.regel_speichern(
        akteur=akteur_von(digitallotse),
        verbund=verbund,
        kommune=None,
        leistung=BAUANTRAG,
        bezeichnung="Bauantrag (Vorgabe)",
        aktenplaneinheit=kleiner_plan["0.2.01"],
        oe_kuerzel="BA",
    )
    assert plattformclient.zustellen(antrag_json()).status_code == 201
    assert Antrag.alle.get().vorgang.akte.federfuehrende_oe == bauamt


def test_akte_je_schluessel(plattformclient, regel_bauantrag, kommunen_admin, bauamt):
    services.regel_speichern(
        akteur=akteur_von(kommunen_admin),
        verbund=regel_bauantrag.verbund,
        kommune=regel_bauantrag.kommune,
        regel=regel_bauantrag,
        leistung=BAUANTRAG,
        bezeichnung="Bauantrag",
        aktenplaneinheit=regel_bauantrag.aktenplaneinheit,
        oe=bauamt,
        ablage=Ablage.AKTE_JE_SCHLUESSEL,
        schluesselfeld="flurstueck",
    )
    for referenz in ("CIV-A", "CIV-B"):
        assert plattformclient.zustellen(antrag_json(referenz)).status_code == 201
    anderes = antrag_json("CIV-C", daten={"flurstueck": "Erbach 99/1"})
    assert plattformclient.zustellen(anderes).status_code == 201
    akten = {a.referenz: a.vorgang.akte_id for a in Antrag.alle.select_related("vorgang")}
    assert akten["CIV-A"] == akten["CIV-B"] != akten["CIV-C"]
    assert Akte.alle.get(pk=akten["CIV-A"]).betreff == "Bauantrag Erbach 12/3"


def test_nicht_zuordenbar_landet_mit_grund_im_posteingang(
    plattformclient, regel_bauantrag, kommunen_admin, hauptamt
):
    """The rule names the Hauptamt, where the Eingangskonto is no member: nothing is lost."""
    regel_bauantrag.oe = hauptamt
    regel_bauantrag.save()
    antwort = plattformclient.zustellen(antrag_json("CIV-P"))
    assert antwort.status_code == 201 and antwort.json()["zugeordnet"] is False
    antrag = Antrag.alle.get()
    assert antrag.vorgang is None
    assert "eigene Organisationseinheit" in antrag.nicht_zugeordnet_grund
    eintraege = Posteingangseintrag.alle.filter(kommune=antrag.kommune)
    assert sorted(e.dateiname for e in eintraege) == ["Antrag.pdf", "Lageplan.pdf"]
    assert all("Nicht automatisch zugeordnet" in e.bemerkung for e in eintraege)
    assert Akte.alle.count() == 0  # the failed routing left no Akte behind


def test_signal_nach_dem_commit(
    plattformclient, regel_bauantrag, django_capture_on_commit_callbacks
):
    from eakte.eingang import signale

    empfangen = []

    def empfaenger(sender, vorgang, regel, **kwargs):
        empfangen.append((vorgang, regel))

    signale.antrag_zugeordnet.connect(empfaenger)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            plattformclient.zustellen(antrag_json())
    finally:
        signale.antrag_zugeordnet.disconnect(empfaenger)
    assert empfangen == [(Antrag.alle.get().vorgang, regel_bauantrag)]


def test_status_nur_fuer_die_eigene_plattform(plattformclient, regel_bauantrag, verbund, client):
    antrag_id = plattformclient.zustellen(antrag_json()).json()["id"]
    andere, wert = services.plattform_registrieren(
        akteur=SYSTEM, verbund=verbund, name="Anderes Portal", kennung="anderes-portal"
    )
    fremd = Plattformclient(client, type(plattformclient.zugang)(andere, wert))
    _problem(fremd.status(antrag_id), 404, "gibt es nicht")
    assert plattformclient.status(antrag_id).json()["status"] == "eingegangen"
    assert plattformclient.status(referenz="CIV-1").json()["id"] == antrag_id
    _problem(plattformclient.status("keine-uuid"), 404, "gibt es nicht")


def test_antwortkennung_per_api_und_auf_der_vorgangsseite(
    api_als, client_als, sachbearbeitung, fremde_sachbearbeitung, vorgang
):
    from django.urls import reverse

    from eakte.eingang.models import Antwortkennung

    pfad = reverse("api:eingang-antwortkennung", kwargs={"vorgang_uuid": vorgang.uuid})
    antwort = api_als(sachbearbeitung).get(pfad)
    assert antwort.status_code == 200
    kennung = Antwortkennung.alle.get(vorgang=vorgang)
    assert antwort.json()["betreff_zusatz"] == f"[#{kennung.kennung}]"
    assert api_als(sachbearbeitung).get(pfad).json()["antwortkennung"] == kennung.kennung
    # another Kommune's person: 404, nothing given
    assert api_als(fremde_sachbearbeitung).get(pfad).status_code == 404
    seite = client_als(sachbearbeitung).get(
        reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    )
    assert f'value="[#{kennung.kennung}]"' in seite.content.decode()


def test_jeder_vorgang_bekommt_seine_antwortkennung_beim_anlegen(vorgang, akte, sachbearbeitung):
    """Given when the Vorgang is created, not when a page is first looked at (a GET writes
    nothing); the Vorgänge created before got theirs from the migration."""
    import importlib
    import re

    from django.apps import apps

    from eakte.akten import services as akten_services
    from eakte.eingang.models import Antwortkennung

    kennung = Antwortkennung.alle.get(vorgang=vorgang)
    assert re.fullmatch(r"V-[a-hj-np-z2-9]{12}", kennung.kennung)
    zweiter = akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Zweiter"
    )
    assert Antwortkennung.alle.get(vorgang=zweiter).kennung != kennung.kennung

    Antwortkennung.alle.filter(vorgang=vorgang).delete()  # as before the migration
    migration = importlib.import_module(
        "eakte.eingang.migrations.0006_antwortkennung_fuer_jeden_vorgang"
    )
    migration.nachtragen(apps, None)
    nachgetragen = Antwortkennung.alle.get(vorgang=vorgang)
    assert nachgetragen.kommune_id == vorgang.kommune_id
    assert Antwortkennung.alle.get(vorgang=zweiter).kennung != nachgetragen.kennung
