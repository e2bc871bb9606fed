"""Run in a fresh process by tests/common/test_lesereplik.py, with DATABASE_URL on a throw-away
primary and DATABASE_REPLICA_URL on its streaming replica: `python -m
tests.common.lesereplik_szenario <schritt> [benutzer-id]`; prints one JSON object."""

import json
import os
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")
django.setup()

from django.conf import settings  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from eakte.common.mandantenbereich import systembereich  # noqa: E402
from eakte.kommunen.models import Benutzer  # noqa: E402
from eakte.kommunen.rollen import Rolle  # noqa: E402

ADMIN = "replik.kommunenadmin"  # reads the cockpit of the Kommune


def aufbau() -> dict:
    from tests.factories import BenutzerFactory, KommuneFactory, OrganisationseinheitFactory

    with systembereich("Test"):
        kommune = KommuneFactory()
        oe = OrganisationseinheitFactory(kommune=kommune, name="Bauamt", kuerzel="BA")
        person = BenutzerFactory(
            kommune=kommune, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[oe]
        )
        BenutzerFactory(kommune=kommune, username=ADMIN, rollen=[Rolle.KOMMUNEN_ADMIN])
    return {"benutzer": person.pk}


def _pruefung(sql: str) -> bool:
    """The router's own check of the replica (reachable, lag), not a read of the page."""
    return sql == "SELECT 1" or "pg_last_wal_replay_lsn" in sql


# statements of the search's own SQL (selectors, anfrage): its planner settings, the visible
# Akten, the words
_SUCHE_EIGEN = ("enable_seqscan", "array_agg(id)", "ts_lexize")


def _von_der_suche(erfasst) -> int:
    return len([q for q in erfasst.captured_queries if any(m in q["sql"] for m in _SUCHE_EIGEN)])


def _abruf(client, url, *, mit_replik=True) -> dict:
    with CaptureQueriesContext(connections["default"]) as primaer:
        if mit_replik:
            with CaptureQueriesContext(connections["replik"]) as replik:
                beginn = time.perf_counter()
                antwort = client.get(url)
            auf_replik = len([q for q in replik.captured_queries if not _pruefung(q["sql"])])
        else:
            beginn = time.perf_counter()
            antwort = client.get(url)
            auf_replik = None
    return {
        "status": antwort.status_code,
        "primaer": len(primaer.captured_queries),
        "suche_primaer": _von_der_suche(primaer),
        "suche_replik": _von_der_suche(replik) if mit_replik else None,
        "replik": auf_replik,
        "messungen": len([q for q in replik.captured_queries if _pruefung(q["sql"])])
        if mit_replik
        else None,
        "sekunden": round(time.perf_counter() - beginn, 3),
    }


def _schluessel(benutzer_id: int) -> str:
    from eakte.common.akteur import Akteur, Anmeldeart
    from eakte.konten.services import api_schluessel_erneuern

    with systembereich("Test"):
        benutzer = Benutzer.objects.get(pk=benutzer_id)
        return api_schluessel_erneuern(akteur=Akteur(benutzer=benutzer, art=Anmeldeart.SITZUNG))


def lesen(benutzer_id: int) -> dict:
    client = Client()
    client.force_login(Benutzer.objects.get(pk=benutzer_id))
    with connections["replik"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        (standby,) = cursor.fetchone()
    ergebnis = {"standby": standby}
    ergebnis["liste"] = _abruf(client, reverse("akten:meine"))
    ergebnis["suche"] = _abruf(client, reverse("suche:suche") + "?q=Bauantrag")
    ergebnis["api_suche"] = _abruf(client, reverse("api:suche-list") + "?q=Bauantrag")
    ergebnis["api_akten"] = _abruf(client, reverse("api:akte-list"))
    ergebnis["api_mit_schluessel"] = _abruf(
        Client(HTTP_AUTHORIZATION=f"Token {_schluessel(benutzer_id)}"), reverse("api:akte-list")
    )
    admin = Client()
    admin.force_login(Benutzer.objects.get(username=ADMIN))
    slug = Benutzer.objects.get(pk=benutzer_id).kommune.slug
    ergebnis["cockpit"] = _abruf(admin, reverse("cockpit:kommune", args=[slug]))
    ergebnis["api_cockpit"] = _abruf(admin, reverse("api:cockpit-kommune", args=[slug]))
    ergebnis["andere_seite"] = _abruf(client, reverse("akten:neu"))
    ergebnis["post"] = client.post(reverse("akten:neu"), {}).status_code
    ergebnis["nach_schreiben"] = _abruf(client, reverse("akten:meine"))
    time.sleep(settings.LESEREPLIK_FENSTER + 0.5)
    ergebnis["nach_fenster"] = _abruf(client, reverse("akten:meine"))
    return ergebnis


def ausfall(benutzer_id: int) -> dict:
    client = Client()
    client.force_login(Benutzer.objects.get(pk=benutzer_id))
    return {
        "liste": _abruf(client, reverse("akten:meine"), mit_replik=False),
        "suche": _abruf(client, reverse("suche:suche") + "?q=Bauantrag", mit_replik=False),
    }


def _metriken(client) -> dict:
    antwort = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {settings.METRIKEN_TOKEN}")
    werte = {}
    for zeile in antwort.content.decode().splitlines():
        if zeile.startswith("eakte_replik_"):
            name, wert = zeile.split()
            werte[name] = float(wert)
    return werte


def verzug(benutzer_id: int) -> dict:
    """Replay on the replica is paused (by the test) while the primary wrote: the lists read
    from the primary; then replay resumes here and, once caught up, the replica reads again."""
    import psycopg

    from eakte.common import lesereplik

    client = Client()
    client.force_login(Benutzer.objects.get(pk=benutzer_id))
    # Warm up (connection, templates) on a page that never reads from the replica: the two
    # measured pages must fall within one LESEREPLIK_VERZUG_INTERVALL on a busy machine too.
    assert client.get(reverse("akten:neu")).status_code == 200
    ergebnis = {"zurueck": [_abruf(client, reverse("akten:meine")) for _ in range(2)]}
    bereit = client.get("/health/ready")
    ergebnis["bereit"] = {"http": bereit.status_code, **json.loads(bereit.content)}
    ergebnis["metriken"] = _metriken(client)
    with psycopg.connect(os.environ["DATABASE_REPLICA_URL"], autocommit=True) as verbindung:
        verbindung.execute("SELECT pg_wal_replay_resume()")
    frist = time.monotonic() + 30
    while lesereplik.verzug_messen().bytes > 0 and time.monotonic() < frist:
        time.sleep(0.1)
    time.sleep(settings.LESEREPLIK_VERZUG_INTERVALL + 0.2)  # the last measurement expires
    ergebnis["aufgeholt"] = _abruf(client, reverse("akten:meine"))
    bereit = client.get("/health/ready")
    ergebnis["bereit_danach"] = json.loads(bereit.content)
    ergebnis["metriken_danach"] = _metriken(client)
    return ergebnis


if __name__ == "__main__":
    schritt = sys.argv[1]
    if schritt == "aufbau":
        print(json.dumps(aufbau()))
    else:
        print(
            json.dumps(
                {"lesen": lesen, "ausfall": ausfall, "verzug": verzug}[schritt](int(sys.argv[2]))
            )
        )
