"""The Schulungen through the REST API: plan, register, waiting list, attendance, certificate."""

import io
from datetime import UTC, timedelta

from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from schulung import services
from schulung.models import Schulungstermin
from tests.hilfen import akteur_von

from .conftest import begonnen


def test_api_ablauf(
    api_als, trainer, personen, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung
):
    client = api_als(trainer)
    antwort = client.post(
        "/api/v1/schulungen/",
        {
            "titel": "Aktenplan für Einsteiger",
            "beschreibung": "Der **gemeinsame** Aktenplan.",
            "rollen": ["Sachbearbeitung"],
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    schulung = antwort.json()
    assert schulung["beschreibung_html"] == "<p>Der <strong>gemeinsame</strong> Aktenplan.</p>"
    beginn = timezone.now().replace(microsecond=0) + timedelta(days=5)
    antwort = client.post(
        "/api/v1/schulungstermine/",
        {
            "schulung": schulung["uuid"],
            "beginn": beginn.isoformat(),
            "ende": (beginn + timedelta(hours=2)).isoformat(),
            "kapazitaet": 1,
            "online_link": "https://konferenz.example/aktenplan",
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    termin = antwort.json()
    assert (termin["frei"], termin["belegt"], termin["anmeldestatus"]) == (1, 0, None)
    url = f"/api/v1/schulungstermine/{termin['uuid']}/"

    # clerks of two Kommunen of the Verbund register: one gets the place, one waits
    eins = api_als(sachbearbeitung).post(url + "anmelden/").json()
    assert (eins["anmeldestatus"], eins["platz"]) == ("angemeldet", None)
    zwei = api_als(fremde_sachbearbeitung).post(url + "anmelden/").json()
    assert (zwei["anmeldestatus"], zwei["platz"]) == ("warteliste", 1)
    doppelt = api_als(fremde_sachbearbeitung).post(url + "anmelden/")
    assert doppelt.status_code == 400
    assert doppelt.json() == {
        "non_field_errors": ["Sie stehen bereits auf der Warteliste (Platz 1)."]
    }
    stand = api_als(fremde_sachbearbeitung).get(url).json()
    assert (stand["frei"], stand["wartend"], stand["anmeldestatus"]) == (0, 1, "warteliste")
    meine = api_als(fremde_sachbearbeitung).get("/api/v1/schulungsanmeldungen/").json()["results"]
    assert [(m["anmeldestatus"], m["platz"], m["schulung"]["titel"]) for m in meine] == [
        ("warteliste", 1, "Aktenplan für Einsteiger")
    ]

    # the first leaves, the second moves up
    assert api_als(sachbearbeitung).post(url + "abmelden/").json()["anmeldestatus"] == "abgemeldet"
    assert api_als(fremde_sachbearbeitung).get(url).json()["anmeldestatus"] == "angemeldet"
    assert api_als(sachbearbeitung).get("/api/v1/schulungsanmeldungen/").json()["results"] == []

    # calendar
    ics = api_als(kollegin_andere_oe).get(url + "ics/")
    assert ics.status_code == 200 and ics["Content-Type"] == "text/calendar; charset=utf-8"
    ereignis = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert ereignis.decoded("DTSTART") == beginn.astimezone(UTC)
    assert str(ereignis["URL"]) == "https://konferenz.example/aktenplan"

    # participants and attendance: only the Redaktion
    assert api_als(sachbearbeitung).get(url + "teilnehmer/").status_code == 403
    teilnehmer = api_als(trainer).get(url + "teilnehmer/").json()
    assert [(t["benutzername"], t["kommune"], t["anmeldestatus"]) for t in teilnehmer] == [
        ("sb.michelstadt", "michelstadt", "angemeldet")
    ]
    zu_frueh = api_als(trainer).post(
        url + "anwesenheit/", {"anwesend": [teilnehmer[0]["uuid"]]}, format="json"
    )
    assert zu_frueh.status_code == 400
    assert zu_frueh.json() == {
        "non_field_errors": ["Die Anwesenheit kann erst ab Beginn des Termins erfasst werden."]
    }
    begonnen(Schulungstermin.objects.get(uuid=termin["uuid"]))
    assert (
        api_als(fremde_sachbearbeitung)
        .post(url + "anwesenheit/", {"anwesend": []}, format="json")
        .status_code
        == 403
    )
    erfasst = (
        api_als(trainer)
        .post(url + "anwesenheit/", {"anwesend": [teilnehmer[0]["uuid"]]}, format="json")
        .json()
    )
    assert erfasst[0]["teilgenommen"] is True

    # the certificate, for the participant only
    meine = api_als(fremde_sachbearbeitung).get("/api/v1/schulungsanmeldungen/").json()["results"]
    assert meine[0]["bescheinigung"].endswith(
        f"/api/v1/schulungsanmeldungen/{meine[0]['uuid']}/bescheinigung/"
    )
    pdf = api_als(fremde_sachbearbeitung).get(
        f"/api/v1/schulungsanmeldungen/{meine[0]['uuid']}/bescheinigung/"
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert (
        "Aktenplan für Einsteiger" in text
        and "Michelstadt" in text
        and meine[0]["bescheinigungsnummer"] in text
    )
    for andere in (trainer, sachbearbeitung):
        assert (
            api_als(andere)
            .get(f"/api/v1/schulungsanmeldungen/{meine[0]['uuid']}/bescheinigung/")
            .status_code
            == 404
        )


def test_api_nur_redaktion_legt_an(api_als, sachbearbeitung, kommunen_admin, schulung):
    for person in (sachbearbeitung, kommunen_admin):
        client = api_als(person)
        assert client.post("/api/v1/schulungen/", {"titel": "X"}, format="json").status_code == 403
        beginn = timezone.now() + timedelta(days=2)
        antwort = client.post(
            "/api/v1/schulungstermine/",
            {
                "schulung": str(schulung.uuid),
                "beginn": beginn.isoformat(),
                "ende": (beginn + timedelta(hours=1)).isoformat(),
                "kapazitaet": 3,
                "ort": "Erbach",
            },
            format="json",
        )
        assert antwort.status_code == 403


def test_api_termin_fehler_auf_deutsch(api_als, trainer, schulung):
    beginn = timezone.now() + timedelta(days=2)
    antwort = api_als(trainer).post(
        "/api/v1/schulungstermine/",
        {
            "schulung": str(schulung.uuid),
            "beginn": beginn.isoformat(),
            "ende": (beginn - timedelta(hours=1)).isoformat(),
            "kapazitaet": 3,
        },
        format="json",
    )
    assert antwort.status_code == 400
    assert antwort.json() == {
        "ende": ["Das Ende muss nach dem Beginn liegen."],
        "ort": ["Bitte einen Ort oder einen Online-Link angeben."],
    }


def test_api_listen_zaehlen_abfragen(
    api_als, termin_anlegen, personen, trainer, django_assert_max_num_queries
):
    leute = personen(4)
    for n in range(6):
        termin = termin_anlegen(kapazitaet=3, in_tagen=n + 2)
        for p in leute[:2]:
            services.termin_anmelden(akteur=akteur_von(p), termin=termin)
    client = api_als(leute[0])
    with django_assert_max_num_queries(6):
        termine = client.get("/api/v1/schulungstermine/?kommend=true").json()
    assert termine["count"] == 6 and {t["frei"] for t in termine["results"]} == {1}
    with django_assert_max_num_queries(6):
        meine = client.get("/api/v1/schulungsanmeldungen/").json()
    assert meine["count"] == 6
