"""Status, retry, archive download and "Meine Hochladungen" in the browser."""

import pytest
from django.urls import reverse

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.ocr import services as ocr_services
from eakte.ocr.models import Status, Verarbeitung
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def version(dokument):
    return dokument.versionen.get()


@pytest.fixture
def verarbeitung(version):
    return Verarbeitung.objects.get(datei=version.datei)


def _url(name, version):
    return reverse(f"ocr:{name}", kwargs={"version_uuid": version.uuid})


def test_upload_legt_eine_wartende_verarbeitung_an(verarbeitung):
    assert verarbeitung.status == Status.WARTET and verarbeitung.seiten == 1


def test_status_fragment_fragt_nach_solange_es_laeuft(
    client_als, sachbearbeitung, version, verarbeitung
):
    verarbeitung.status, verarbeitung.seite, verarbeitung.seiten = Status.LAEUFT, 3, 7
    verarbeitung.save()
    inhalt = client_als(sachbearbeitung).get(_url("status", version)).content.decode()
    assert "Seite 3 von 7" in inhalt and 'hx-trigger="every 2s"' in inhalt
    verarbeitung.status, verarbeitung.verfahren = Status.FERTIG, "ocr"
    verarbeitung.save()
    inhalt = client_als(sachbearbeitung).get(_url("status", version)).content.decode()
    assert "Text erkannt" in inhalt and "hx-trigger" not in inhalt


@pytest.mark.parametrize(
    "person, erwartet",
    [
        ("sachbearbeitung", 200),
        ("kommunen_admin", 200),
        ("kollegin_andere_oe", 404),
        ("fremde_sachbearbeitung", 404),
        ("fremder_verbund_admin", 404),
    ],
)
def test_status_nur_fuer_wer_die_akte_sieht(request, client_als, version, person, erwartet):
    benutzer = request.getfixturevalue(person)
    assert client_als(benutzer).get(_url("status", version)).status_code == erwartet
    assert client_als(benutzer).get(_url("archiv", version)).status_code == 404  # no archive yet


def test_freigabe_zeigt_den_status_und_entzug_verbirgt_ihn(
    client_als, sachbearbeitung, fremde_sachbearbeitung, version
):
    akte = version.dokument.akte
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    assert client_als(fremde_sachbearbeitung).get(_url("status", version)).status_code == 200
    akten_services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    assert client_als(fremde_sachbearbeitung).get(_url("status", version)).status_code == 404


def test_erneut_versuchen_nur_bei_fehler_und_nur_mit_schreibrecht(
    client_als,
    sachbearbeitung,
    kommunen_admin,
    version,
    verarbeitung,
    django_capture_on_commit_callbacks,
):
    verarbeitung.status, verarbeitung.meldung = Status.FEHLER, "Die PDF-Datei ist beschädigt."
    verarbeitung.save()
    inhalt = client_als(sachbearbeitung).get(_url("status", version)).content.decode()
    assert "beschädigt" in inhalt and "Erneut versuchen" in inhalt
    # the Kommunen-Admin reads the Akte but does not work in it
    assert client_als(kommunen_admin).post(_url("erneut", version)).status_code == 403
    with django_capture_on_commit_callbacks() as gesendet:
        antwort = client_als(sachbearbeitung).post(_url("erneut", version))
    assert antwort.status_code == 302 and len(gesendet) == 1
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.WARTET and verarbeitung.meldung == ""
    client_als(sachbearbeitung).post(_url("erneut", version))
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.WARTET  # a second click does not queue it twice


def test_archivversion_herunterladen_wird_protokolliert(
    client_als, sachbearbeitung, version, verarbeitung
):
    verarbeitung.archiv = dateien.inhalt_ablegen(
        kommune=version.kommune, inhalt=b"%PDF-1.7 archiv", mime_typ="application/pdf"
    )
    verarbeitung.status = Status.FERTIG
    verarbeitung.save()
    antwort = client_als(sachbearbeitung).get(_url("archiv", version))
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content) == b"%PDF-1.7 archiv"
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"] == 'attachment; filename="Bauantrag (PDF-A).pdf"'
    eintrag = Protokolleintrag.objects.filter(aktion=Aktion.HERUNTERGELADEN).get()
    assert "Archivversion (PDF/A)" in eintrag.beschreibung
    # the viewer on the Dokument page shows this rendition, fetched through the same view
    seite = client_als(sachbearbeitung).get(
        reverse("akten:dokument", kwargs={"dokument_uuid": version.dokument.uuid})
    )
    assert f'data-pdf="{_url("archiv", version)}"' in seite.content.decode()


def test_meine_hochladungen_zeigt_nur_eigene(client_als, sachbearbeitung, kommunen_admin, version):
    eigene = client_als(sachbearbeitung).get(reverse("ocr:meine")).content.decode()
    assert version.dateiname in eigene and "1 Datei wird noch verarbeitet" in eigene
    fremde = client_als(kommunen_admin).get(reverse("ocr:meine")).content.decode()
    assert version.dateiname not in fremde


# --- API ------------------------------------------------------------------------------------


def _api(version, aktion=""):
    return f"/api/v1/verarbeitungen/{version.uuid}/" + (f"{aktion}/" if aktion else "")


@pytest.mark.parametrize(
    "person, erwartet",
    [
        ("sachbearbeitung", 200),
        ("kollegin_andere_oe", 404),
        ("fremde_sachbearbeitung", 404),
    ],
)
def test_api_status_nur_fuer_wer_die_akte_sieht(request, api_als, version, person, erwartet):
    antwort = api_als(request.getfixturevalue(person)).get(_api(version))
    assert antwort.status_code == erwartet
    if erwartet == 200:
        assert antwort.json()["status"] == "wartet" and antwort.json()["seiten"] == 1


def test_api_version_nennt_den_stand_der_texterkennung(api_als, sachbearbeitung, dokument):
    antwort = api_als(sachbearbeitung).get(f"/api/v1/dokumente/{dokument.uuid}/")
    (version,) = antwort.json()["versionen"]
    assert version["texterkennung"]["status"] == "wartet"
    assert version["texterkennung"]["url"].endswith(f"/api/v1/verarbeitungen/{version['uuid']}/")


def test_api_liste_meiner_hochladungen(api_als, sachbearbeitung, kommunen_admin, version):
    assert [
        e["version"]
        for e in api_als(sachbearbeitung).get("/api/v1/verarbeitungen/").json()["results"]
    ] == [str(version.uuid)]
    assert api_als(kommunen_admin).get("/api/v1/verarbeitungen/").json()["results"] == []


def test_api_erneut_versuchen_und_archiv(api_als, sachbearbeitung, version, verarbeitung):
    client = api_als(sachbearbeitung)
    antwort = client.post(_api(version, "erneut-versuchen"))
    assert antwort.status_code == 400 and "Nur fehlgeschlagene" in str(antwort.json())
    assert client.get(_api(version, "archiv")).status_code == 404
    verarbeitung.status = Status.FEHLER
    verarbeitung.save()
    assert client.post(_api(version, "erneut-versuchen")).json()["status"] == "wartet"
    verarbeitung.refresh_from_db()
    verarbeitung.status = Status.FERTIG
    verarbeitung.archiv = dateien.inhalt_ablegen(
        kommune=version.kommune, inhalt=b"%PDF-1.7 a", mime_typ="application/pdf"
    )
    verarbeitung.save()
    antwort = client.get(_api(version, "archiv"))
    assert antwort.status_code == 200 and b"".join(antwort.streaming_content) == b"%PDF-1.7 a"


def test_admin_aktion_reiht_nur_fehlgeschlagene_wieder_ein(
    client, verarbeitung, django_capture_on_commit_callbacks
):
    from tests.factories import BenutzerFactory

    betrieb = BenutzerFactory(kommune=verarbeitung.kommune, is_staff=True, is_superuser=True)
    client.force_login(betrieb)
    verarbeitung.status, verarbeitung.dauerhaft = Status.FEHLER, True
    verarbeitung.save()
    with django_capture_on_commit_callbacks() as gesendet:
        antwort = client.post(
            "/admin/ocr/verarbeitung/",
            {"action": "erneut_einreihen", "_selected_action": [verarbeitung.pk]},
            follow=True,
        )
    assert "1 Verarbeitung erneut eingereiht" in antwort.content.decode()
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.WARTET and len(gesendet) == 1
    # operators may try again what a clerk may not (e.g. after raising a limit)
    assert verarbeitung.dauerhaft is False


def test_dauerhafter_fehler_bietet_kein_erneut_versuchen(
    client_als,
    api_als,
    sachbearbeitung,
    version,
    verarbeitung,
    settings,
    django_capture_on_commit_callbacks,
):
    """A page above the pixel limit fails at once, and the same way every time: the page and
    the API say what is wrong and offer no retry."""
    settings.OCR_MAX_SEITENPIXEL = 1_000_000  # the test PDF's A4 page has 8.7 MP at 300 dpi
    assert ocr_services.verarbeiten(verarbeitung.pk) == Status.FEHLER
    verarbeitung.refresh_from_db()
    assert verarbeitung.dauerhaft and verarbeitung.meldung.startswith("Seite 1 ist zu groß")
    client = client_als(sachbearbeitung)
    inhalt = client.get(_url("status", version)).content.decode()
    assert "Seite 1 ist zu groß" in inhalt and "Erneut versuchen" not in inhalt
    seite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": version.dokument.uuid}))
    assert "zu groß" in seite.content.decode() and "Erneut versuchen" not in seite.content.decode()
    with django_capture_on_commit_callbacks() as gesendet:
        antwort = client.post(_url("erneut", version), follow=True)
    assert "würde genauso enden" in antwort.content.decode() and gesendet == []
    api = api_als(sachbearbeitung)
    assert api.get(_api(version)).json()["dauerhaft"] is True
    antwort = api.post(_api(version, "erneut-versuchen"))
    assert antwort.status_code == 400 and "genauso enden" in str(antwort.json())
    verarbeitung.refresh_from_db()
    assert verarbeitung.status == Status.FEHLER and verarbeitung.versuche == 1
