import pytest

from eakte.system.models import WorkerHeartbeat
from eakte.system.tasks import heartbeat
from tests.hilfen import warten_bis


def test_gesundheit_ohne_anmeldung(client, db):
    antwort = client.get("/gesundheit/")
    assert antwort.status_code == 200 and antwort.content == b"ok"


def test_systemstatus_nur_fuer_verbund_admin(client_als, api_als, sachbearbeitung, kommunen_admin):
    assert client_als(sachbearbeitung).get("/system/status/").status_code == 404
    assert client_als(kommunen_admin).get("/system/status/").status_code == 404
    assert api_als(kommunen_admin).get("/api/v1/system/status/").status_code == 404


def test_systemstatus_meldet_fehlenden_worker(client_als, verbund_admin):
    antwort = client_als(verbund_admin).get("/system/status/")
    pruefungen = {p.name: p for p in antwort.context["pruefungen"]}
    assert pruefungen["Datenbank"].ok and pruefungen["Redis"].ok
    assert pruefungen["Texterkennung (Tesseract)"].ok
    assert pruefungen["Umwandlung von Office-Dateien (LibreOffice)"].ok
    assert not pruefungen["Celery-Worker"].ok


def test_systemstatus_meldet_fehlendes_libreoffice(client_als, verbund_admin, settings):
    settings.OFFICE_SOFFICE = "soffice-gibt-es-hier-nicht"
    antwort = client_als(verbund_admin).get("/system/status/")
    pruefung = next(p for p in antwort.context["pruefungen"] if "LibreOffice" in p.name)
    assert not pruefung.ok and "nicht installiert" in pruefung.detail


@pytest.mark.worker
def test_heartbeat_laeuft_durch_einen_echten_worker(
    transactional_db, celery_worker_prozess, api_als, verbund_admin
):
    heartbeat.delay()
    warten_bis(
        WorkerHeartbeat.objects.filter(worker=celery_worker_prozess.hostname).exists,
        sekunden=30,
        was=lambda: celery_worker_prozess.log.read_text()[-2000:],
    )
    status = api_als(verbund_admin).get("/api/v1/system/status/").json()
    worker = next(p for p in status if p["name"] == "Celery-Worker")
    assert worker["ok"] and celery_worker_prozess.hostname in worker["detail"]
