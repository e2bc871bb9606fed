"""The records API: who sees and changes what, uploads, downloads, filters and query counts."""

import hashlib
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.http import content_disposition_header

from eakte.akten import services
from eakte.akten.models import Akte, Dokument, Version
from eakte.konten import services as konten_services
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def heute():
    """Read when the test runs, not at import: a run may cross midnight."""
    return timezone.localdate()


def _pdf(name="Bauantrag.pdf", text=""):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, pdf_bytes(text or name), content_type="application/pdf")


def _uuids(antwort):
    return [eintrag["uuid"] for eintrag in antwort.json()["results"]]


@pytest.fixture
def welt(akte, vorgang, dokument, sachbearbeitung, fremder_kommunen_admin):
    """The owner's Akte with two Vorgänge, a Dokument, a Wiedervorlage and one standing share."""
    zweiter = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Nachtrag"
    )
    wiedervorlage = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=heute(), notiz="Frist prüfen"
    )
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremder_kommunen_admin
    )
    return {
        "akte": akte,
        "vorgang": vorgang,
        "vorgang2": zweiter,
        "dokument": dokument,
        "version": dokument.versionen.get(),
        "wiedervorlage": wiedervorlage,
    }


@pytest.fixture
def person(request, sachbearbeitung, kollegin_andere_oe, kollege_michelstadt, akte):
    """The caller in one of the roles every endpoint is tested with."""

    def holen(rolle):
        if rolle == "eigene":
            return sachbearbeitung
        if rolle == "andere_oe":
            return kollegin_andere_oe
        if rolle == "fremd":
            return kollege_michelstadt
        services.akte_freigeben(
            akteur=akteur_von(sachbearbeitung),
            akte=akte,
            empfaenger=kollege_michelstadt,
            schreiben=rolle == "schreiber",
        )
        if rolle == "entzogen":
            services.freigabe_entziehen(
                akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
            )
        return kollege_michelstadt

    return holen


ROLLEN = ["eigene", "andere_oe", "fremd", "leser", "entzogen"]

LESEN = [
    "/api/v1/akten/{akte.uuid}/",
    "/api/v1/akten/{akte.uuid}/vorgaenge/",
    "/api/v1/akten/{akte.uuid}/freigaben/",
    "/api/v1/vorgaenge/{vorgang.uuid}/",
    "/api/v1/vorgaenge/{vorgang.uuid}/dokumente/",
    "/api/v1/dokumente/{dokument.uuid}/",
    "/api/v1/versionen/{version.uuid}/",
    "/api/v1/versionen/{version.uuid}/datei/",
]


@pytest.mark.parametrize("pfad", LESEN)
@pytest.mark.parametrize(
    "rolle, erwartet",
    [("eigene", 200), ("andere_oe", 404), ("fremd", 404), ("leser", 200), ("entzogen", 404)],
)
def test_lesende_endpunkte(api_als, welt, person, pfad, rolle, erwartet):
    if rolle == "leser" and pfad.endswith("/freigaben/"):
        erwartet = 403  # akten.freigaben_sehen: share holders do not list each other
    antwort = api_als(person(rolle)).get(pfad.format(**welt))
    assert antwort.status_code == erwartet
    if erwartet == 404:
        assert welt["akte"].betreff not in antwort.content.decode()


def _schreibende(welt, kollegin_andere_oe):
    """(method, path, data, format) of every write on an existing object."""
    return {
        "akte_aendern": ("patch", "/api/v1/akten/{akte.uuid}/", {"betreff": "Neu"}, "json"),
        "akte_zda": ("post", "/api/v1/akten/{akte.uuid}/zda/", {}, "json"),
        "freigeben": (
            "post",
            "/api/v1/akten/{akte.uuid}/freigaben/",
            {"benutzer": kollegin_andere_oe.username},
            "json",
        ),
        "freigabe_entziehen": (
            "delete",
            "/api/v1/akten/{akte.uuid}/freigaben/admin.michelstadt/",
            None,
            "json",
        ),
        "vorgang_zda": ("post", "/api/v1/vorgaenge/{vorgang.uuid}/zda/", {}, "json"),
        "dokument_aendern": (
            "patch",
            "/api/v1/dokumente/{dokument.uuid}/",
            {"titel": "Bauantrag (korrigiert)"},
            "json",
        ),
        "version_hochladen": (
            "post",
            "/api/v1/dokumente/{dokument.uuid}/versionen/",
            {"datei": _pdf("Bauantrag-v2.pdf"), "kommentar": "unterschrieben"},
            "multipart",
        ),
        "verschieben": (
            "post",
            "/api/v1/dokumente/{dokument.uuid}/verschieben/",
            {"vorgang": str(welt["vorgang2"].uuid)},
            "json",
        ),
    }


SCHREIBEN = [
    "akte_aendern",
    "akte_zda",
    "freigeben",
    "freigabe_entziehen",
    "vorgang_zda",
    "dokument_aendern",
    "version_hochladen",
    "verschieben",
]


@pytest.mark.parametrize("name", SCHREIBEN)
@pytest.mark.parametrize(
    "rolle, erwartet",
    [
        ("eigene", {200, 201, 204}),
        ("andere_oe", {404}),
        ("fremd", {404}),
        ("leser", {403}),
        ("entzogen", {404}),
    ],
)
def test_schreibende_endpunkte(api_als, welt, person, kollegin_andere_oe, name, rolle, erwartet):
    methode, pfad, daten, art = _schreibende(welt, kollegin_andere_oe)[name]
    client = api_als(person(rolle))
    anzahl_vorher = Protokolleintrag.objects.count()
    antwort = getattr(client, methode)(pfad.format(**welt), daten, format=art)
    assert antwort.status_code in erwartet, antwort.content
    if erwartet == {403}:
        assert (
            "nur lesen" in antwort.json()["detail"] or "federführende" in antwort.json()["detail"]
        )
    # A refused write leaves no trace in the Protokoll; an allowed one is recorded.
    assert (Protokolleintrag.objects.count() > anzahl_vorher) == (rolle == "eigene")


@pytest.mark.parametrize(
    "rolle, erwartet", [("eigene", 201), ("schreiber", 201), ("leser", 403), ("entzogen", 400)]
)
def test_anlegen_unter_fremden_objekten(api_als, welt, person, rolle, erwartet):
    """POST with a reference in the body: invisible → 400 (says nothing), read-only → 403."""
    client = api_als(person(rolle))
    vorgang = client.post(
        "/api/v1/vorgaenge/",
        {"akte": str(welt["akte"].uuid), "betreff": "Widerspruch"},
        format="json",
    )
    upload = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(welt["vorgang"].uuid), "datei": _pdf("Brief.pdf")},
        format="multipart",
    )
    assert (vorgang.status_code, upload.status_code) == (erwartet, erwartet)
    if erwartet == 400:
        assert vorgang.json() == {"akte": ["Diese Akte wurde nicht gefunden."]}
        assert upload.json() == {"vorgang": ["Dieser Vorgang wurde nicht gefunden."]}


@pytest.mark.parametrize("rolle", ["andere_oe", "fremd", "entzogen"])
def test_unsichtbare_referenz_antwortet_wie_eine_unbekannte(api_als, welt, person, rolle):
    import uuid

    client = api_als(person(rolle))
    fremd = client.post(
        "/api/v1/wiedervorlagen/", {"akte": str(welt["akte"].uuid), "datum": heute()}, format="json"
    )
    unbekannt = client.post(
        "/api/v1/wiedervorlagen/", {"akte": str(uuid.uuid4()), "datum": heute()}, format="json"
    )
    assert fremd.status_code == unbekannt.status_code == 400
    assert fremd.json() == unbekannt.json()


@pytest.mark.parametrize(
    "pfad",
    [
        "/api/v1/akten/",
        "/api/v1/vorgaenge/",
        "/api/v1/dokumente/",
    ],
)
@pytest.mark.parametrize(
    "rolle, sichtbar",
    [
        ("eigene", True),
        ("andere_oe", False),
        ("fremd", False),
        ("leser", True),
        ("entzogen", False),
    ],
)
def test_listen(api_als, welt, person, pfad, rolle, sichtbar):
    antwort = api_als(person(rolle)).get(pfad)
    assert antwort.status_code == 200
    erwartet = {
        "/api/v1/akten/": {str(welt["akte"].uuid)},
        "/api/v1/vorgaenge/": {str(welt["vorgang"].uuid), str(welt["vorgang2"].uuid)},
        "/api/v1/dokumente/": {str(welt["dokument"].uuid)},
    }[pfad]
    assert set(_uuids(antwort)) == (erwartet if sichtbar else set())


def test_token_anmeldung(api_client, welt, sachbearbeitung):
    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(sachbearbeitung))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    antwort = api_client.get("/api/v1/akten/")
    assert antwort.status_code == 200
    assert _uuids(antwort) == [str(welt["akte"].uuid)]
    datei = api_client.get(f"/api/v1/versionen/{welt['version'].uuid}/datei/")
    assert datei.status_code == 200
    api_client.credentials(HTTP_AUTHORIZATION="Token falsch")
    assert api_client.get("/api/v1/akten/").status_code == 401


def test_ohne_anmeldung_nichts(api_client, welt):
    assert api_client.get("/api/v1/akten/").status_code == 401
    assert api_client.get(f"/api/v1/versionen/{welt['version'].uuid}/datei/").status_code == 401


# --- Akten ---------------------------------------------------------------------------------


def test_akte_anlegen(api_als, sachbearbeitung, bauamt, hauptamt, kleiner_plan):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/akten/",
        {
            "aktenplaneinheit": str(kleiner_plan["0.2.02"].uuid),
            "betreff": "Kommunalwahl 2026",
            "federfuehrende_oe": str(bauamt.uuid),
            "aktenfuehrende_oe": str(hauptamt.uuid),
            "vertraulichkeit": "nfd",
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.content
    daten = antwort.json()
    assert daten["aktenzeichen"] == f"ERB-0.2.02-0001/{heute().year}"
    assert daten["einheit"] == {
        "uuid": str(kleiner_plan["0.2.02"].uuid),
        "kennzeichen": "0.2.02",
        "titel": "Wahlen",
        "frist": 5,
        "aussonderungsart": "V",
    }
    assert daten["federfuehrende_oe"] == {"uuid": str(bauamt.uuid), "name": "Bauamt"}
    assert daten["aktenfuehrende_oe"] == {"uuid": str(hauptamt.uuid), "name": "Hauptamt"}
    assert daten["vertraulichkeit"] == "nfd"
    assert daten["beginn"] == heute().isoformat() and daten["zda_am"] is None
    assert daten["darf_schreiben"] is True and daten["darf_freigeben"] is True
    akte = Akte.objects.get(uuid=daten["uuid"])
    assert akte.angelegt_von == sachbearbeitung
    assert Protokolleintrag.objects.filter(
        akte_uuid=akte.uuid, aktion=Aktion.ANGELEGT, ip_adresse="127.0.0.1"
    ).exists()


def test_akte_anlegen_fremde_oe_und_einheit_wie_unbekannte(
    api_als,
    sachbearbeitung,
    bauamt,
    ordnungsamt_michelstadt,
    kleiner_plan,
    anderer_verbund,
    fremder_digitallotse,
):
    import uuid

    from aktenplan import services as plan_services
    from aktenplan.models import Aktenplan

    fremder_plan = Aktenplan.objects.create(verbund=anderer_verbund, name="Werra", stellen="1,1")
    fremde_einheit = plan_services.einheit_anlegen(
        aktenplan=fremder_plan,
        parent=None,
        kennzeichen="1",
        titel="Fremd",
        aufbewahrungsfrist=10,
        aussonderungsart="B",
        akteur=akteur_von(fremder_digitallotse),
    )
    client = api_als(sachbearbeitung)

    def anlegen(einheit, oe):
        return client.post(
            "/api/v1/akten/",
            {"aktenplaneinheit": str(einheit), "betreff": "X", "federfuehrende_oe": str(oe)},
            format="json",
        )

    gute_einheit = kleiner_plan["0.2.01"].uuid
    fremde_oe = anlegen(gute_einheit, ordnungsamt_michelstadt.uuid)
    keine_oe = anlegen(gute_einheit, uuid.uuid4())
    assert fremde_oe.status_code == keine_oe.status_code == 400
    assert fremde_oe.json() == keine_oe.json()
    assert fremde_oe.json() == {
        "federfuehrende_oe": ["Diese Organisationseinheit gibt es in Ihrer Kommune nicht."]
    }
    fremde = anlegen(fremde_einheit.uuid, bauamt.uuid)
    keine = anlegen(uuid.uuid4(), bauamt.uuid)
    assert fremde.status_code == keine.status_code == 400
    assert fremde.json() == keine.json()
    assert "Aktenplaneinheit" in fremde.json()["aktenplaneinheit"][0]
    ordner = anlegen(kleiner_plan["0.2"].uuid, bauamt.uuid)
    assert ordner.status_code == 400 and "untersten Ebene" in ordner.json()["aktenplaneinheit"][0]
    assert not Akte.objects.exists()


def test_akte_nur_fuer_eigene_oe(api_als, sachbearbeitung, hauptamt, kleiner_plan):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/akten/",
        {
            "aktenplaneinheit": str(kleiner_plan["0.2.01"].uuid),
            "betreff": "X",
            "federfuehrende_oe": str(hauptamt.uuid),
        },
        format="json",
    )
    assert antwort.status_code == 400
    assert "eigene Organisationseinheit" in antwort.json()["federfuehrende_oe"][0]


def test_akte_aendern_und_umhaengen(api_als, akte, sachbearbeitung, kleiner_plan, hauptamt):
    antwort = api_als(sachbearbeitung).patch(
        f"/api/v1/akten/{akte.uuid}/",
        {
            "betreff": "Bauantrag Hauptstraße 1a",
            "vertraulichkeit": "vertraulich",
            "aktenfuehrende_oe": str(hauptamt.uuid),
            "aktenplaneinheit": str(kleiner_plan["0.2.02"].uuid),
        },
        format="json",
    )
    assert antwort.status_code == 200, antwort.content
    daten = antwort.json()
    assert daten["betreff"] == "Bauantrag Hauptstraße 1a"
    assert daten["vertraulichkeit"] == "vertraulich"
    assert daten["aktenfuehrende_oe"]["name"] == "Hauptamt"
    assert daten["einheit"]["kennzeichen"] == "0.2.02"
    assert daten["aktenzeichen"] == akte.aktenzeichen  # never changes
    assert Protokolleintrag.objects.filter(akte_uuid=akte.uuid, aktion=Aktion.VERSCHOBEN).exists()


def test_freigegebene_schreiberin_kann_keine_oe_ihrer_kommune_eintragen(
    api_als, akte, sachbearbeitung, kollege_michelstadt, ordnungsamt_michelstadt
):
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=kollege_michelstadt,
        schreiben=True,
    )
    antwort = api_als(kollege_michelstadt).patch(
        f"/api/v1/akten/{akte.uuid}/",
        {"federfuehrende_oe": str(ordnungsamt_michelstadt.uuid)},
        format="json",
    )
    assert antwort.status_code == 403  # changing the Federführung is for the owning OE only
    akte.refresh_from_db()
    assert akte.federfuehrende_oe.kommune_id == akte.kommune_id


def test_schreibende_freigabe_uebernimmt_die_akte_nicht(
    api_als, akte, sachbearbeitung, kollegin_andere_oe, hauptamt, bauamt
):
    """A colleague of another OE with a write share may edit, but not make the Akte hers."""
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollegin_andere_oe, schreiben=True
    )
    client = api_als(kollegin_andere_oe)
    for feld in ("federfuehrende_oe", "aktenfuehrende_oe"):
        antwort = client.patch(
            f"/api/v1/akten/{akte.uuid}/", {feld: str(hauptamt.uuid)}, format="json"
        )
        assert antwort.status_code == 403 and "federführende" in str(antwort.json())
    assert (
        client.patch(f"/api/v1/akten/{akte.uuid}/", {"betreff": "Neu"}, format="json").status_code
        == 200
    )
    akte.refresh_from_db()
    assert akte.federfuehrende_oe == bauamt and akte.aktenfuehrende_oe == bauamt


def test_zda_sperrt_und_admin_eroeffnet_wieder(
    api_als, welt, sachbearbeitung, kommunen_admin, fremder_kommunen_admin
):
    akte = welt["akte"]
    client = api_als(sachbearbeitung)
    antwort = client.post(f"/api/v1/akten/{akte.uuid}/zda/")
    assert antwort.status_code == 200
    assert antwort.json()["zda_am"] == heute().isoformat()
    assert antwort.json()["aufbewahrung_bis"] is None  # 0.2.01 is unbefristet
    upload = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(welt["vorgang"].uuid), "datei": _pdf("Spät.pdf")},
        format="multipart",
    )
    assert upload.status_code == 400
    assert "zdA" in upload.json()["non_field_errors"][0]
    assert client.post(f"/api/v1/akten/{akte.uuid}/zda/").status_code == 400
    pfad = f"/api/v1/akten/{akte.uuid}/wiedereroeffnen/"
    assert client.post(pfad, {"grund": "Versehen"}, format="json").status_code == 403
    # The Michelstadt admin holds a read share: sees the Akte, but may not reopen it.
    assert (
        api_als(fremder_kommunen_admin).post(pfad, {"grund": "x"}, format="json").status_code == 403
    )
    admin = api_als(kommunen_admin)
    assert admin.post(pfad, {}, format="json").status_code == 400
    antwort = admin.post(pfad, {"grund": "Widerspruch eingegangen"}, format="json")
    assert antwort.status_code == 200 and antwort.json()["zda_am"] is None
    assert Protokolleintrag.objects.filter(
        akte_uuid=akte.uuid, aktion=Aktion.WIEDEREROEFFNET, benutzer=kommunen_admin
    ).exists()


def test_freigabe_anlegen_sehen_und_entziehen(
    api_als, akte, sachbearbeitung, kollege_michelstadt, fremder_verbund_admin
):
    client = api_als(sachbearbeitung)
    pfad = f"/api/v1/akten/{akte.uuid}/freigaben/"
    antwort = client.post(pfad, {"benutzer": kollege_michelstadt.username}, format="json")
    assert antwort.status_code == 201
    assert antwort.json() == [
        {
            "benutzer": "sb.michelstadt",
            "uuid": str(kollege_michelstadt.uuid),
            "name": kollege_michelstadt.get_full_name() or "sb.michelstadt",
            "kommune": "michelstadt",
            "schreiben": False,
        }
    ]
    for name in ("gibt.es.nicht", fremder_verbund_admin.username):
        falsch = client.post(pfad, {"benutzer": name}, format="json")
        assert falsch.status_code == 400
        assert falsch.json() == {"benutzer": ["Diese Person gibt es im Verbund nicht."]}

    gast = api_als(kollege_michelstadt)
    liste = gast.get("/api/v1/akten/", {"freigegeben": "true"}).json()["results"]
    assert [a["uuid"] for a in liste] == [str(akte.uuid)]
    assert liste[0]["darf_schreiben"] is False and liste[0]["darf_freigeben"] is False
    assert gast.post(pfad, {"benutzer": "sb2.erbach"}, format="json").status_code == 403

    hoch = api_als(sachbearbeitung).post(
        pfad, {"benutzer": kollege_michelstadt.username, "schreiben": True}, format="json"
    )
    assert hoch.json()[0]["schreiben"] is True
    gast = api_als(kollege_michelstadt)
    assert gast.get(f"/api/v1/akten/{akte.uuid}/").json()["darf_schreiben"] is True

    client = api_als(sachbearbeitung)
    assert client.delete(f"{pfad}sb.michelstadt/").status_code == 204
    assert client.delete(f"{pfad}sb.michelstadt/").status_code == 404
    assert client.get(pfad).json() == []
    assert api_als(kollege_michelstadt).get(f"/api/v1/akten/{akte.uuid}/").status_code == 404
    assert Protokolleintrag.objects.filter(
        akte_uuid=akte.uuid, aktion=Aktion.FREIGABE_ENTZOGEN
    ).exists()


def test_freigabe_auch_per_uuid(
    api_als, akte, sachbearbeitung, kollege_michelstadt, fremder_verbund_admin
):
    """Issue 16: the person picker hands over a UUID; the login name still works."""
    client = api_als(sachbearbeitung)
    pfad = f"/api/v1/akten/{akte.uuid}/freigaben/"
    fremd = client.post(pfad, {"benutzer": str(fremder_verbund_admin.uuid)}, format="json")
    assert fremd.status_code == 400
    antwort = client.post(pfad, {"benutzer": str(kollege_michelstadt.uuid)}, format="json")
    assert antwort.status_code == 201 and antwort.json()[0]["benutzer"] == "sb.michelstadt"
    assert client.delete(f"{pfad}{kollege_michelstadt.uuid}/").status_code == 204
    assert client.get(pfad).json() == []


def test_akten_filter_und_sortierung(
    api_als, akte_anlegen, sachbearbeitung, kommunen_admin, bauamt, hauptamt, kleiner_plan
):
    erste = akte_anlegen(sachbearbeitung, bauamt, "Zebrastreifen Marktplatz")
    zweite = akte_anlegen(sachbearbeitung, bauamt, "Ampel Bahnhof", einheit=kleiner_plan["0.2.02"])
    dritte = akte_anlegen(kommunen_admin, hauptamt, "Aktenordnung")
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=zweite)
    client = api_als(kommunen_admin)

    def finde(**parameter):
        antwort = client.get("/api/v1/akten/", parameter)
        assert antwort.status_code == 200
        return _uuids(antwort)

    e, z, d = str(erste.uuid), str(zweite.uuid), str(dritte.uuid)
    assert set(finde()) == {e, z, d}
    assert finde(betreff="zebra") == [e]
    assert finde(aktenzeichen="0.2.02") == [z]
    assert set(finde(oe=str(bauamt.uuid))) == {e, z}
    assert finde(einheit=str(kleiner_plan["0.2.02"].uuid)) == [z]
    assert finde(zda="true") == [z]
    assert set(finde(zda="false")) == {e, d}
    assert finde(freigegeben="true") == []
    assert finde(ordering="betreff") == [d, z, e]
    assert finde(ordering="-aktenzeichen")[0] == z
    assert client.get("/api/v1/akten/", {"oe": "kein-uuid"}).status_code == 400


def _frisch(api_als, person):
    """The client for a freshly loaded user (as every real request has one: no cached roles)."""
    return api_als(type(person).objects.get(pk=person.pk))


def _anzahl_abfragen(client, pfad):
    with CaptureQueriesContext(connection) as abfragen:
        antwort = client.get(pfad)
    assert antwort.status_code == 200
    return len(abfragen), antwort.json()["count"]


def test_aktenliste_mit_fester_anzahl_abfragen(
    api_als,
    akte_anlegen,
    sachbearbeitung,
    kollege_michelstadt,
    bauamt,
    django_assert_max_num_queries,
):
    def anlegen(anzahl):
        for nummer in range(anzahl):
            akte = akte_anlegen(sachbearbeitung, bauamt, f"Akte {nummer}")
            services.akte_freigeben(
                akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
            )

    anlegen(5)
    klein = _anzahl_abfragen(_frisch(api_als, sachbearbeitung), "/api/v1/akten/")
    klein_gast = _anzahl_abfragen(_frisch(api_als, kollege_michelstadt), "/api/v1/akten/")
    anlegen(20)
    # roles, Bereich, count, page (rights annotated with EXISTS in the same query)
    client = _frisch(api_als, sachbearbeitung)
    with django_assert_max_num_queries(4):
        gross = _anzahl_abfragen(client, "/api/v1/akten/")
    gross_gast = _anzahl_abfragen(_frisch(api_als, kollege_michelstadt), "/api/v1/akten/")
    assert (klein[1], gross[1], klein_gast[1], gross_gast[1]) == (5, 25, 5, 25)
    assert klein[0] == gross[0] == klein_gast[0] == gross_gast[0] == 4


def test_dokumentliste_mit_fester_anzahl_abfragen(api_als, vorgang, sachbearbeitung):
    """25 Dokumente with two versions each: still one query for all versions of the page."""

    def hochladen(anzahl, start):
        for nummer in range(start, start + anzahl):
            version = services.dokument_hochladen(
                akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=_pdf(f"D{nummer}.pdf")
            )
            services.version_hochladen(
                akteur=akteur_von(sachbearbeitung),
                dokument=version.dokument,
                datei=_pdf(f"D{nummer}b.pdf"),
            )

    liste, im_vorgang = "/api/v1/dokumente/", f"/api/v1/vorgaenge/{vorgang.uuid}/dokumente/"
    hochladen(5, 0)
    klein = _anzahl_abfragen(_frisch(api_als, sachbearbeitung), liste)
    klein_vorgang = _anzahl_abfragen(_frisch(api_als, sachbearbeitung), im_vorgang)
    hochladen(20, 5)
    gross = _anzahl_abfragen(_frisch(api_als, sachbearbeitung), liste)
    gross_vorgang = _anzahl_abfragen(_frisch(api_als, sachbearbeitung), im_vorgang)
    assert (klein[1], gross[1], klein_vorgang[1], gross_vorgang[1]) == (5, 25, 5, 25)
    # roles, Bereich, count, page, versions (+ the Vorgang itself)
    assert klein[0] == gross[0] == 5
    assert klein_vorgang[0] == gross_vorgang[0] == 6


# --- Vorgänge ------------------------------------------------------------------------------


def test_vorgang_anlegen_zda_und_dokumente(api_als, akte, dokument, sachbearbeitung):
    client = api_als(sachbearbeitung)
    antwort = client.post(
        "/api/v1/vorgaenge/", {"akte": str(akte.uuid), "betreff": "Widerspruch"}, format="json"
    )
    assert antwort.status_code == 201
    neu = antwort.json()
    assert neu["vorgangszeichen"] == f"{akte.aktenzeichen}/2" and neu["akte"] == str(akte.uuid)
    assert _uuids(client.get("/api/v1/vorgaenge/", {"akte": str(akte.uuid)})) == [
        str(dokument.vorgang.uuid),
        neu["uuid"],
    ]
    dokumente = client.get(f"/api/v1/vorgaenge/{dokument.vorgang.uuid}/dokumente/").json()
    assert [d["uuid"] for d in dokumente["results"]] == [str(dokument.uuid)]
    zda = client.post(f"/api/v1/vorgaenge/{neu['uuid']}/zda/")
    assert zda.status_code == 200 and zda.json()["zda_am"] == heute().isoformat()
    assert client.get("/api/v1/vorgaenge/", {"zda": "true"}).json()["count"] == 1
    leer = client.post("/api/v1/vorgaenge/", {"akte": str(akte.uuid), "betreff": " "}, "json")
    assert leer.status_code == 400


# --- Dokumente: Upload ---------------------------------------------------------------------


def test_upload_eines_pdf(api_als, vorgang, sachbearbeitung):
    inhalt = pdf_bytes("Bauantrag Müller")
    from django.core.files.uploadedfile import SimpleUploadedFile

    antwort = api_als(sachbearbeitung).post(
        "/api/v1/dokumente/",
        {
            "vorgang": str(vorgang.uuid),
            "datei": SimpleUploadedFile("Bauantrag Müller.pdf", inhalt, "application/pdf"),
            "typ": "eingang",
            "posteingangsdatum": heute().isoformat(),
            "absender": "Familie Müller",
        },
        format="multipart",
    )
    assert antwort.status_code == 201, antwort.content
    daten = antwort.json()
    version = daten["version"]
    assert version["nummer"] == 1
    assert version["dateiname"] == "Bauantrag Müller.pdf"
    assert version["mime_typ"] == "application/pdf"
    assert version["groesse"] == len(inhalt)
    assert version["sha256"] == hashlib.sha256(inhalt).hexdigest()
    assert version["datei_url"].endswith(f"/api/v1/versionen/{version['uuid']}/datei/")
    assert daten["dokument"]["titel"] == "Bauantrag Müller"
    assert daten["dokument"]["absender"] == "Familie Müller"
    assert daten["dokument"]["posteingangsdatum"] == heute().isoformat()
    assert [v["uuid"] for v in daten["dokument"]["versionen"]] == [version["uuid"]]
    assert daten["gleicher_inhalt"] == []
    assert Version.objects.get(uuid=version["uuid"]).hochgeladen_von == sachbearbeitung
    assert Protokolleintrag.objects.filter(aktion=Aktion.HOCHGELADEN).count() == 1


def test_gleicher_inhalt_in_der_akte_wird_gemeldet(api_als, vorgang, sachbearbeitung):
    client = api_als(sachbearbeitung)
    zweiter = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=vorgang.akte, betreff="B"
    )
    erste = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(vorgang.uuid), "datei": _pdf("a.pdf", "gleich"), "titel": "Original"},
        format="multipart",
    ).json()
    zweite = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(zweiter.uuid), "datei": _pdf("b.pdf", "gleich")},
        format="multipart",
    )
    assert zweite.status_code == 201
    assert zweite.json()["gleicher_inhalt"] == [
        {"dokument": erste["dokument"]["uuid"], "titel": "Original", "version": 1}
    ]


@pytest.mark.parametrize(
    "name, inhalt, meldung",
    [
        ("leer.pdf", b"", "leer"),
        ("gross.pdf", pdf_bytes("x" * 500), "zu groß"),
        ("seite.pdf", b"#!/bin/sh\nrm -rf /\n", "nicht angenommen"),
    ],
)
def test_abgelehnte_uploads(
    api_als, vorgang, dokument, sachbearbeitung, settings, name, inhalt, meldung
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.UPLOAD_MAX_BYTES = 600
    client = api_als(sachbearbeitung)
    neu = client.post(
        "/api/v1/dokumente/",
        {"vorgang": str(vorgang.uuid), "datei": SimpleUploadedFile(name, inhalt)},
        format="multipart",
    )
    version = client.post(
        f"/api/v1/dokumente/{dokument.uuid}/versionen/",
        {"datei": SimpleUploadedFile(name, inhalt)},
        format="multipart",
    )
    for antwort in (neu, version):
        assert antwort.status_code == 400
        assert meldung in antwort.json()["non_field_errors"][0]
    assert Dokument.objects.count() == 1 and Version.objects.count() == 1


def test_upload_ohne_datei(api_als, vorgang, sachbearbeitung):
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/dokumente/", {"vorgang": str(vorgang.uuid)}, format="multipart"
    )
    assert antwort.status_code == 400 and "datei" in antwort.json()


def test_neue_version_metadaten_und_verschieben(api_als, dokument, sachbearbeitung):
    client = api_als(sachbearbeitung)
    antwort = client.post(
        f"/api/v1/dokumente/{dokument.uuid}/versionen/",
        {"datei": _pdf("Bauantrag-unterschrieben.pdf"), "kommentar": "mit Unterschrift"},
        format="multipart",
    )
    assert antwort.status_code == 201
    daten = antwort.json()
    assert daten["version"]["nummer"] == 2 and daten["version"]["kommentar"] == "mit Unterschrift"
    assert [v["nummer"] for v in daten["dokument"]["versionen"]] == [2, 1]
    assert daten["dokument"]["aktuelle_version"]["nummer"] == 2

    geaendert = client.patch(
        f"/api/v1/dokumente/{dokument.uuid}/",
        {"titel": "Bauantrag (unterschrieben)", "typ": "intern", "posteingangsdatum": None},
        format="json",
    )
    assert geaendert.status_code == 200
    assert geaendert.json()["titel"] == "Bauantrag (unterschrieben)"
    assert geaendert.json()["typ"] == "intern"
    assert client.get("/api/v1/dokumente/", {"typ": "intern"}).json()["count"] == 1
    assert client.get("/api/v1/dokumente/", {"typ": "ausgang"}).json()["count"] == 0

    ziel = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=dokument.akte, betreff="Z"
    )
    verschoben = client.post(
        f"/api/v1/dokumente/{dokument.uuid}/verschieben/", {"vorgang": str(ziel.uuid)}, "json"
    )
    assert verschoben.status_code == 200 and verschoben.json()["vorgang"] == str(ziel.uuid)
    assert _uuids(client.get("/api/v1/dokumente/", {"vorgang": str(ziel.uuid)})) == [
        str(dokument.uuid)
    ]
    assert client.get("/api/v1/dokumente/", {"akte": str(dokument.akte.uuid)}).json()["count"] == 1


def test_verschieben_in_fremden_vorgang_wie_unbekannt(
    api_als,
    dokument,
    sachbearbeitung,
    akte_anlegen,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
):
    fremde_akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    fremd = services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde_akte, betreff="F"
    )
    antwort = api_als(sachbearbeitung).post(
        f"/api/v1/dokumente/{dokument.uuid}/verschieben/", {"vorgang": str(fremd.uuid)}, "json"
    )
    assert antwort.status_code == 400
    assert antwort.json() == {"vorgang": ["Dieser Vorgang wurde nicht gefunden."]}


def test_dokument_ansehen_wird_protokolliert(api_als, dokument, sachbearbeitung):
    antwort = api_als(sachbearbeitung).get(f"/api/v1/dokumente/{dokument.uuid}/")
    assert antwort.status_code == 200
    assert len(antwort.json()["versionen"]) == 1
    assert Protokolleintrag.objects.filter(
        aktion=Aktion.ANGESEHEN, objekt_uuid=dokument.uuid, benutzer=sachbearbeitung
    ).exists()


# --- Versionen: Download -------------------------------------------------------------------


def _hochladen(benutzer, vorgang, name, inhalt):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return services.dokument_hochladen(
        akteur=akteur_von(benutzer), vorgang=vorgang, datei=SimpleUploadedFile(name, inhalt)
    )


def test_download_liefert_genau_die_bytes_und_protokolliert(
    api_als, vorgang, sachbearbeitung, kollege_michelstadt
):
    inhalt = pdf_bytes("Original")
    name = 'Bescheid "Müller" Öffnung 2026.pdf'
    version = _hochladen(sachbearbeitung, vorgang, name, inhalt)
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=vorgang.akte, empfaenger=kollege_michelstadt
    )
    antwort = api_als(kollege_michelstadt).get(
        f"/api/v1/versionen/{version.uuid}/datei/", HTTP_ACCEPT="application/pdf"
    )
    assert antwort.status_code == 200
    assert b"".join(antwort.streaming_content) == inhalt
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"] == content_disposition_header(True, version.dateiname)
    assert antwort["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert antwort["X-Content-Type-Options"] == "nosniff"
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.HERUNTERGELADEN)
    assert eintrag.benutzer == kollege_michelstadt
    assert eintrag.objekt_uuid == version.uuid
    assert eintrag.akte_uuid == vorgang.akte.uuid
    assert eintrag.kommune_id == vorgang.kommune_id  # the Akte's Kommune keeps the record
    assert eintrag.ip_adresse == "127.0.0.1"


def test_vorschau_nur_fuer_pdf_und_bilder(api_als, vorgang, sachbearbeitung):
    pdf = _hochladen(sachbearbeitung, vorgang, "Plan.pdf", pdf_bytes("Plan"))
    text = _hochladen(sachbearbeitung, vorgang, "Notiz.txt", "Grüße aus Erbach\n".encode())
    client = api_als(sachbearbeitung)
    antwort = client.get(f"/api/v1/versionen/{pdf.uuid}/datei/", {"vorschau": "1"})
    assert antwort.status_code == 200
    assert antwort["Content-Disposition"] == 'inline; filename="Plan.pdf"'
    assert Protokolleintrag.objects.filter(aktion=Aktion.ANGESEHEN, objekt_uuid=pdf.uuid).exists()
    antwort = client.get(f"/api/v1/versionen/{text.uuid}/datei/", {"vorschau": "1"})
    assert antwort["Content-Disposition"].startswith("attachment;")
    assert antwort["Content-Type"].startswith("text/plain")
    assert b"".join(antwort.streaming_content) == "Grüße aus Erbach\n".encode()


def test_alte_versionen_bleiben_abrufbar(api_als, dokument, sachbearbeitung):
    erste = dokument.versionen.get()
    services.version_hochladen(
        akteur=akteur_von(sachbearbeitung), dokument=dokument, datei=_pdf("neu.pdf")
    )
    client = api_als(sachbearbeitung)
    antwort = client.get(f"/api/v1/versionen/{erste.uuid}/")
    assert antwort.status_code == 200 and antwort.json()["nummer"] == 1
    datei = client.get(antwort.json()["datei_url"])
    assert hashlib.sha256(b"".join(datei.streaming_content)).hexdigest() == erste.datei.sha256


def test_kein_protokoll_fuer_verweigerten_download(api_als, welt, kollegin_andere_oe):
    vorher = Protokolleintrag.objects.count()
    antwort = api_als(kollegin_andere_oe).get(f"/api/v1/versionen/{welt['version'].uuid}/datei/")
    assert antwort.status_code == 404
    assert Protokolleintrag.objects.count() == vorher


# --- Wiedervorlagen ------------------------------------------------------------------------


def test_wiedervorlagen_setzen_filtern_erledigen(api_als, akte, vorgang, sachbearbeitung):
    client = api_als(sachbearbeitung)
    faellig = client.post(
        "/api/v1/wiedervorlagen/",
        {"akte": str(akte.uuid), "vorgang": str(vorgang.uuid), "datum": heute(), "notiz": "Frist"},
        format="json",
    )
    spaeter = client.post(
        "/api/v1/wiedervorlagen/",
        {"akte": str(akte.uuid), "datum": heute() + timedelta(days=7)},
        format="json",
    )
    assert faellig.status_code == spaeter.status_code == 201
    assert faellig.json()["vorgang"] == str(vorgang.uuid) and faellig.json()["faellig"] is True
    assert spaeter.json()["faellig"] is False
    assert _uuids(client.get("/api/v1/wiedervorlagen/")) == [
        faellig.json()["uuid"],
        spaeter.json()["uuid"],
    ]
    assert _uuids(client.get("/api/v1/wiedervorlagen/", {"faellig": "1"})) == [
        faellig.json()["uuid"]
    ]
    vergangen = client.post(
        "/api/v1/wiedervorlagen/",
        {"akte": str(akte.uuid), "datum": heute() - timedelta(days=1)},
        format="json",
    )
    assert vergangen.status_code == 400 and "Vergangenheit" in vergangen.json()["datum"][0]
    erledigt = client.post(f"/api/v1/wiedervorlagen/{faellig.json()['uuid']}/erledigt/")
    assert erledigt.status_code == 200 and erledigt.json()["erledigt_am"]
    assert _uuids(client.get("/api/v1/wiedervorlagen/")) == [spaeter.json()["uuid"]]
    assert (
        client.post(f"/api/v1/wiedervorlagen/{faellig.json()['uuid']}/erledigt/").status_code == 404
    )


def test_vorgang_einer_anderen_akte_wird_abgelehnt(
    api_als, akte_anlegen, vorgang, sachbearbeitung, bauamt
):
    andere = akte_anlegen(sachbearbeitung, bauamt, "Andere")
    antwort = api_als(sachbearbeitung).post(
        "/api/v1/wiedervorlagen/",
        {"akte": str(andere.uuid), "vorgang": str(vorgang.uuid), "datum": heute()},
        format="json",
    )
    assert antwort.status_code == 400 and "gehört nicht" in antwort.json()["vorgang"][0]


@pytest.mark.parametrize(
    "rolle, erwartet",
    [("eigene", 200), ("andere_oe", 404), ("fremd", 404), ("leser", 404), ("entzogen", 404)],
)
def test_fremde_wiedervorlagen_unsichtbar(api_als, welt, person, rolle, erwartet):
    """Wiedervorlagen belong to one person: nobody else sees or closes them."""
    client = api_als(person(rolle))
    kennung = welt["wiedervorlage"].uuid
    sichtbar = _uuids(client.get("/api/v1/wiedervorlagen/"))
    assert sichtbar == ([str(kennung)] if rolle == "eigene" else [])
    assert client.get(f"/api/v1/wiedervorlagen/{kennung}/").status_code == erwartet
    assert client.post(f"/api/v1/wiedervorlagen/{kennung}/erledigt/").status_code == erwartet
    welt["wiedervorlage"].refresh_from_db()
    assert (welt["wiedervorlage"].erledigt_am is not None) == (rolle == "eigene")


def test_wiedervorlage_der_freigabe_verschwindet_mit_ihr(
    api_als, akte, sachbearbeitung, kollege_michelstadt
):
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    gast = api_als(kollege_michelstadt)
    antwort = gast.post(
        "/api/v1/wiedervorlagen/", {"akte": str(akte.uuid), "datum": heute()}, format="json"
    )
    assert antwort.status_code == 201  # reading is enough for one's own follow-up
    kennung = antwort.json()["uuid"]
    assert _uuids(gast.get("/api/v1/wiedervorlagen/")) == [kennung]
    services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    gast = api_als(kollege_michelstadt)
    assert _uuids(gast.get("/api/v1/wiedervorlagen/")) == []
    assert gast.get(f"/api/v1/wiedervorlagen/{kennung}/").status_code == 404


def test_api_freigabe_an_eine_oe(
    api_als, akte, sachbearbeitung, fremde_sachbearbeitung, ordnungsamt_michelstadt, sontra
):
    from eakte.kommunen.models import Organisationseinheit

    adresse = f"/api/v1/akten/{akte.uuid}/oe-freigaben/"
    client = api_als(sachbearbeitung)
    fremde_oe = Organisationseinheit.objects.create(kommune=sontra, name="Bauamt", kuerzel="BA")
    unbekannt = client.post(adresse, {"oe": str(fremde_oe.uuid)}, format="json")
    assert unbekannt.status_code == 400 and "gibt es im Verbund nicht" in str(unbekannt.json())
    antwort = client.post(
        adresse, {"oe": str(ordnungsamt_michelstadt.uuid), "schreiben": True}, format="json"
    )
    assert antwort.status_code == 201
    assert antwort.json() == [
        {
            "oe": str(ordnungsamt_michelstadt.uuid),
            "name": "Ordnungsamt",
            "kuerzel": "OA",
            "kommune": "michelstadt",
            "schreiben": True,
        }
    ]
    kollegin = api_als(fremde_sachbearbeitung)
    assert kollegin.get(f"/api/v1/akten/{akte.uuid}/").json()["darf_schreiben"] is True
    assert kollegin.delete(adresse + f"{ordnungsamt_michelstadt.uuid}/").status_code == 403
    assert (
        api_als(sachbearbeitung).delete(adresse + f"{ordnungsamt_michelstadt.uuid}/").status_code
        == 204
    )
    assert api_als(fremde_sachbearbeitung).get(f"/api/v1/akten/{akte.uuid}/").status_code == 404
