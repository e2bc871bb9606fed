"""The list pages, the Akte page and the API answer with a number of queries that does not grow
with the number of Akten, Vorgänge or Dokumente (the benchmark's premise, bench/akten.py).

The data comes from `bench/daten/akten_erzeugen.py` (5 Akten, then 45 more appended), so the lists
also carry zdA Akten, several Vorgänge, Dokumente with Versionen and explicit shares.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bench.daten import akten_erzeugen
from eakte.akten import selectors

pytestmark = pytest.mark.django_db

# Upper bounds, so that a new per-page query is a conscious decision (raise them here, then).
# Each includes the one query for the person's Bereich (eakte.common.mandantenbereich).
HOECHSTENS = {"liste": 6, "akte": 13, "api_liste": 6, "api_akte": 5}


def erzeugen(akten: int, dokumente: int, empfaenger, freigaben: int, **weiteres) -> None:
    call_command(
        akten_erzeugen.Command(),
        kommune="erbach",
        akten=akten,
        dokumente=dokumente,
        oes=2,
        freigaben_fuer=empfaenger.username,
        freigaben=freigaben,
        force=True,
        stdout=StringIO(),
        **weiteres,
    )


def abfragen(client, url, **kopf) -> tuple[int, bytes]:
    client.get(url, **kopf)  # content types, permissions and the session are cached after this
    with CaptureQueriesContext(connection) as erfasst:
        antwort = client.get(url, **kopf)
    assert antwort.status_code == 200, url
    return len(erfasst), antwort.content


API = {"HTTP_ACCEPT": "application/json"}


def _seiten(client, ansicht_url) -> dict[str, int]:
    zahlen = {}
    for name, url, kopf in [
        ("liste", ansicht_url, {}),
        ("liste sortiert", ansicht_url + "&sortierung=aktenzeichen", {}),
        ("api_liste", "/api/v1/akten/", API),
    ]:
        zahlen[name], _ = abfragen(client, url, **kopf)
    return zahlen


@pytest.fixture
def personen(kleiner_plan, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt):
    """Erbach's Bauamt and Hauptamt get the Akten; Michelstadt's clerk gets shares."""
    return {"sachbearbeitung": sachbearbeitung, "empfaenger": kollege_michelstadt}


def test_listen_brauchen_gleich_viele_abfragen_bei_5_und_50_akten(client, personen):
    sachbearbeitung, empfaenger = personen["sachbearbeitung"], personen["empfaenger"]
    meine = reverse("akten:meine") + "?zda=1"
    freigegeben = reverse("akten:freigegeben") + "?zda=1"

    erzeugen(5, 20, empfaenger, freigaben=2)
    client.force_login(sachbearbeitung)
    klein_sb = _seiten(client, meine)
    client.force_login(empfaenger)
    klein_fr = _seiten(client, freigegeben)
    sichtbar_vorher = selectors.akten_meiner_oe(sachbearbeitung).count()
    geteilt_vorher = selectors.freigegebene_akten(empfaenger).count()

    erzeugen(45, 400, empfaenger, freigaben=20, anhaengen=True)
    client.force_login(sachbearbeitung)
    gross_sb = _seiten(client, meine)
    client.force_login(empfaenger)
    gross_fr = _seiten(client, freigegeben)

    assert sichtbar_vorher < 5 and selectors.akten_meiner_oe(sachbearbeitung).count() >= 20
    assert geteilt_vorher == 2 and selectors.freigegebene_akten(empfaenger).count() >= 10
    assert gross_sb == klein_sb
    assert gross_fr == klein_fr
    for zahlen in (gross_sb, gross_fr):
        assert zahlen["liste"] <= HOECHSTENS["liste"]
        assert zahlen["liste sortiert"] == zahlen["liste"]
        assert zahlen["api_liste"] <= HOECHSTENS["api_liste"]


def test_akte_braucht_gleich_viele_abfragen_mit_wenigen_und_vielen_dokumenten(client, personen):
    sachbearbeitung, empfaenger = personen["sachbearbeitung"], personen["empfaenger"]
    erzeugen(50, 600, empfaenger, freigaben=20)

    def akten_nach_groesse(queryset):
        akten = list(
            queryset.annotate(n=Count("dokumente"), v=Count("vorgaenge", distinct=True)).order_by(
                "n", "id"
            )
        )
        return akten[0], akten[-1]

    for person, sichtbar in (
        (sachbearbeitung, selectors.akten_meiner_oe(sachbearbeitung)),
        (empfaenger, selectors.freigegebene_akten(empfaenger)),
    ):
        kleine, grosse = akten_nach_groesse(sichtbar)
        assert grosse.n >= kleine.n + 10 and grosse.v >= 1
        client.force_login(person)
        zahlen = {}
        for name, akte in (("klein", kleine), ("gross", grosse)):
            seite, inhalt = abfragen(client, reverse("akten:detail", args=[akte.uuid]))
            assert akte.aktenzeichen.encode() in inhalt
            api, _ = abfragen(client, f"/api/v1/akten/{akte.uuid}/", **API)
            zahlen[name] = (seite, api)
        assert zahlen["klein"] == zahlen["gross"], person
        assert zahlen["gross"][0] <= HOECHSTENS["akte"]
        assert zahlen["gross"][1] <= HOECHSTENS["api_akte"]
