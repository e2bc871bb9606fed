"""Shared fixtures: two Kommunen of one Verbund, a third Verbund outside, and people in roles.

Naming follows what each person is to the test, e.g. `sachbearbeitung` (Erbach, Bauamt),
`kollegin_andere_oe` (Erbach, Hauptamt), `fremde_sachbearbeitung` (Michelstadt).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from rest_framework.test import APIClient

from aktenplan import services as aktenplan_services
from aktenplan.models import Aktenplan
from eakte.common.mandantenbereich import systembereich
from eakte.kommunen.rollen import Rolle
from tests.dateispeicher import dateispeicher, s3_server  # noqa: F401 (fixtures)
from tests.factories import (
    BenutzerFactory,
    KommuneFactory,
    OrganisationseinheitFactory,
    VerbundFactory,
)
from tests.hilfen import akteur_von

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _mandantenbereich_streng():
    """A tenant query without a Bereich raises in every test run, also without scripts/dev.py
    (worker subprocesses get it through their environment, see worker_starten)."""
    from django.conf import settings

    settings.MANDANTENBEREICH_STRENG = True


@pytest.fixture(autouse=True)
def _systembereich():
    """The test's own code sets up and checks rows of many Kommunen: it runs in the system
    Bereich. Requests through the test client or the live server get their person's Bereich
    from the middleware, which overrides this one."""
    with systembereich("Test"):
        yield


@pytest.fixture(autouse=True)
def _zwei_faktor_aus(settings):
    """The second factor for admin roles is on by default for new installations; tests that
    are not about it sign admins in with password or force_login (tests/identitaet turn it on)."""
    settings.EAKTE_ZWEI_FAKTOR_PFLICHT = False


@pytest.fixture
def verbund(db):
    return VerbundFactory(name="IKZ Odenwald", slug="odenwald")


@pytest.fixture
def anderer_verbund(db):
    return VerbundFactory(name="IKZ Werra-Meißner", slug="werra-meissner")


@pytest.fixture
def erbach(verbund):
    return KommuneFactory(
        verbund=verbund, name="Erbach", slug="erbach", ags="06437006", aktenzeichen_praefix="ERB"
    )


@pytest.fixture
def michelstadt(verbund):
    return KommuneFactory(
        verbund=verbund,
        name="Michelstadt",
        slug="michelstadt",
        ags="06437011",
        aktenzeichen_praefix="MIC",
    )


@pytest.fixture
def sontra(anderer_verbund):
    return KommuneFactory(
        verbund=anderer_verbund,
        name="Sontra",
        slug="sontra",
        ags="06636011",
        aktenzeichen_praefix="SON",
    )


@pytest.fixture
def hauptamt(erbach):
    return OrganisationseinheitFactory(kommune=erbach, name="Hauptamt", kuerzel="HA")


@pytest.fixture
def bauamt(erbach):
    return OrganisationseinheitFactory(kommune=erbach, name="Bauamt", kuerzel="BA")


@pytest.fixture
def ordnungsamt_michelstadt(michelstadt):
    return OrganisationseinheitFactory(kommune=michelstadt, name="Ordnungsamt", kuerzel="OA")


def _person(kommune, username, rollen, oes=()):
    return BenutzerFactory(
        kommune=kommune, username=username, rollen=rollen, organisationseinheiten=list(oes)
    )


@pytest.fixture
def sachbearbeitung(erbach, bauamt):
    return _person(erbach, "sb.erbach", [Rolle.SACHBEARBEITUNG], [bauamt])


@pytest.fixture
def kollegin_andere_oe(erbach, hauptamt):
    return _person(erbach, "sb2.erbach", [Rolle.SACHBEARBEITUNG], [hauptamt])


@pytest.fixture
def kommunen_admin(erbach, hauptamt):
    return _person(erbach, "admin.erbach", [Rolle.KOMMUNEN_ADMIN], [hauptamt])


@pytest.fixture
def verbund_admin(erbach, hauptamt):
    return _person(erbach, "verbundadmin.erbach", [Rolle.VERBUND_ADMIN], [hauptamt])


@pytest.fixture
def datenschutz(erbach, hauptamt):
    return _person(erbach, "ds.erbach", [Rolle.DATENSCHUTZ], [hauptamt])


@pytest.fixture
def fremde_sachbearbeitung(michelstadt, ordnungsamt_michelstadt):
    return _person(
        michelstadt, "sb.michelstadt", [Rolle.SACHBEARBEITUNG], [ordnungsamt_michelstadt]
    )


@pytest.fixture
def fremder_kommunen_admin(michelstadt, ordnungsamt_michelstadt):
    return _person(
        michelstadt, "admin.michelstadt", [Rolle.KOMMUNEN_ADMIN], [ordnungsamt_michelstadt]
    )


@pytest.fixture
def fremder_verbund_admin(sontra):
    return _person(sontra, "verbundadmin.sontra", [Rolle.VERBUND_ADMIN])


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def client_als(client):
    """Log a user in on the Django test client: `client_als(person).get(url)`."""

    def anmelden(benutzer):
        client.force_login(benutzer)
        return client

    return anmelden


@pytest.fixture
def api_als(api_client):
    """One client: each call switches the signed-in user (do not keep two of them around)."""

    def anmelden(benutzer):
        api_client.force_authenticate(benutzer)
        return api_client

    return anmelden


# --- the shared Aktenplan ------------------------------------------------------------------


@pytest.fixture
def aktenplan(verbund):
    return Aktenplan.objects.create(verbund=verbund, name="Aktenplan IKZ Odenwald", stellen="1,1,2")


@pytest.fixture
def digitallotse(erbach, hauptamt):
    return _person(erbach, "dl.erbach", [Rolle.DIGITALLOTSE], [hauptamt])


@pytest.fixture
def digitallotse_michelstadt(michelstadt, ordnungsamt_michelstadt):
    return _person(michelstadt, "dl.michelstadt", [Rolle.DIGITALLOTSE], [ordnungsamt_michelstadt])


@pytest.fixture
def fremder_digitallotse(sontra):
    return _person(sontra, "dl.sontra", [Rolle.DIGITALLOTSE])


@pytest.fixture
def einheit_anlegen(aktenplan, digitallotse):
    def anlegen(kennzeichen, titel, parent=None, frist=10, art="B", **weiteres):
        return aktenplan_services.einheit_anlegen(
            aktenplan=aktenplan,
            parent=parent,
            kennzeichen=kennzeichen,
            titel=titel,
            aufbewahrungsfrist=frist,
            aussonderungsart=art,
            akteur=akteur_von(digitallotse),
            **weiteres,
        )

    return anlegen


@pytest.fixture
def kleiner_plan(einheit_anlegen):
    """0 Allgemeine Verwaltung > 0.2 Gemeindeorgane > 0.2.01 Sitzungen, 0.2.02 Wahlen; 6 Bauwesen."""
    verwaltung = einheit_anlegen("0", "Allgemeine Verwaltung")
    organe = einheit_anlegen("0.2", "Gemeindeorgane", verwaltung)
    sitzungen = einheit_anlegen("0.2.01", "Sitzungen der Gemeindevertretung", organe, None, "A")
    wahlen = einheit_anlegen("0.2.02", "Wahlen", organe, 5, "V")
    bau = einheit_anlegen("6", "Bauwesen", frist=30)
    return {"0": verwaltung, "0.2": organe, "0.2.01": sitzungen, "0.2.02": wahlen, "6": bau}


# --- a real Celery worker -------------------------------------------------------------------


@dataclass
class WorkerProzess:
    hostname: str
    process: subprocess.Popen
    log: Path
    postfach: Path  # e-mails the worker sends land here as files


def _test_database_url() -> str:
    from django.conf import settings

    teile = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(teile._replace(path="/" + settings.DATABASES["default"]["NAME"]))


def _warte_bis_bereit(worker: WorkerProzess, timeout: float = 90) -> None:
    from eakte.celery import app

    frist = time.monotonic() + timeout
    while time.monotonic() < frist:
        if worker.process.poll() is not None:
            raise RuntimeError(f"Celery-Worker ist abgestürzt:\n{worker.log.read_text()[-3000:]}")
        if app.control.ping(destination=[worker.hostname], timeout=1):
            return
    raise RuntimeError(f"Celery-Worker antwortet nicht:\n{worker.log.read_text()[-3000:]}")


def worker_starten(
    ordner: Path,
    dateiablage: Path,
    *,
    queues: list[str],
    concurrency: int = 1,
    leeren: bool = False,
    **umgebung,
) -> WorkerProzess:
    """Start a real `celery worker` process on the test database; waits until it answers."""
    hostname = f"test-{uuid.uuid4().hex[:8]}@{socket.gethostname()}"
    log = ordner / f"{hostname.split('@')[0]}.log"
    postfach = ordner / "postfach"
    postfach.mkdir(exist_ok=True)
    env = dict(
        os.environ,
        DATABASE_URL=_test_database_url(),
        DATABASE_CONN_MAX_AGE="0",
        EMAIL_URL=f"filemail:///{postfach}",  # django-environ drops one leading slash
        MEDIA_ROOT=str(dateiablage),
        MANDANTENBEREICH_STRENG="true",
        EINGANG_WEBHOOK_BASIS="1",  # webhook retries after 1 s, 2 s, … (issue 19)
        **umgebung,
    )
    befehl = [sys.executable, "-m", "celery", "-A", "eakte", "worker", "-Q", ",".join(queues)]
    befehl += ["-c", str(concurrency), "-n", hostname, "-l", "info"]
    befehl += ["--without-gossip", "--without-mingle"] + (["--purge"] if leeren else [])
    with log.open("wb") as ausgabe:
        process = subprocess.Popen(
            befehl,
            cwd=ROOT,
            env=env,
            stdout=ausgabe,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = WorkerProzess(hostname=hostname, process=process, log=log, postfach=postfach)
    try:
        _warte_bis_bereit(worker)
    except RuntimeError:
        _beenden(process)
        raise
    return worker


@pytest.fixture(scope="session")
def celery_worker_prozess(django_db_setup, django_db_blocker, tmp_path_factory, dateiablage):
    """A real `celery worker` process on the test database and the test queues.

    Tests that use it need `transactional_db`, so that the worker sees their committed rows.
    """
    from django.conf import settings

    worker = worker_starten(
        tmp_path_factory.mktemp("celery"),
        dateiablage,
        queues=[settings.CELERY_TASK_DEFAULT_QUEUE, settings.OCR_QUEUE],
        leeren=True,  # jobs left in the test queues by earlier runs refer to rows long gone
    )
    _LAUFENDE_WORKER.append(worker)
    try:
        yield worker
    finally:
        _LAUFENDE_WORKER.remove(worker)
        _beenden(worker.process)


_LAUFENDE_WORKER: list[WorkerProzess] = []  # the session's worker, once a test started it


def _transaktional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture(autouse=True)
def _worker_untaetig_vor_dem_leeren(request):
    """A transactional test while the session's real worker runs (asked for by this test or
    started by an earlier one): before its tables are emptied (TRUNCATE at its end), wait until
    the worker has done what the test sent it. A task still reading (an OCR job of a Dokument
    the test filed, a follow-up task) deadlocks with the TRUNCATE, and the next test then finds
    the rows still there — also for a test that only files Dokumente, whose OCR jobs the
    running worker takes."""
    if not _transaktional(request) or not (
        "celery_worker_prozess" in request.fixturenames or _LAUFENDE_WORKER
    ):
        yield
        return
    request.getfixturevalue("_django_db_helper")  # set up first, so emptied after this ends
    worker = request.getfixturevalue("celery_worker_prozess")
    yield
    _warte_bis_untaetig(worker)


@pytest.fixture
def ohne_hintergrunddienst():
    """A transactional test whose tasks must not reach the session's real worker (which may be
    running from an earlier test, with the folder store, while this test uses the bucket): the
    worker stops taking from the test queues for the test, and what the test sent is dropped at
    its end (it names rows that the end of the test removes)."""
    from django.conf import settings

    from eakte.celery import app

    queues = (settings.CELERY_TASK_DEFAULT_QUEUE, settings.OCR_QUEUE)
    for queue in queues:
        app.control.cancel_consumer(queue, reply=True, timeout=1)
    try:
        yield
    finally:
        with app.connection_for_write() as verbindung:
            for queue in queues:
                verbindung.default_channel.queue_purge(queue)
        for queue in queues:
            app.control.add_consumer(queue, reply=True, timeout=1)


def _warte_bis_untaetig(worker: WorkerProzess, timeout: float = 60) -> None:
    """Until the test queues are empty and the worker has no task running or reserved, twice in
    a row (a finished task may send a follow-up at its commit); gives up quietly at `timeout`."""
    from django.conf import settings

    from eakte.celery import app

    frist = time.monotonic() + timeout
    ruhig = 0
    while ruhig < 2 and time.monotonic() < frist:
        inspektor = app.control.inspect(destination=[worker.hostname], timeout=1, limit=1)
        laufend = [*(inspektor.active() or {}).values(), *(inspektor.reserved() or {}).values()]
        with app.connection_for_write() as verbindung:
            kanal = verbindung.default_channel
            # the Redis transport's length of a queue's lists (all priorities)
            wartend = sum(
                kanal._size(name)
                for name in (settings.CELERY_TASK_DEFAULT_QUEUE, settings.OCR_QUEUE)
            )
        ruhig = ruhig + 1 if not any(laufend) and not wartend else 0
        time.sleep(0.3)


def _beenden(process: subprocess.Popen) -> None:
    """Warm shutdown, then make sure no pool child keeps a connection to the test database."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


@pytest.fixture(scope="session", autouse=True)
def _keine_fremden_verbindungen_am_ende(django_db_setup, django_db_blocker):
    """Before the test database is dropped, end connections that threads or subprocesses left.

    Live-server threads and Playwright's event loop each hold their own connection; an idle one
    left behind would make DROP DATABASE fail and leave test_eakte on the server.
    """
    yield
    from django.db import connection

    if not connection.settings_dict["NAME"].startswith("test_"):
        return  # no test of this run used the database
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )


# --- Akten ----------------------------------------------------------------------------------


def pdf_bytes(text: str = "") -> bytes:
    """A small valid PDF (one blank page); `text` goes into the metadata so contents differ."""
    import io

    from pypdf import PdfWriter

    schreiber = PdfWriter()
    schreiber.add_blank_page(width=595, height=842)
    schreiber.add_metadata({"/Title": text or "leer"})
    puffer = io.BytesIO()
    schreiber.write(puffer)
    return puffer.getvalue()


@pytest.fixture
def pdf_datei():
    """An uploaded PDF as Django sees it: pdf_datei("Bauantrag.pdf", "Inhalt")."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def erzeugen(name="Bauantrag.pdf", text=""):
        return SimpleUploadedFile(name, pdf_bytes(text or name), content_type="application/pdf")

    return erzeugen


@pytest.fixture
def akte_anlegen(kleiner_plan):
    """akte_anlegen(person, oe, betreff=…): an Akte under 0.2.01 (or `einheit=`)."""
    from eakte.akten import services as akten_services

    def anlegen(benutzer, oe, betreff="Bauantrag Hauptstraße 1", einheit=None, **weiteres):
        return akten_services.akte_anlegen(
            akteur=akteur_von(benutzer),
            aktenplaneinheit=einheit or kleiner_plan["0.2.01"],
            betreff=betreff,
            federfuehrende_oe=oe,
            **weiteres,
        )

    return anlegen


@pytest.fixture
def akte(akte_anlegen, sachbearbeitung, bauamt):
    """An Akte of the Erbach Bauamt, created by `sachbearbeitung`."""
    return akte_anlegen(sachbearbeitung, bauamt)


@pytest.fixture
def vorgang(akte, sachbearbeitung):
    from eakte.akten import services as akten_services

    return akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Antrag auf Baugenehmigung"
    )


@pytest.fixture
def dokument(vorgang, sachbearbeitung, pdf_datei):
    """A Dokument with one PDF Version in `vorgang`."""
    from eakte.akten import services as akten_services

    return akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung), vorgang=vorgang, datei=pdf_datei("Bauantrag.pdf")
    ).dokument


@pytest.fixture
def kollege_michelstadt(fremde_sachbearbeitung):
    """A clerk of another Kommune of the same Verbund (the usual grantee of a share)."""
    return fremde_sachbearbeitung


@pytest.fixture(scope="session")
def dateiablage(tmp_path_factory) -> Path:
    """One file store for the test session, shared with the Celery worker subprocess.

    Files are content-addressed under the Kommune's uuid, and every test has new Kommunen, so
    tests never see each other's files.
    """
    return tmp_path_factory.mktemp("dateien")


@pytest.fixture(autouse=True)
def _dateiablage_im_tmp(settings, dateiablage):
    """Every test stores its files in the session's tmp file store, never under ./var."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(dateiablage)},
        },
    }


@pytest.fixture(autouse=True)
def _schnelles_passwort_hashing(settings):
    """Test users need no slow password hash (PBKDF2 costs about half a second per user)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_collection_modifyitems(items):
    """Every test that starts the real Celery worker is a `worker` test, whether or not it says
    so, so that `make test-schnell` (-m "not worker and not e2e") leaves out all of them."""
    for item in items:
        if "celery_worker_prozess" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.worker)
