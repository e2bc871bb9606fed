"""Confirmation, waiting-list, moved-up and reminder e-mails sent by the real Celery worker."""

import re
from email import policy
from email.parser import BytesParser

import pytest
from icalendar import Calendar

from schulung import services, tasks
from tests.hilfen import akteur_von, warten_bis

TRENNER = b"\n" + b"-" * 79 + b"\n"


def _mails(postfach) -> list:
    """All messages the worker's file backend wrote so far (a file may hold several)."""
    nachrichten = []
    for datei in postfach.iterdir():
        for teil in datei.read_bytes().split(TRENNER):
            if teil.strip():
                nachrichten.append(
                    BytesParser(policy=policy.default).parsebytes(teil.lstrip(b"\n"))
                )
    return nachrichten


def _betreff(nachricht) -> str:
    return " ".join(str(nachricht["Subject"]).split())


def _warte_auf_mail(worker, an: str, betreff: str, timeout: float = 30):
    # the file backend creates the file before it writes the message; parse what is there
    def gefunden():
        for nachricht in _mails(worker.postfach):
            if nachricht["To"] == an and _betreff(nachricht) == betreff:
                return nachricht
        return None

    def gesehen():
        mails = [(str(m["To"]), _betreff(m)) for m in _mails(worker.postfach)]
        return f"{mails}\n{worker.log.read_text()[-3000:]}"

    return warten_bis(gefunden, sekunden=timeout, was=gesehen)


def _warte_auf_erledigte(worker, task: str, anzahl: int) -> None:
    """Until the worker has finished `anzahl` runs of `task` (its log says so)."""
    muster = re.compile(rf"Task {re.escape(task)}\[[^\]]+\] succeeded")
    warten_bis(
        lambda: len(muster.findall(worker.log.read_text(errors="replace"))) >= anzahl,
        sekunden=30,
        was=lambda: worker.log.read_text(errors="replace")[-3000:],
    )


@pytest.mark.worker
def test_mails_kommen_vom_worker(transactional_db, celery_worker_prozess, termin_anlegen, personen):
    termin = termin_anlegen(kapazitaet=1, in_tagen=1)
    a, b = personen(2, praefix="mailtest")
    titel = "Einführung in die E-Akte"

    services.termin_anmelden(akteur=akteur_von(a), termin=termin)
    bestaetigt = _warte_auf_mail(
        celery_worker_prozess, a.email, f"eAkte Schulung: Anmeldung bestätigt – {titel}"
    )
    assert f"Schulung: {titel}" in bestaetigt.get_body(("plain",)).get_content()
    anhang = next(bestaetigt.iter_attachments())
    assert anhang.get_content_type() == "text/calendar"
    assert (
        Calendar.from_ical(anhang.get_content()).walk("VEVENT")[0]["UID"] == f"{termin.uuid}@eakte"
    )

    services.termin_anmelden(akteur=akteur_von(b), termin=termin)
    warte = _warte_auf_mail(celery_worker_prozess, b.email, f"eAkte Schulung: Warteliste – {titel}")
    assert "auf Platz 1" in warte.get_body(("plain",)).get_content()

    services.termin_abmelden(akteur=akteur_von(a), termin=termin)
    nachgerueckt = _warte_auf_mail(
        celery_worker_prozess, b.email, f"eAkte Schulung: Sie sind nachgerückt – {titel}"
    )
    assert (
        "jetzt für die folgende Schulung angemeldet"
        in nachgerueckt.get_body(("plain",)).get_content()
    )

    # the beat task: B's Termin begins tomorrow; run it twice, one reminder arrives
    tasks.termine_erinnern.delay()
    tasks.termine_erinnern.delay()
    erinnerung = _warte_auf_mail(
        celery_worker_prozess, b.email, f"eAkte Schulung: Erinnerung – {titel}"
    )
    assert "Wir erinnern Sie an Ihre Schulung." in erinnerung.get_body(("plain",)).get_content()
    # both runs have finished (mails are sent inside the task): a second reminder would be here
    _warte_auf_erledigte(celery_worker_prozess, "schulung.termine_erinnern", 2)
    erinnerungen = [
        m
        for m in _mails(celery_worker_prozess.postfach)
        if m["To"] == b.email and _betreff(m).startswith("eAkte Schulung: Erinnerung")
    ]
    assert len(erinnerungen) == 1
    assert not [
        m
        for m in _mails(celery_worker_prozess.postfach)
        if m["To"] == a.email and "Erinnerung" in _betreff(m)
    ]


@pytest.mark.worker
def test_erinnerung_an_die_kenntnisnahme_kommt_vom_worker(
    transactional_db, celery_worker_prozess, trainer, personen
):
    from schulung import selectors
    from schulung import services as schulung_services

    (offen,) = personen(1, praefix="kenntnis")
    dokument = schulung_services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="DA Scannen",
        text="Scannen nach TR-RESISCAN.",
        erfordert_kenntnisnahme=True,
    )
    schulung_services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    fassung = selectors.gueltige_fassung(dokument)
    assert services.kenntnisnahme_erinnern(akteur=akteur_von(trainer), fassung=fassung) >= 1
    nachricht = _warte_auf_mail(
        celery_worker_prozess, offen.email, "eAkte: Bitte bestätigen – DA Scannen"
    )
    assert f"/schulung/{dokument.uuid}/" in nachricht.get_content()
