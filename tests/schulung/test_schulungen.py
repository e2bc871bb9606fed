"""Schulungen: planning, registration with waiting list, attendance, certificate, calendar."""

import io
import threading
from datetime import UTC, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone
from icalendar import Calendar
from pypdf import PdfReader

from eakte.kommunen.rollen import Rolle
from schulung import selectors, services, tasks
from schulung.models import Anmeldestatus, Anmeldung, Schulungstermin
from tests.conftest import _person
from tests.hilfen import akteur_von

from .conftest import begonnen


def _meldung(fehler: ValidationError) -> str:
    return " ".join(fehler.messages)


# --- planning --------------------------------------------------------------------------------


def test_nur_die_redaktion_plant(
    schulung, sachbearbeitung, kommunen_admin, fremder_verbund_admin, verbund_admin
):
    for person in (sachbearbeitung, kommunen_admin):
        with pytest.raises(PermissionDenied):
            services.schulung_anlegen(akteur=akteur_von(person), titel="X")
    beginn = timezone.now() + timedelta(days=3)
    for person in (sachbearbeitung, fremder_verbund_admin):
        with pytest.raises(PermissionDenied):
            services.termin_anlegen(
                akteur=akteur_von(person),
                schulung=schulung,
                beginn=beginn,
                ende=beginn + timedelta(hours=1),
                kapazitaet=3,
                ort="Erbach",
            )
    # the Verbund-Admin of the same Verbund belongs to the Redaktion
    termin = services.termin_anlegen(
        akteur=akteur_von(verbund_admin),
        schulung=schulung,
        beginn=beginn,
        ende=beginn + timedelta(hours=1),
        kapazitaet=3,
        ort="Erbach",
    )
    assert termin.anmeldeschluss == beginn


@pytest.mark.parametrize(
    ("aenderung", "feld", "meldung"),
    [
        ({"ende_minus": 2}, "ende", "Das Ende muss nach dem Beginn liegen."),
        ({"ort": "", "online_link": ""}, "ort", "Bitte einen Ort oder einen Online-Link angeben."),
        (
            {"ort": "", "online_link": "javascript:alert(1)"},
            "online_link",
            "Bitte einen Link mit http:// oder https:// angeben.",
        ),
        (
            {"ort": "", "online_link": "ftp://example.org/x"},
            "online_link",
            "Bitte einen Link mit http:// oder https:// angeben.",
        ),
        ({"kapazitaet": 0}, "kapazitaet", "Ein Termin braucht mindestens einen Platz."),
        ({"in_tagen": -1}, "beginn", "Ein neuer Termin muss in der Zukunft liegen."),
        (
            {"anmeldeschluss_plus": 1},
            "anmeldeschluss",
            "Der Anmeldeschluss darf nicht nach dem Beginn liegen.",
        ),
    ],
)
def test_termin_eingaben_werden_geprueft(trainer, schulung, aenderung, feld, meldung):
    beginn = timezone.now() + timedelta(days=aenderung.get("in_tagen", 5))
    daten = {
        "beginn": beginn,
        "ende": beginn + timedelta(hours=1 - aenderung.get("ende_minus", 0)),
        "kapazitaet": aenderung.get("kapazitaet", 4),
        "ort": aenderung.get("ort", "Erbach"),
        "online_link": aenderung.get("online_link", ""),
        "anmeldeschluss": beginn + timedelta(hours=aenderung.get("anmeldeschluss_plus", 0)),
    }
    with pytest.raises(ValidationError) as fehler:
        services.termin_anlegen(akteur=akteur_von(trainer), schulung=schulung, **daten)
    assert meldung in fehler.value.message_dict[feld]
    assert not Schulungstermin.objects.exists()


@pytest.mark.parametrize(
    "angriff",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "[Klick](javascript:alert(1))",
        "<iframe src='https://example.org'></iframe>",
    ],
)
def test_beschreibung_wird_harmlos(trainer, angriff):
    schulung = services.schulung_anlegen(
        akteur=akteur_von(trainer), titel="XSS", beschreibung=f"Text {angriff} Ende"
    )
    html = schulung.beschreibung_html.lower()
    for gefaehrlich in ("<script", "onerror", "<iframe", "javascript:"):
        assert gefaehrlich not in html
    assert "text" in html


# --- registration and waiting list -----------------------------------------------------------


def test_warteliste_rueckt_nach_wenn_jemand_geht(termin_anlegen, personen):
    termin = termin_anlegen(kapazitaet=2)
    a, b, c, d = personen(4)
    status = [services.termin_anmelden(akteur=akteur_von(p), termin=termin) for p in (a, b, c, d)]
    assert [s.status for s in status] == ["angemeldet", "angemeldet", "warteliste", "warteliste"]
    assert [s.platz for s in status] == [None, None, 1, 2]

    services.termin_abmelden(akteur=akteur_von(a), termin=termin)
    stand = {x.benutzer_id: x for x in Anmeldung.objects.filter(termin=termin)}
    assert stand[a.pk].status == Anmeldestatus.ABGEMELDET
    assert stand[c.pk].status == Anmeldestatus.ANGEMELDET  # the first of the list moved up
    assert selectors.wartelistenplatz(stand[d.pk]) == 1

    # leaving the waiting list frees no place and moves nobody
    services.termin_abmelden(akteur=akteur_von(d), termin=termin)
    assert selectors.freie_plaetze(termin) == 0
    assert not selectors.warteliste(termin).exists()

    # registering again after leaving works: new place at the end of the list
    services.termin_anmelden(akteur=akteur_von(d), termin=termin)
    wieder = services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    assert (wieder.status, wieder.platz) == ("warteliste", 2)
    assert Anmeldung.objects.filter(termin=termin, benutzer=a).count() == 1


def test_doppelt_frist_und_absage_werden_verweigert(termin_anlegen, personen, trainer):
    termin = termin_anlegen(kapazitaet=1)
    a, b, c = personen(3)
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    with pytest.raises(ValidationError) as fehler:
        services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    assert _meldung(fehler.value) == "Sie sind bereits angemeldet."
    with pytest.raises(ValidationError) as fehler:
        services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    assert _meldung(fehler.value) == "Sie stehen bereits auf der Warteliste (Platz 1)."

    spaet = termin_anlegen(kapazitaet=3, anmeldeschluss=None)
    Schulungstermin.objects.filter(pk=spaet.pk).update(
        anmeldeschluss=timezone.now() - timedelta(minutes=1)
    )
    spaet.refresh_from_db()
    with pytest.raises(ValidationError) as fehler:
        services.termin_anmelden(akteur=akteur_von(c), termin=spaet)
    assert _meldung(fehler.value).startswith("Die Anmeldefrist ist am ")
    assert _meldung(fehler.value).endswith(" Uhr abgelaufen.")

    services.termin_absagen(akteur=akteur_von(trainer), termin=termin)
    with pytest.raises(ValidationError) as fehler:
        services.termin_anmelden(akteur=akteur_von(c), termin=termin)
    assert (
        _meldung(fehler.value) == "Dieser Termin wurde abgesagt; eine Anmeldung ist nicht möglich."
    )
    assert not Anmeldung.objects.filter(benutzer=c).exists()


def test_abmelden_nur_vor_beginn_und_nur_wer_angemeldet_ist(termin, personen):
    a, b = personen(2)
    with pytest.raises(ValidationError) as fehler:
        services.termin_abmelden(akteur=akteur_von(a), termin=termin)
    assert _meldung(fehler.value) == "Sie sind für diesen Termin nicht angemeldet."
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    begonnen(termin)
    with pytest.raises(ValidationError) as fehler:
        services.termin_abmelden(akteur=akteur_von(a), termin=termin)
    assert "hat bereits begonnen" in _meldung(fehler.value)


def test_mehr_plaetze_ruecken_nach_weniger_als_angemeldet_geht_nicht(
    termin_anlegen, personen, trainer
):
    termin = termin_anlegen(kapazitaet=1)
    a, b, c = personen(3)
    for p in (a, b, c):
        services.termin_anmelden(akteur=akteur_von(p), termin=termin)
    daten = {
        "beginn": termin.beginn,
        "ende": termin.ende,
        "ort": termin.ort,
        "anmeldeschluss": termin.anmeldeschluss,
    }
    services.termin_aendern(akteur=akteur_von(trainer), termin=termin, kapazitaet=2, **daten)
    assert Anmeldung.objects.get(benutzer=b).status == Anmeldestatus.ANGEMELDET
    assert Anmeldung.objects.get(benutzer=c).status == Anmeldestatus.WARTELISTE
    with pytest.raises(ValidationError) as fehler:
        services.termin_aendern(akteur=akteur_von(trainer), termin=termin, kapazitaet=1, **daten)
    assert fehler.value.message_dict["kapazitaet"] == [
        "Es sind bereits 2 Personen angemeldet; die Zahl der Plätze kann nicht darunter sinken."
    ]


def test_zielrollen_begrenzen_wer_die_schulung_sieht(
    trainer, sachbearbeitung, kommunen_admin, client_als
):
    schulung = services.schulung_anlegen(
        akteur=akteur_von(trainer), titel="Benutzer verwalten", rollen=["Kommunen-Admin"]
    )
    beginn = timezone.now() + timedelta(days=2)
    termin = services.termin_anlegen(
        akteur=akteur_von(trainer),
        schulung=schulung,
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        kapazitaet=5,
        ort="Erbach",
    )
    assert list(selectors.schulungen_fuer(kommunen_admin)) == [schulung]
    assert not selectors.schulungen_fuer(sachbearbeitung).exists()
    with pytest.raises(PermissionDenied):
        services.termin_anmelden(akteur=akteur_von(sachbearbeitung), termin=termin)
    assert client_als(sachbearbeitung).get(f"/schulung/kurse/{schulung.uuid}/").status_code == 404
    assert (
        client_als(sachbearbeitung)
        .post(f"/schulung/kurse/termin/{termin.uuid}/anmelden/")
        .status_code
        == 404
    )
    assert (
        client_als(kommunen_admin)
        .post(f"/schulung/kurse/termin/{termin.uuid}/anmelden/")
        .status_code
        == 302
    )


@pytest.mark.django_db(transaction=True)
def test_zwanzig_gleichzeitige_anmeldungen_fuer_fuenf_plaetze(
    termin_anlegen, personen, monkeypatch
):
    monkeypatch.setattr(services, "_mitteilen", lambda *args: None)  # capacity, not mail, here
    termin = termin_anlegen(kapazitaet=5)
    leute = personen(20)
    start = threading.Barrier(len(leute), timeout=60)
    fehler = []

    def anmelden(person):
        try:
            start.wait()
            services.termin_anmelden(akteur=akteur_von(person), termin=termin)
        except Exception as ausnahme:  # noqa: BLE001 - reported below
            fehler.append(ausnahme)
        finally:
            connection.close()

    threads = [threading.Thread(target=anmelden, args=(p,)) for p in leute]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert not fehler, fehler
    anmeldungen = list(Anmeldung.objects.filter(termin=termin))
    assert len(anmeldungen) == 20
    assert len({a.benutzer_id for a in anmeldungen}) == 20
    angemeldet = [a for a in anmeldungen if a.status == Anmeldestatus.ANGEMELDET]
    warteliste = [a for a in anmeldungen if a.status == Anmeldestatus.WARTELISTE]
    assert len(angemeldet) == 5
    assert sorted(selectors.wartelistenplatz(a) for a in warteliste) == list(range(1, 16))
    # the waiting list is in the order in which the registrations were committed
    reihenfolge = list(selectors.warteliste(termin))
    assert [selectors.wartelistenplatz(a) for a in reihenfolge] == list(range(1, 16))
    assert selectors.freie_plaetze(termin) == 0


# --- attendance and certificate --------------------------------------------------------------


def test_anwesenheit_und_bescheinigung(
    termin, personen, trainer, client_als, fremder_verbund_admin, sachbearbeitung
):
    a, b = personen(2)
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    anmeldung_a = Anmeldung.objects.get(benutzer=a)
    with pytest.raises(ValidationError) as fehler:
        services.anwesenheit_erfassen(
            akteur=akteur_von(trainer), termin=termin, anwesend=[str(anmeldung_a.uuid)]
        )
    assert (
        _meldung(fehler.value) == "Die Anwesenheit kann erst ab Beginn des Termins erfasst werden."
    )

    begonnen(termin)
    with pytest.raises(PermissionDenied):
        services.anwesenheit_erfassen(
            akteur=akteur_von(a), termin=termin, anwesend=[str(anmeldung_a.uuid)]
        )
    antwort = client_als(trainer).post(
        f"/schulung/kurse/termin/{termin.uuid}/teilnehmer/", {"anwesend": [str(anmeldung_a.uuid)]}
    )
    assert antwort.status_code == 302
    anmeldung_a.refresh_from_db()
    assert anmeldung_a.teilgenommen is True
    assert anmeldung_a.bescheinigungsnummer.startswith(
        f"TB-{timezone.localtime(termin.beginn).year}-"
    )
    assert Anmeldung.objects.get(benutzer=b).teilgenommen is False

    url = f"/schulung/kurse/bescheinigung/{anmeldung_a.uuid}.pdf"
    antwort = client_als(a).get(url)
    assert antwort.status_code == 200 and antwort["Content-Type"] == "application/pdf"
    text = " ".join(seite.extract_text() for seite in PdfReader(io.BytesIO(antwort.content)).pages)
    assert "Teilnahmebescheinigung".upper() in text
    assert a.get_full_name() in text and "Erbach" in text
    assert "Einführung in die E-Akte" in text
    assert anmeldung_a.bescheinigungsnummer in text
    assert timezone.localtime(termin.beginn).strftime("%d.%m.%Y") in text
    assert "Erbach, Rathaus" in text

    # nobody else gets it: the other participant, the trainer, a clerk, another Verbund
    for person in (b, trainer, sachbearbeitung, fremder_verbund_admin):
        assert client_als(person).get(url).status_code == 404
    # and no certificate for someone who did not take part
    anmeldung_b = Anmeldung.objects.get(benutzer=b)
    assert (
        client_als(b).get(f"/schulung/kurse/bescheinigung/{anmeldung_b.uuid}.pdf").status_code
        == 404
    )

    # a wrong selection is refused as a whole
    with pytest.raises(ValidationError):
        services.anwesenheit_erfassen(
            akteur=akteur_von(trainer),
            termin=termin,
            anwesend=[str(anmeldung_a.uuid), "00000000-0000-0000-0000-000000000000"],
        )
    anmeldung_a.refresh_from_db()
    assert anmeldung_a.teilgenommen is True


def test_teilnehmerliste_zeigt_checkboxen_erst_ab_beginn(
    termin, personen, trainer, client_als, sachbearbeitung
):
    a, b = personen(2)
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    url = f"/schulung/kurse/termin/{termin.uuid}/teilnehmer/"
    seite = client_als(trainer).get(url).content.decode()
    assert a.get_full_name() in seite and 'type="checkbox"' not in seite
    assert "Die Anwesenheit erfassen Sie ab Beginn des Termins." in seite
    assert client_als(sachbearbeitung).get(url).status_code == 403
    begonnen(termin)
    seite = client_als(trainer).get(url).content.decode()
    assert seite.count('type="checkbox" name="anwesend"') == 1
    assert f'<label for="anwesend-{Anmeldung.objects.get(benutzer=a).uuid}">' in seite


# --- calendar --------------------------------------------------------------------------------


def test_ics_datei(termin_anlegen, personen, client_als):
    termin = termin_anlegen(ort="Erbach, Rathaus, Sitzungssaal")
    online = termin_anlegen(ort="", online_link="https://konferenz.example/raum-1")
    a = personen(1)[0]
    antwort = client_als(a).get(f"/schulung/kurse/termin/{termin.uuid}/termin.ics")
    assert antwort["Content-Type"] == "text/calendar; charset=utf-8"
    assert antwort["Content-Disposition"].startswith('attachment; filename="schulung-')
    ereignis = Calendar.from_ical(antwort.content).walk("VEVENT")[0]
    assert str(ereignis["UID"]) == f"{termin.uuid}@eakte"
    assert ereignis.decoded("DTSTART") == termin.beginn.astimezone(UTC)
    assert ereignis.decoded("DTEND") == termin.ende.astimezone(UTC)
    assert ereignis.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(ereignis["SUMMARY"]) == "Schulung: Einführung in die E-Akte"
    assert str(ereignis["LOCATION"]) == "Erbach, Rathaus, Sitzungssaal"
    assert "Akten anlegen" in str(ereignis["DESCRIPTION"])

    ereignis = Calendar.from_ical(
        client_als(a).get(f"/schulung/kurse/termin/{online.uuid}/termin.ics").content
    ).walk("VEVENT")[0]
    assert str(ereignis["URL"]) == "https://konferenz.example/raum-1"
    assert str(ereignis["LOCATION"]) == "Online"


# --- pages -----------------------------------------------------------------------------------


def test_liste_zeigt_freie_plaetze_und_zaehlt_abfragen(
    trainer, termin_anlegen, personen, client_als, sachbearbeitung, django_assert_max_num_queries
):
    zwoelf = termin_anlegen(kapazitaet=12)
    voll = termin_anlegen(kapazitaet=1, in_tagen=9)
    leute = personen(10)
    for p in leute[:9]:
        services.termin_anmelden(akteur=akteur_von(p), termin=zwoelf)
    services.termin_anmelden(akteur=akteur_von(leute[9]), termin=voll)
    services.termin_anmelden(akteur=akteur_von(sachbearbeitung), termin=voll)
    for n in range(5):
        weitere = services.schulung_anlegen(
            akteur=akteur_von(trainer), titel=f"Weitere Schulung {n}"
        )
        termin_anlegen(fuer=weitere, kapazitaet=4)
    client = client_als(sachbearbeitung)
    with django_assert_max_num_queries(8):
        seite = client.get("/schulung/kurse/").content.decode()
    assert "3 von 12 Plätzen frei" in seite
    assert "ausgebucht – Warteliste" in seite
    assert "auf der Warteliste" in seite
    assert seite.count("4 von 4 Plätzen frei") == 5


def test_kurs_seite_und_anmelden_im_browser_formular(termin_anlegen, personen, client_als):
    termin = termin_anlegen(kapazitaet=1)
    a, b = personen(2)
    client = client_als(a)
    seite = client.post(
        f"/schulung/kurse/termin/{termin.uuid}/anmelden/", follow=True
    ).content.decode()
    assert "Sie sind angemeldet." in seite and "Vom Termin abmelden" in seite
    datum = timezone.localtime(termin.beginn).strftime("%d.%m.%Y")
    assert f'<span class="nur-vorlesen"> (Termin am {datum})</span>' in seite
    client = client_als(b)
    seite = client.post(
        f"/schulung/kurse/termin/{termin.uuid}/anmelden/", follow=True
    ).content.decode()
    assert "Sie stehen auf der Warteliste, auf Platz 1" in seite
    assert "Warteliste, Platz 1" in seite
    seite = client.post(
        f"/schulung/kurse/termin/{termin.uuid}/anmelden/", follow=True
    ).content.decode()
    assert "Sie stehen bereits auf der Warteliste (Platz 1)." in seite


def test_meine_schulungen(
    termin_anlegen, personen, trainer, client_als, django_assert_max_num_queries
):
    a, b = personen(2)
    vergangen = termin_anlegen(kapazitaet=3)
    voll = termin_anlegen(kapazitaet=1, in_tagen=10)
    offen = termin_anlegen(kapazitaet=3, in_tagen=12)
    services.termin_anmelden(akteur=akteur_von(a), termin=vergangen)
    services.termin_anmelden(akteur=akteur_von(b), termin=voll)
    services.termin_anmelden(akteur=akteur_von(a), termin=voll)
    services.termin_anmelden(akteur=akteur_von(a), termin=offen)
    services.termin_abmelden(akteur=akteur_von(a), termin=offen)
    begonnen(vergangen, vor=timedelta(hours=4))
    services.anwesenheit_erfassen(
        akteur=akteur_von(trainer),
        termin=vergangen,
        anwesend=[str(Anmeldung.objects.get(benutzer=a, termin=vergangen).uuid)],
    )
    client = client_als(a)
    with django_assert_max_num_queries(6):
        seite = client.get("/schulung/kurse/meine/").content.decode()
    assert "Warteliste, Platz 1" in seite
    assert "teilgenommen" in seite
    assert "Teilnahmebescheinigung (PDF)" in seite
    assert seite.count("<tr>") == 3  # header + two registrations; the withdrawn one is gone
    assert "Meine Schulungen" in client.get("/schulung/").content.decode()


def test_redaktion_legt_schulung_und_termin_im_formular_an(trainer, client_als, sachbearbeitung):
    client = client_als(trainer)
    antwort = client.post(
        "/schulung/kurse/neu/",
        {"titel": "Scannen nach TR-RESISCAN", "beschreibung": "Wie man **richtig** scannt."},
    )
    schulung = selectors.schulungen_fuer(trainer).get(titel="Scannen nach TR-RESISCAN")
    assert antwort["Location"] == f"/schulung/kurse/{schulung.uuid}/"
    tag = (timezone.localdate() + timedelta(days=20)).isoformat()
    url = f"/schulung/kurse/{schulung.uuid}/termin/neu/"
    fehlerhaft = client.post(
        url,
        {
            "datum": tag,
            "beginn": "10:00",
            "ende": "09:00",
            "ort": "",
            "online_link": "",
            "kapazitaet": "8",
        },
    )
    assert "Bitte einen Ort oder einen Online-Link angeben." in fehlerhaft.content.decode()
    fehlerhaft = client.post(
        url,
        {"datum": tag, "beginn": "10:00", "ende": "09:00", "ort": "Michelstadt", "kapazitaet": "8"},
    )
    assert "Das Ende muss nach dem Beginn liegen." in fehlerhaft.content.decode()
    client.post(
        url,
        {
            "datum": tag,
            "beginn": "10:00",
            "ende": "12:30",
            "ort": "Michelstadt, Rathaus",
            "kapazitaet": "8",
        },
    )
    termin = schulung.termine.get()
    assert timezone.localtime(termin.beginn).strftime("%H:%M") == "10:00"
    assert timezone.localtime(termin.ende).strftime("%H:%M") == "12:30"
    seite = client_als(sachbearbeitung).get(f"/schulung/kurse/{schulung.uuid}/").content.decode()
    assert "8 von 8 Plätzen frei" in seite and "<strong>richtig</strong>" in seite
    assert "Teilnehmerliste" not in seite
    assert client_als(sachbearbeitung).get("/schulung/kurse/neu/").status_code == 403
    assert client_als(sachbearbeitung).get(url).status_code == 403


# --- isolation -------------------------------------------------------------------------------


@pytest.fixture
def fremde_schulung(sontra):
    """A Schulung with a Termin of the other Verbund, with two registrations there."""
    admin = _person(sontra, "va.sontra", [Rolle.VERBUND_ADMIN])
    schulung = services.schulung_anlegen(akteur=akteur_von(admin), titel="Werra-Meißner intern")
    beginn = timezone.now() + timedelta(days=4)
    termin = services.termin_anlegen(
        akteur=akteur_von(admin),
        schulung=schulung,
        beginn=beginn,
        ende=beginn + timedelta(hours=1),
        kapazitaet=10,
        ort="Sontra",
    )
    for n in range(2):
        services.termin_anmelden(
            akteur=akteur_von(_person(sontra, f"sb{n}.sontra", [Rolle.SACHBEARBEITUNG])),
            termin=termin,
        )
    return termin


def test_anderer_verbund_bekommt_404_und_zaehlt_nicht_mit(
    termin, personen, trainer, client_als, api_als, fremder_verbund_admin, fremde_schulung, sontra
):
    a = personen(1)[0]
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    anmeldung = Anmeldung.objects.get(benutzer=a)
    begonnen(termin)
    services.anwesenheit_erfassen(
        akteur=akteur_von(trainer), termin=termin, anwesend=[str(anmeldung.uuid)]
    )
    fremde_sb = _person(sontra, "sb9.sontra", [Rolle.SACHBEARBEITUNG])
    s, t = termin.schulung.uuid, termin.uuid
    seiten = [
        ("get", f"/schulung/kurse/{s}/"),
        ("get", f"/schulung/kurse/{s}/bearbeiten/"),
        ("get", f"/schulung/kurse/{s}/termin/neu/"),
        ("get", f"/schulung/kurse/termin/{t}/bearbeiten/"),
        ("post", f"/schulung/kurse/termin/{t}/absagen/"),
        ("post", f"/schulung/kurse/termin/{t}/anmelden/"),
        ("post", f"/schulung/kurse/termin/{t}/abmelden/"),
        ("get", f"/schulung/kurse/termin/{t}/teilnehmer/"),
        ("post", f"/schulung/kurse/termin/{t}/teilnehmer/"),
        ("get", f"/schulung/kurse/termin/{t}/termin.ics"),
        ("get", f"/schulung/kurse/bescheinigung/{anmeldung.uuid}.pdf"),
    ]
    for person in (fremder_verbund_admin, fremde_sb):
        client = client_als(person)
        for methode, url in seiten:
            assert getattr(client, methode)(url).status_code == 404, (person, url)
        liste = client.get("/schulung/kurse/").content.decode()
        assert "Einführung in die E-Akte" not in liste
    endpunkte = [
        ("get", f"/api/v1/schulungen/{s}/"),
        ("get", f"/api/v1/schulungstermine/{t}/"),
        ("post", f"/api/v1/schulungstermine/{t}/anmelden/"),
        ("post", f"/api/v1/schulungstermine/{t}/abmelden/"),
        ("get", f"/api/v1/schulungstermine/{t}/teilnehmer/"),
        ("post", f"/api/v1/schulungstermine/{t}/anwesenheit/"),
        ("get", f"/api/v1/schulungstermine/{t}/ics/"),
        ("get", f"/api/v1/schulungsanmeldungen/{anmeldung.uuid}/"),
        ("get", f"/api/v1/schulungsanmeldungen/{anmeldung.uuid}/bescheinigung/"),
    ]
    for person in (fremder_verbund_admin, fremde_sb):
        client = api_als(person)
        for methode, url in endpunkte:
            assert getattr(client, methode)(url, format="json").status_code == 404, (person, url)
        assert [x["titel"] for x in client.get("/api/v1/schulungen/").json()["results"]] == [
            "Werra-Meißner intern"
        ]
        assert [x["uuid"] for x in client.get("/api/v1/schulungstermine/").json()["results"]] == [
            str(fremde_schulung.uuid)
        ]
    # creating a Termin for our Schulung from outside: the Schulung is unknown there
    antwort = api_als(fremder_verbund_admin).post(
        "/api/v1/schulungstermine/",
        {
            "schulung": str(s),
            "beginn": (timezone.now() + timedelta(days=3)).isoformat(),
            "ende": (timezone.now() + timedelta(days=3, hours=1)).isoformat(),
            "kapazitaet": 3,
            "ort": "X",
        },
        format="json",
    )
    assert antwort.status_code == 400 and antwort.json() == {"schulung": ["Unbekannte Schulung."]}
    # free places are counted per Termin; the other Verbund's registrations never show here
    unsere = {x["uuid"]: x for x in api_als(a).get("/api/v1/schulungstermine/").json()["results"]}
    assert unsere[str(t)]["belegt"] == 1 and str(fremde_schulung.uuid) not in unsere
    fremd = (
        api_als(fremder_verbund_admin)
        .get(f"/api/v1/schulungstermine/{fremde_schulung.uuid}/")
        .json()
    )
    assert (fremd["belegt"], fremd["frei"]) == (2, 8)


# --- mails (content checked here; the real worker in test_schulung_mails.py) -----------------


@pytest.fixture
def mails_sofort(monkeypatch, django_capture_on_commit_callbacks):
    """Run the mail task in-process when the transaction commits (to check the message text)."""
    aufgaben = {"schulung.anmeldung_mitteilen": tasks.anmeldung_mitteilen}
    monkeypatch.setattr(
        services.current_app, "send_task", lambda name, args=(): aufgaben[name](*args)
    )

    def ausfuehren():
        return django_capture_on_commit_callbacks(execute=True)

    return ausfuehren


def test_mails_bei_anmeldung_warteliste_nachruecken_und_absage(
    termin_anlegen, personen, trainer, mails_sofort, settings
):
    settings.SITE_URL = "https://eakte.odenwald.example"
    termin = termin_anlegen(kapazitaet=1)
    a, b = personen(2)
    with mails_sofort():
        services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    with mails_sofort():
        services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    with mails_sofort():
        services.termin_abmelden(akteur=akteur_von(a), termin=termin)
    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([a.email], "eAkte Schulung: Anmeldung bestätigt – Einführung in die E-Akte"),
        ([b.email], "eAkte Schulung: Warteliste – Einführung in die E-Akte"),
        ([b.email], "eAkte Schulung: Sie sind nachgerückt – Einführung in die E-Akte"),
    ]
    assert "auf Platz 1" in mail.outbox[1].body
    assert (
        f"https://eakte.odenwald.example/schulung/kurse/{termin.schulung.uuid}/"
        in mail.outbox[0].body
    )
    anhang = mail.outbox[2].attachments[0]
    assert anhang[2] == "text/calendar; charset=utf-8"
    assert Calendar.from_ical(anhang[1]).walk("VEVENT")[0]["UID"] == f"{termin.uuid}@eakte"
    with mails_sofort():
        services.termin_absagen(akteur=akteur_von(trainer), termin=termin)
    assert [m.subject for m in mail.outbox[3:]] == [
        "eAkte Schulung: Termin abgesagt – Einführung in die E-Akte"
    ]
    assert mail.outbox[3].to == [b.email]


def test_erinnerung_am_vortag_genau_einmal(termin_anlegen, personen, trainer):
    morgen = termin_anlegen(kapazitaet=2, in_tagen=1)
    spaeter = termin_anlegen(kapazitaet=2, in_tagen=3)
    a, b, c = personen(3)
    for p in (a, b, c):
        services.termin_anmelden(akteur=akteur_von(p), termin=morgen)
    services.termin_anmelden(akteur=akteur_von(c), termin=spaeter)
    # the 7 o'clock run of the day before the Termin
    lauf = timezone.make_aware(
        timezone.datetime.combine(
            timezone.localdate(morgen.beginn) - timedelta(days=1), timezone.datetime.min.time()
        )
    ) + timedelta(hours=7)
    assert services.erinnerungen_senden(jetzt=lauf) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([a.email, b.email])
    assert all(m.subject.startswith("eAkte Schulung: Erinnerung") for m in mail.outbox)
    assert services.erinnerungen_senden(jetzt=lauf + timedelta(minutes=5)) == 0
    assert len(mail.outbox) == 2
    assert Anmeldung.objects.filter(erinnert_am__isnull=False).count() == 2


def test_termin_bearbeiten_und_absagen_im_browser_formular(
    termin_anlegen, personen, trainer, client_als, sachbearbeitung
):
    termin = termin_anlegen(kapazitaet=1)
    a, b = personen(2)
    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    url = f"/schulung/kurse/termin/{termin.uuid}/bearbeiten/"
    assert client_als(sachbearbeitung).get(url).status_code == 403
    client = client_als(trainer)
    formular = client.get(url).content.decode()
    beginn = timezone.localtime(termin.beginn)
    assert f'value="{beginn:%Y-%m-%d}"' in formular and f'value="{beginn:%H:%M}"' in formular
    daten = {
        "datum": f"{beginn:%Y-%m-%d}",
        "beginn": f"{beginn:%H:%M}",
        "ende": f"{timezone.localtime(termin.ende):%H:%M}",
        "ort": "Erbach, Rathaus, Saal 2",
        "online_link": "",
        "kapazitaet": "2",
        "anmeldeschluss": "",
    }
    assert client.post(url, daten).status_code == 302
    termin.refresh_from_db()
    assert (termin.kapazitaet, termin.ort) == (2, "Erbach, Rathaus, Saal 2")
    assert Anmeldung.objects.get(benutzer=b).status == Anmeldestatus.ANGEMELDET
    zu_wenig = client.post(url, {**daten, "kapazitaet": "1"}).content.decode()
    assert "Es sind bereits 2 Personen angemeldet" in zu_wenig
    assert (
        client_als(sachbearbeitung)
        .post(f"/schulung/kurse/termin/{termin.uuid}/absagen/")
        .status_code
        == 403
    )
    seite = (
        client_als(trainer)
        .post(f"/schulung/kurse/termin/{termin.uuid}/absagen/", follow=True)
        .content.decode()
    )
    assert "Der Termin wurde abgesagt" in seite and "abgesagt" in seite
    termin.refresh_from_db()
    assert termin.abgesagt
    meine = client_als(a).get("/schulung/kurse/meine/").content.decode()
    assert "Termin abgesagt" in meine and "Vom Termin abmelden" not in meine


def test_mehrtaegiger_termin_behaelt_sein_ende_beim_bearbeiten(termin, trainer, client_als):
    """A Termin over two days (the API allows it) reopens in the form with its end date; saved
    unchanged it keeps its end, not an end before its beginning on the first day."""
    zwei_tage = termin.beginn + timedelta(days=1, hours=7)
    Schulungstermin.objects.filter(pk=termin.pk).update(ende=zwei_tage)
    url = f"/schulung/kurse/termin/{termin.uuid}/bearbeiten/"
    client = client_als(trainer)
    beginn, ende = timezone.localtime(termin.beginn), timezone.localtime(zwei_tage)
    formular = client.get(url).content.decode()
    assert f'name="ende_datum" value="{ende:%Y-%m-%d}"' in formular
    daten = {
        "datum": f"{beginn:%Y-%m-%d}",
        "beginn": f"{beginn:%H:%M}",
        "ende": f"{ende:%H:%M}",
        "ende_datum": f"{ende:%Y-%m-%d}",
        "ort": termin.ort,
        "online_link": "",
        "kapazitaet": "5",
        "anmeldeschluss": "",
    }
    assert client.post(url, daten).status_code == 302
    termin.refresh_from_db()
    assert termin.ende == zwei_tage
    vorher = client.post(url, {**daten, "ende_datum": f"{beginn - timedelta(days=1):%Y-%m-%d}"})
    assert "Das Ende kann nicht vor dem Datum des Beginns liegen." in vorher.content.decode()
    termin.refresh_from_db()
    assert termin.ende == zwei_tage
    assert client.post(url, {**daten, "ende_datum": ""}).status_code == 302
    termin.refresh_from_db()
    assert timezone.localtime(termin.ende).date() == beginn.date()
