"""A registered test platform ("Civento Test"), allowed for Erbach, with its Eingangskonto, a
rule for the Bauantrag, a signing client and a real webhook receiver (HTTP server on a free
port)."""

import base64
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.urls import reverse

from eakte.common.akteur import Akteur
from eakte.eingang import geheimnis, services
from eakte.geschaeftsgang import services as gg_services
from eakte.geschaeftsgang.models import Empfaengerart, Verfuegung
from eakte.kommunen.rollen import Rolle
from tests.conftest import pdf_bytes
from tests.factories import BenutzerFactory
from tests.hilfen import akteur_von

BAUANTRAG = "99140002000000"  # FIM-Leistungsschlüssel (Baugenehmigung), as in the example
SYSTEM = Akteur.system("Test")


@dataclass
class Empfang:
    pfad: str
    kopf: dict
    body: bytes

    @property
    def json(self) -> dict:
        return json.loads(self.body)


@dataclass
class Webhookempfaenger:
    """A real HTTP server; answers `antwort` (e.g. 500 to make the sender retry)."""

    server: ThreadingHTTPServer
    empfangen: list[Empfang] = field(default_factory=list)
    antwort: int = 204

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/civento/rueckkanal"


@pytest.fixture
def webhook():
    empfaenger: Webhookempfaenger | None = None

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            laenge = int(self.headers.get("Content-Length") or 0)
            empfaenger.empfangen.append(
                Empfang(self.path, dict(self.headers), self.rfile.read(laenge))
            )
            self.send_response(empfaenger.antwort)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    empfaenger = Webhookempfaenger(server)
    faden = threading.Thread(target=server.serve_forever, daemon=True)
    faden.start()
    yield empfaenger
    server.shutdown()
    server.server_close()


@pytest.fixture
def eingangskonto(erbach, bauamt):
    """The account in whose name submissions are filed: a member of the OEs the rules name."""
    return BenutzerFactory(
        kommune=erbach,
        username="eingang.erbach",
        rollen=[Rolle.SACHBEARBEITUNG],
        organisationseinheiten=[bauamt],
    )


@dataclass
class Plattformzugang:
    plattform: object
    geheimnis: str


@pytest.fixture
def civento(verbund, erbach, eingangskonto, webhook):
    plattform, wert = services.plattform_registrieren(
        akteur=SYSTEM,
        verbund=verbund,
        name="Civento Test",
        kennung="civento-test",
        webhook_url=webhook.url,
    )
    services.zulassung_erteilen(
        akteur=SYSTEM, plattform=plattform, kommune=erbach, konto=eingangskonto
    )
    return Plattformzugang(plattform, wert)


@pytest.fixture
def regel_bauantrag(verbund, erbach, bauamt, kleiner_plan, kommunen_admin):
    from tests.hilfen import akteur_von

    return services.regel_speichern(
        akteur=akteur_von(kommunen_admin),
        verbund=verbund,
        kommune=erbach,
        leistung=BAUANTRAG,
        bezeichnung="Bauantrag",
        aktenplaneinheit=kleiner_plan["0.2.01"],
        oe=bauamt,
    )


def b64(inhalt: bytes) -> str:
    return base64.b64encode(inhalt).decode()


def antrag_json(referenz="CIV-1", *, ags="06437006", leistung=BAUANTRAG, anlagen=None, **mehr):
    meta = {
        "kommune_ags": ags,
        "leistungsschluessel": leistung,
        "prozess_id": "civento-bauantrag",
        "referenz": referenz,
        "eingereicht_am": "2026-03-01T10:15:00+01:00",
        "antragsteller": {"name": "Erika Mustermann", "anschrift": "Hauptstraße 1, 64711 Erbach"},
    }
    meta.update(mehr.pop("metadaten", {}))
    daten = {
        "metadaten": meta,
        "datenformat": "json",
        "daten": {"flurstueck": "Erbach 12/3", "vorhaben": "Neubau Einfamilienhaus"},
        "anlagen": anlagen
        if anlagen is not None
        else [
            {"dateiname": "Antrag.pdf", "antrag": True, "inhalt": b64(pdf_bytes(referenz))},
            {"dateiname": "Lageplan.pdf", "inhalt": b64(pdf_bytes(f"Lageplan {referenz}"))},
        ],
    }
    daten.update(mehr)
    return daten


class Plattformclient:
    """Signs like a platform: X-Eingang-Client, -Zeitstempel, -Signatur over the body."""

    def __init__(self, client, zugang: Plattformzugang):
        self.client, self.zugang = client, zugang

    def kopf(self, methode: str, pfad: str, body: bytes, **mehr) -> dict:
        kopf = geheimnis.kopfzeilen(self.zugang.geheimnis, methode=methode, pfad=pfad, body=body)
        return {
            "HTTP_X_EINGANG_CLIENT": self.zugang.plattform.kennung,
            "HTTP_X_EINGANG_ZEITSTEMPEL": kopf["X-Eingang-Zeitstempel"],
            "HTTP_X_EINGANG_NONCE": kopf["X-Eingang-Nonce"],
            "HTTP_X_EINGANG_SIGNATUR": kopf["X-Eingang-Signatur"],
            **mehr,
        }

    def zustellen(self, daten, *, body: bytes | None = None, content_type="application/json",
                  **mehr):  # fmt: skip
        pfad = reverse("api:eingang-annahme")
        body = body if body is not None else json.dumps(daten).encode()
        return self.client.generic(
            "POST", pfad, body, content_type=content_type, **self.kopf("POST", pfad, body, **mehr)
        )

    def status(self, antrag_uuid=None, *, referenz=None):
        abfrage = f"id={antrag_uuid}" if antrag_uuid else f"referenz={referenz}"
        pfad = f"{reverse('api:eingang-status')}?{abfrage}"
        return self.client.generic("GET", pfad, b"", **self.kopf("GET", pfad, b""))


@pytest.fixture
def plattformclient(client, civento):
    return Plattformclient(client, civento)


# --- route templates a rule may start ---------------------------------------------------


def vorlage_mit(admin, *schritte, verbundweit=False, name="Bauantrag prüfen"):
    return gg_services.vorlage_anlegen(
        akteur=akteur_von(admin),
        name=name,
        verbundweit=verbundweit,
        schritte=[gg_services.VorlageschrittAngabe(v, art, **mehr) for v, art, mehr in schritte],
    )


@pytest.fixture
def amtsleitung(erbach, bauamt):
    from tests.factories import BenutzerFactory

    return BenutzerFactory(kommune=erbach, username="al.erbach", organisationseinheiten=[bauamt])


@pytest.fixture
def vorlage_bauamt(kommunen_admin, bauamt, amtsleitung):
    return vorlage_mit(
        kommunen_admin,
        (Verfuegung.VERANLASSUNG, Empfaengerart.OE, {"oe": bauamt}),
        (Verfuegung.KENNTNIS, Empfaengerart.PERSON, {"person": amtsleitung}),
    )
