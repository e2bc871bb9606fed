"""E-mails of the Postkorb: at once for a new step (through the real Celery worker), the daily
summary once per item, nothing for those who turned it off."""

import pytest
from django.core import mail as django_mail

from eakte.akten import services as akten_services
from eakte.geschaeftsgang import mail, services
from eakte.geschaeftsgang.models import Benachrichtigungsart, Verfuegung
from tests.geschaeftsgang.conftest import schritt
from tests.hilfen import akteur_von, warten_bis


def test_sofort_taeglich_aus(
    akte, vorgang, sachbearbeitung, amtsleitung, buergermeister, stellvertreter, abwesend
):
    services.benachrichtigung_einstellen(
        akteur=akteur_von(buergermeister), art=Benachrichtigungsart.AUS
    )
    services.benachrichtigung_einstellen(
        akteur=akteur_von(amtsleitung), art=Benachrichtigungsart.TAEGLICH
    )
    gang = services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        schritte=[
            schritt(Verfuegung.SCHLUSSZEICHNUNG, person=buergermeister, gruppe=1),
            schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung, gruppe=1),
        ],
    )
    django_mail.outbox.clear()
    for s in gang.schritte.all():
        mail.schritt_melden(schritt_id=s.pk)
    # only the deputy wants it at once (the Bürgermeister turned it off, the Amtsleitung daily)
    assert [m.to for m in django_mail.outbox] == [[stellvertreter.email]]
    assert "zur Schlusszeichnung" in django_mail.outbox[0].subject
    django_mail.outbox.clear()
    assert mail.postkorb_zusammenfassen() == 1
    assert django_mail.outbox[0].to == [amtsleitung.email]
    # one item: the singular in subject and text (it said "1 neue Einträge")
    assert django_mail.outbox[0].subject == "eAkte Postkorb: 1 neuer Eintrag"
    assert "ist 1 Eintrag in Ihren Postkorb gekommen" in django_mail.outbox[0].body
    assert mail.postkorb_zusammenfassen() == 0
    # two new items: the plural
    for betreff in ("Antrag auf Abriss", "Antrag auf Nutzungsänderung"):
        services.geschaeftsgang_starten(
            akteur=akteur_von(sachbearbeitung),
            vorgang=akten_services.vorgang_anlegen(
                akteur=akteur_von(sachbearbeitung), akte=akte, betreff=betreff
            ),
            schritte=[schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung)],
        )
    django_mail.outbox.clear()
    assert mail.postkorb_zusammenfassen() == 1
    assert django_mail.outbox[0].subject == "eAkte Postkorb: 2 neue Einträge"
    assert "sind 2 Einträge in Ihren Postkorb gekommen" in django_mail.outbox[0].body


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_der_worker_meldet_einen_neuen_schritt(
    celery_worker_prozess, vorgang, sachbearbeitung, amtsleitung
):
    postfach = celery_worker_prozess.postfach
    vorher = set(postfach.iterdir())
    services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        schritte=[schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung)],
    )

    def neue_mails():
        # The file backend creates the file before it writes the message: wait for the content.
        neu = sorted(set(postfach.iterdir()) - vorher)
        inhalt = b"".join(datei.read_bytes() for datei in neu).decode("utf-8", errors="replace")
        return inhalt if amtsleitung.email in inhalt else ""

    inhalt = warten_bis(
        neue_mails, was=lambda: celery_worker_prozess.log.read_text(errors="replace")[-3000:]
    )
    assert "zur Mitzeichnung" in inhalt


def test_geaenderte_einstellung_steht_im_protokoll(amtsleitung):
    from eakte.protokoll.models import Aktion, Protokolleintrag

    def eintraege():
        return Protokolleintrag.objects.filter(
            kommune=amtsleitung.kommune, aktion=Aktion.EINSTELLUNG_GEAENDERT, benutzer=amtsleitung
        )

    services.benachrichtigung_einstellen(
        akteur=akteur_von(amtsleitung), art=Benachrichtigungsart.TAEGLICH
    )
    services.benachrichtigung_einstellen(
        akteur=akteur_von(amtsleitung), art=Benachrichtigungsart.TAEGLICH
    )
    (eintrag,) = eintraege()
    assert "täglich" in eintrag.beschreibung.lower()
