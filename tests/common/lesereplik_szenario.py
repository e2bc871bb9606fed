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


def aufbau() -> dict:
    from tests.factories import BenutzerFactory, KommuneFactory, OrganisationseinheitFactory

    with systembereich("Test"):
        kommune = KommuneFactory()
        oe = OrganisationseinheitFactory(kommune=kommune, name="Bauamt", kuerzel="BA")
        person = BenutzerFactory(
            kommune=kommune, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[oe]
        )
    return {"benutzer": person.pk}


def _abruf(client, url, *, mit_replik=True) -> dict:
    with CaptureQueriesContext(connections["default"]) as primaer:
        if mit_replik:
            with CaptureQueriesContext(connections["replik"]) as replik:
                beginn = time.perf_counter()
                antwort = client.get(url)
            auf_replik = len([q for q in replik.captured_queries if q["sql"] != "SELECT 1"])
        else:
            beginn = time.perf_counter()
            antwort = client.get(url)
            auf_replik = None
    return {
        "status": antwort.status_code,
        "primaer": len(primaer.captured_queries),
        "replik": auf_replik,
        "sekunden": round(time.perf_counter() - beginn, 3),
    }


def lesen(benutzer_id: int) -> dict:
    client = Client()
    client.force_login(Benutzer.objects.get(pk=benutzer_id))
    with connections["replik"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        (standby,) = cursor.fetchone()
    ergebnis = {"standby": standby}
    ergebnis["liste"] = _abruf(client, reverse("akten:meine"))
    ergebnis["suche"] = _abruf(client, reverse("suche:suche") + "?q=Bauantrag")
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


if __name__ == "__main__":
    schritt = sys.argv[1]
    if schritt == "aufbau":
        print(json.dumps(aufbau()))
    else:
        print(json.dumps({"lesen": lesen, "ausfall": ausfall}[schritt](int(sys.argv[2]))))
