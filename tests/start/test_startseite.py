import pytest


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
        "Systemstatus",
    ]
    assert nav(datenschutz) == [
        "Start",
        "Akten",
        "Aktenplan",
        "Dienstanweisungen",
        "Meine Kommune",
        "Protokoll",
    ]


def test_startseite_mit_wenigen_abfragen(
    client_als, sachbearbeitung, django_assert_max_num_queries
):
    client = client_als(sachbearbeitung)
    with django_assert_max_num_queries(5):
        assert client.get("/").status_code == 200
