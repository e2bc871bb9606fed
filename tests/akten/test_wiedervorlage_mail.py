"""The daily e-mail about due Wiedervorlagen, sent by a real Celery worker."""

import email
import email.policy
import re
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from eakte.akten import services
from eakte.akten.models import Wiedervorlage
from eakte.akten.services import wiedervorlage_mail
from eakte.akten.tasks import wiedervorlagen_melden
from tests.hilfen import akteur_von, warten_bis


def _warte_auf_erledigung(worker, ergebnis, frist: float = 60) -> str:
    """Wait until the worker logs the task as done; returns the logged return value."""
    muster = re.compile(rf"\[{ergebnis.id}\] succeeded in [\d.]+s: (\S+)")
    treffer = warten_bis(
        lambda: muster.search(worker.log.read_text(errors="replace")),
        sekunden=frist,
        was=lambda: worker.log.read_text(errors="replace")[-3000:],
    )
    return treffer.group(1)


def _neue_mails(worker, vorher: set[Path]) -> dict[str, EmailMessage]:
    """New e-mails by recipient. The file backend appends each message and a separator line to
    a file named after the second and the connection, so one file may hold several messages."""
    mails = {}
    for datei in sorted(set(worker.postfach.iterdir()) - vorher):
        for inhalt in datei.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
            if inhalt.strip():
                mail = email.message_from_bytes(inhalt, policy=email.policy.default)
                mails[mail["To"]] = mail
    return mails


@pytest.mark.worker
def test_faellige_wiedervorlagen_kommen_einmal_per_mail(
    transactional_db,
    celery_worker_prozess,
    akte,
    vorgang,
    sachbearbeitung,
    kollegin_andere_oe,
    akte_anlegen,
    hauptamt,
    fremde_sachbearbeitung,
):
    heute = timezone.localdate()
    heute_faellig = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        vorgang=vorgang,
        datum=heute,
        notiz="Stellungnahme des Bauamts anfordern",
    )
    # set last week, due since yesterday (the service only accepts dates from today on)
    ueberfaellig = Wiedervorlage.objects.create(
        kommune=akte.kommune,
        benutzer=sachbearbeitung,
        akte=akte,
        datum=heute - timedelta(days=1),
        notiz="Frist für Nachreichung prüfen",
    )
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        datum=heute + timedelta(days=1),
        notiz="morgen",
    )
    erledigt = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute, notiz="schon erledigt"
    )
    services.wiedervorlage_erledigen(akteur=akteur_von(sachbearbeitung), wiedervorlage=erledigt)
    andere_akte = akte_anlegen(kollegin_andere_oe, hauptamt, betreff="Haushaltssatzung 2027")
    services.wiedervorlage_setzen(
        akteur=akteur_von(kollegin_andere_oe), akte=andere_akte, datum=heute
    )
    ausgeschieden = Wiedervorlage.objects.create(
        kommune=akte.kommune, benutzer=fremde_sachbearbeitung, akte=akte, datum=heute
    )
    fremde_sachbearbeitung.is_active = False
    fremde_sachbearbeitung.save()

    worker = celery_worker_prozess
    vorher = set(worker.postfach.iterdir())
    assert _warte_auf_erledigung(worker, wiedervorlagen_melden.delay()) == "2"

    mails = _neue_mails(worker, vorher)
    assert set(mails) == {sachbearbeitung.email, kollegin_andere_oe.email}
    assert mails[sachbearbeitung.email]["Subject"] == "eAkte: 2 fällige Wiedervorlagen"
    assert mails[kollegin_andere_oe.email]["Subject"] == "eAkte: 1 fällige Wiedervorlage"
    mail = mails[sachbearbeitung.email].get_content()
    basis = settings.SITE_URL.rstrip("/")
    for erwartet in (
        f"Guten Tag {sachbearbeitung.get_full_name()},",
        f"{akte.aktenzeichen} – {akte.betreff}",
        f"Vorgang: {vorgang.vorgangszeichen} – {vorgang.betreff}",
        "Notiz: Stellungnahme des Bauamts anfordern",
        "Notiz: Frist für Nachreichung prüfen",
        f"Wiedervorlage am: {heute - timedelta(days=1):%d.%m.%Y}",
        f"{basis}/akten/vorgaenge/{vorgang.uuid}/",
        f"{basis}/akten/{akte.uuid}/",
    ):
        assert erwartet in mail, erwartet
    assert "morgen" not in mail and "schon erledigt" not in mail
    assert mail.index("Frist für Nachreichung") < mail.index("Stellungnahme des Bauamts")
    assert "Haushaltssatzung 2027" in mails[kollegin_andere_oe.email].get_content()
    assert "Haushaltssatzung 2027" not in mail

    gemeldet = set(Wiedervorlage.objects.filter(gemeldet_am=heute).values_list("pk", flat=True))
    assert {heute_faellig.pk, ueberfaellig.pk} <= gemeldet
    assert ausgeschieden.pk not in gemeldet and erledigt.pk not in gemeldet

    # a second run the same day has nothing left to report
    groessen = {datei: datei.stat().st_size for datei in worker.postfach.iterdir()}
    assert _warte_auf_erledigung(worker, wiedervorlagen_melden.delay()) == "0"
    assert {datei: datei.stat().st_size for datei in worker.postfach.iterdir()} == groessen


def test_ohne_zugriff_auf_die_akte_keine_meldung(
    akte, sachbearbeitung, kollege_michelstadt, mailoutbox
):
    heute = timezone.localdate()
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    services.wiedervorlage_setzen(akteur=akteur_von(kollege_michelstadt), akte=akte, datum=heute)
    services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    assert wiedervorlage_mail.wiedervorlagen_melden(stichtag=heute) == 0
    assert mailoutbox == []
    assert not Wiedervorlage.objects.filter(gemeldet_am__isnull=False).exists()


def test_eine_fehlgeschlagene_mail_haelt_die_anderen_nicht_auf(
    akte, sachbearbeitung, kollegin_andere_oe, akte_anlegen, hauptamt, mailoutbox, monkeypatch
):
    heute = timezone.localdate()
    eigene = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute
    )
    andere_akte = akte_anlegen(kollegin_andere_oe, hauptamt)
    services.wiedervorlage_setzen(
        akteur=akteur_von(kollegin_andere_oe), akte=andere_akte, datum=heute
    )
    echt = wiedervorlage_mail.send_mail

    def send_mail(**kwargs):
        if kwargs["recipient_list"] == [sachbearbeitung.email]:
            raise ConnectionRefusedError("Mailserver nicht erreichbar")
        return echt(**kwargs)

    monkeypatch.setattr(wiedervorlage_mail, "send_mail", send_mail)
    assert wiedervorlage_mail.wiedervorlagen_melden(stichtag=heute) == 1
    assert [m.to for m in mailoutbox] == [[kollegin_andere_oe.email]]
    eigene.refresh_from_db()
    assert eigene.gemeldet_am is None  # tried again on the next run
    monkeypatch.setattr(wiedervorlage_mail, "send_mail", echt)
    assert wiedervorlage_mail.wiedervorlagen_melden(stichtag=heute) == 1
    assert mailoutbox[-1].to == [sachbearbeitung.email]
