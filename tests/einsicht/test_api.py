import pytest

from eakte.einsicht.models import Einsicht, EinsichtDokument

from .conftest import NAME

pytestmark = pytest.mark.django_db


def _anlegen(api, akte, **weiteres):
    return api.post(
        "/api/v1/einsichten/",
        {
            "akte": str(akte.uuid),
            "empfaenger_name": "Dr. Anna Anwalt",
            "empfaenger_email": "anwalt@kanzlei.example",
            "empfaenger_rolle": "bevollmaechtigt",
            **weiteres,
        },
        format="json",
    )


def test_api_ablauf(api_als, sachbearbeitung, datenschutz, akte, drei_dokumente):
    api = api_als(sachbearbeitung)
    antwort = _anlegen(api, akte)
    assert antwort.status_code == 201, antwort.content
    einsicht = antwort.json()
    assert len(einsicht["dokumente"]) == 3
    adresse = f"/api/v1/einsichten/{einsicht['uuid']}/"
    eintrag = einsicht["dokumente"][0]["uuid"]
    ausserhalb = api.post(
        adresse + "schwaerzungen/",
        {
            "dokument": eintrag,
            "kaesten": [{"seite": 1, "x0": 0.5, "y0": 0.1, "x1": 1.5, "y1": 0.2}],
        },
        format="json",
    )
    assert ausserhalb.status_code == 400
    assert "außerhalb der Seite" in str(ausserhalb.json())
    assert api.post(adresse + "wort/", {"wort": NAME}, format="json").status_code == 200
    freigabe = api.post(adresse + "freigeben/")
    assert freigabe.status_code == 200 and len(freigabe.json()["code"]) == 8
    assert api.post(adresse + "freigeben/").status_code == 400
    assert api.post(adresse + "widerrufen/").status_code == 200
    assert api_als(datenschutz).get(adresse + "zugriffe/").status_code == 200
    assert Einsicht.objects.get().status == "widerrufen"


def test_api_schlechte_eingaben_und_fremde(
    api_als, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung, akte, drei_dokumente
):
    api = api_als(sachbearbeitung)
    ohne_at = _anlegen(api, akte, empfaenger_email="anwalt.kanzlei.example")
    assert ohne_at.status_code == 400 and "gültige E-Mail-Adresse" in str(ohne_at.json())
    assert _anlegen(api_als(kollegin_andere_oe), akte).status_code in (403, 404)
    assert _anlegen(api_als(fremde_sachbearbeitung), akte).status_code == 404
    assert not Einsicht.alle.exists()
    einsicht = _anlegen(api_als(sachbearbeitung), akte).json()
    assert (
        api_als(fremde_sachbearbeitung).get(f"/api/v1/einsichten/{einsicht['uuid']}/").status_code
        == 404
    )
    assert EinsichtDokument.objects.count() == 3


def test_api_der_empfaengerin(api_client, sachbearbeitung, akte, drei_dokumente):
    from eakte.einsicht import services
    from eakte.einsicht.models import Zugriff
    from tests.hilfen import akteur_von

    einsicht = services.einsicht_anlegen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger_name="Dr. Anna Anwalt",
        empfaenger_email="anwalt@kanzlei.example",
        download_erlaubt=True,
    )
    freigabe = services.einsicht_freigeben(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    einsicht.refresh_from_db()
    basis = f"/api/v1/einsicht-zugang/{einsicht.zugangsschluessel}/"
    assert api_client.get(basis + "dokumente/").status_code in (401, 403)
    falsch = api_client.post(basis + "code/", {"code": "0"}, format="json")
    assert falsch.status_code == 400 and "stimmt nicht" in str(falsch.json())
    zugang = api_client.post(basis + "code/", {"code": freigabe.code}, format="json").json()
    kopf = {"HTTP_X_EINSICHT_ZUGANG": zugang["zugang"]}
    dokumente = api_client.get(basis + "dokumente/", **kopf).json()
    assert {d["titel"] for d in dokumente} == {"Bauantrag", "Einwendung Nachbar", "Stellungnahme"}
    pdf = api_client.get(f"{basis}dokumente/{dokumente[0]['uuid']}/pdf/", **kopf)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert Zugriff.alle.filter(einsicht=einsicht, art="download").count() == 1
    services.einsicht_widerrufen(akteur=akteur_von(sachbearbeitung), einsicht=einsicht)
    vorbei = api_client.get(basis + "dokumente/", **kopf)
    assert vorbei.status_code == 410 and "beendet" in vorbei.json()["detail"]
    assert api_client.get("/api/v1/einsicht-zugang/gibt-es-nicht/dokumente/").status_code == 404
