import pytest

from tests.hilfen import akteur_von


def test_startseite_der_sachbearbeitung(client_als, sachbearbeitung):
    inhalt = client_als(sachbearbeitung).get("/").content.decode()
    assert "Meine Akten" in inhalt and "Wiedervorlagen" in inhalt and "Zu bestätigen" in inhalt
    assert "Verwaltung" not in inhalt and "Protokoll" not in inhalt


@pytest.mark.parametrize(
    ("person", "erwartet", "nicht_erwartet"),
    [
        ("kommunen_admin", "Benutzer der Kommune Erbach", "Kommunen des Verbunds"),
        ("verbund_admin", "Kommunen des Verbunds", "Protokoll"),
        ("datenschutz", "Protokoll", "Verwaltung"),
    ],
)
def test_startseite_zeigt_die_bereiche_der_rolle(
    request, client_als, person, erwartet, nicht_erwartet
):
    benutzer = request.getfixturevalue(person)
    inhalt = client_als(benutzer).get("/").content.decode()
    assert erwartet in inhalt
    assert nicht_erwartet not in inhalt


def test_navigation_nach_rolle(client_als, sachbearbeitung, verbund_admin, datenschutz):
    def nav(person):
        return [e.titel for e in client_als(person).get("/").context["nav_eintraege"]]

    assert nav(sachbearbeitung) == [
        "Start",
        "Akten",
        "Aktenplan",
        "Dienstanweisungen",
        "Meine Kommune",
    ]
    assert nav(verbund_admin) == [
        "Start",
        "Akten",
        "Aktenplan",
        "Dienstanweisungen",
        "Kommunen",
        "Cockpit",
        "Systemstatus",
    ]
    assert nav(datenschutz) == [
        "Start",
        "Akten",
        "Aktenplan",
        "Dienstanweisungen",
        "Meine Kommune",
        "Aussonderung",  # approves Löschläufe (LOESCHUNG_GENEHMIGEN_ROLLEN)
        "Datenschutz",  # DSGVO requests
        "Akteneinsichten",
        "Protokoll",
    ]


def test_startseite_mit_wenigen_abfragen(
    client_als, sachbearbeitung, akte, django_assert_max_num_queries
):
    from django.utils import timezone

    from eakte.akten import services as akten_services

    for notiz in ("Frist prüfen", "Rückruf", "Stellungnahme anfordern"):
        akten_services.wiedervorlage_setzen(
            akteur=akteur_von(sachbearbeitung), akte=akte, datum=timezone.localdate(), notiz=notiz
        )
    client = client_als(sachbearbeitung)
    # session, user, roles, Bereich, Kenntnisnahmen, Wiedervorlagen (due, next 14 days), new
    # shares, Schulungen, the Postkorb (its first rows and its count): no query per row
    with django_assert_max_num_queries(11):
        inhalt = client.get("/").content.decode()
    assert "Rückruf" in inhalt and "Stellungnahme anfordern" in inhalt


def test_startseite_zeigt_kommende_schulungen(client_als, erbach):
    from datetime import timedelta

    from django.utils import timezone

    from eakte.kommunen.rollen import Rolle
    from schulung import services as schulung_services
    from tests.conftest import _person

    trainer = _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])
    teilnehmerin = _person(erbach, "tn.erbach", [Rolle.SACHBEARBEITUNG])
    kurs = schulung_services.schulung_anlegen(
        akteur=akteur_von(trainer), titel="Scannen nach TR-RESISCAN"
    )
    beginn = timezone.now() + timedelta(days=3)
    termin = schulung_services.termin_anlegen(
        akteur=akteur_von(trainer),
        schulung=kurs,
        beginn=beginn,
        ende=beginn + timedelta(hours=2),
        kapazitaet=10,
        ort="Erbach, Rathaus",
    )
    schulung_services.termin_anmelden(akteur=akteur_von(teilnehmerin), termin=termin)
    inhalt = client_als(teilnehmerin).get("/").content.decode()
    assert "Scannen nach TR-RESISCAN" in inhalt and "angemeldet" in inhalt


def test_startseite_zeigt_wiedervorlagen_der_naechsten_14_tage(client_als, sachbearbeitung, akte):
    from datetime import timedelta

    from django.utils import timezone

    from eakte.akten import services
    from tests.hilfen import akteur_von

    heute = timezone.localdate()
    for tage, notiz in ((3, "bald"), (14, "am Rand"), (15, "zu spät")):
        services.wiedervorlage_setzen(
            akteur=akteur_von(sachbearbeitung),
            akte=akte,
            datum=heute + timedelta(days=tage),
            notiz=notiz,
        )
    seite = client_als(sachbearbeitung).get("/").content.decode()
    assert "In den nächsten 14 Tagen" in seite
    assert "– bald" in seite and "– am Rand" in seite and "zu spät" not in seite
