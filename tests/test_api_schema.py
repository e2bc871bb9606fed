# ruff: noqa: F401, F811
"""The responses of the API agree with the OpenAPI schema it publishes (/api/schema/): lists where
the schema says list, objects where it says object, null and empty values where they occur."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eakte.kommunen.rollen import Rolle
from schulung import services as schulung_services
from tests.conftest import _person
from tests.hilfen import akteur_von
from tests.schema_pruefung import antwort_pruefen

# The fixtures of the Schulung tests, used here by name (hence F401/F811 for this file).
from tests.schulung.conftest import schulung, termin, termin_anlegen, trainer


@pytest.fixture
def dienstanweisung(trainer, erbach):
    dokument = schulung_services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        text="## Geltung\n\nAlle Vorgänge werden elektronisch geführt.",
        erfordert_kenntnisnahme=True,
        alle_kommunen=False,
        kommunen=[erbach],
    )
    schulung_services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    return dokument


def _pruefen(client, url, pfad, erwartet=200):
    antwort = client.get(url)
    assert antwort.status_code == erwartet, antwort.content[:300]
    antwort_pruefen(antwort, pfad)
    return antwort.json()


def test_aktenplan_baum_ist_eine_liste(api_als, sachbearbeitung, kleiner_plan, aktenplan):
    daten = _pruefen(
        api_als(sachbearbeitung),
        f"/api/v1/aktenplaene/{aktenplan.uuid}/baum/",
        "/api/v1/aktenplaene/{uuid}/baum/",
    )
    assert isinstance(daten, list) and daten


def test_zu_bestaetigen_und_suche_der_dienstanweisungen(api_als, sachbearbeitung, dienstanweisung):
    client = api_als(sachbearbeitung)
    offen = _pruefen(
        client,
        "/api/v1/schulungsdokumente/zu-bestaetigen/",
        "/api/v1/schulungsdokumente/zu-bestaetigen/",
    )
    assert [d["uuid"] for d in offen] == [str(dienstanweisung.uuid)]
    treffer = _pruefen(
        client,
        "/api/v1/schulungsdokumente/suche/?q=elektronisch",
        "/api/v1/schulungsdokumente/suche/",
    )
    assert isinstance(treffer, list) and treffer


def test_suche_antwortet_ein_objekt(api_als, sachbearbeitung, dokument):
    daten = _pruefen(api_als(sachbearbeitung), "/api/v1/suche/?q=Bauantrag", "/api/v1/suche/")
    assert isinstance(daten, dict) and daten["anzahl"] >= 1


def test_termin_ohne_online_link(api_als, sachbearbeitung, termin):
    client = api_als(sachbearbeitung)
    liste = _pruefen(client, "/api/v1/schulungstermine/", "/api/v1/schulungstermine/")
    assert liste["results"][0]["online_link"] == ""
    _pruefen(
        client,
        f"/api/v1/schulungstermine/{termin.uuid}/",
        "/api/v1/schulungstermine/{uuid}/",
    )


def test_oe_ohne_uebergeordnete(api_als, kommunen_admin, bauamt):
    client = api_als(kommunen_admin)
    liste = _pruefen(client, "/api/v1/organisationseinheiten/", "/api/v1/organisationseinheiten/")
    assert any(oe["parent"] is None for oe in liste["results"])
    _pruefen(
        client,
        f"/api/v1/organisationseinheiten/{bauamt.uuid}/",
        "/api/v1/organisationseinheiten/{uuid}/",
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/akten/",
        "/api/v1/vorgaenge/",
        "/api/v1/dokumente/",
        "/api/v1/wiedervorlagen/",
        "/api/v1/kommunen/",
        "/api/v1/benutzer/",
        "/api/v1/aktenplaene/",
        "/api/v1/schulungsdokumente/",
        "/api/v1/schulungen/",
        "/api/v1/verarbeitungen/",
        "/api/v1/posteingang/",
    ],
)
def test_listen_passen_zum_schema(api_als, sachbearbeitung, dokument, kleiner_plan, url):
    _pruefen(api_als(sachbearbeitung), url, url)


def test_protokoll_passt_zum_schema(api_als, datenschutz, erbach, hauptamt, dokument):
    _pruefen(api_als(datenschutz), "/api/v1/protokoll/", "/api/v1/protokoll/")


def test_eine_person_mit_allen_rollen_sieht_schemagerechte_benutzer(api_als, erbach, hauptamt):
    admin = _person(erbach, "admin.erbach", [Rolle.KOMMUNEN_ADMIN], [hauptamt])
    _pruefen(api_als(admin), "/api/v1/benutzer/", "/api/v1/benutzer/")


def test_teilnehmer_anwesenheit_und_anhaenge_sind_listen(
    api_als,
    trainer,
    sachbearbeitung,
    termin,
    dienstanweisung,
):
    from schulung import services as dienste
    from tests.schulung.conftest import begonnen

    dienste.termin_anmelden(akteur=akteur_von(sachbearbeitung), termin=termin)
    client = api_als(trainer)
    teilnehmer = _pruefen(
        client,
        f"/api/v1/schulungstermine/{termin.uuid}/teilnehmer/",
        "/api/v1/schulungstermine/{uuid}/teilnehmer/",
    )
    assert [t["benutzername"] for t in teilnehmer] == ["sb.erbach"]
    begonnen(termin)
    antwort = client.post(
        f"/api/v1/schulungstermine/{termin.uuid}/anwesenheit/",
        {"anwesend": [teilnehmer[0]["uuid"]]},
        format="json",
    )
    assert antwort.status_code == 200
    antwort_pruefen(antwort, "/api/v1/schulungstermine/{uuid}/anwesenheit/", "post")
    _pruefen(
        client,
        f"/api/v1/schulungsdokumente/{dienstanweisung.uuid}/anhaenge/",
        "/api/v1/schulungsdokumente/{uuid}/anhaenge/",
    )


def test_patch_antwortet_vollstaendig(api_als, digitallotse, kleiner_plan):
    """A partial update answers the whole unit: read-only fields with a default were left out
    (DRF skips defaults in partial serializers), also the empty "uebergeordnet"."""
    einheit = kleiner_plan["0"]
    antwort = api_als(digitallotse).patch(
        f"/api/v1/aktenplaneinheiten/{einheit.uuid}/", {"titel": "Verwaltung"}, format="json"
    )
    assert antwort.status_code == 200
    antwort_pruefen(antwort, "/api/v1/aktenplaneinheiten/{uuid}/", "patch")
    assert antwort.json()["uebergeordnet"] is None and antwort.json()["nachfolger"] is None


def test_wiedervorlage_ohne_vorgang(api_als, sachbearbeitung, akte):
    from eakte.akten import services as akten_services

    akten_services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        datum=timezone.localdate(akte.angelegt_am),
        notiz="x",
    )
    daten = _pruefen(api_als(sachbearbeitung), "/api/v1/wiedervorlagen/", "/api/v1/wiedervorlagen/")
    assert daten["results"][0]["vorgang"] is None
