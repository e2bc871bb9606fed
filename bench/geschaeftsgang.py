"""Benchmark of the Geschäftsgang: a person's Postkorb and an OE's Postkorb at the issue's scale.

Creates a database (default eakte_bench_gg), fills one Kommune with bench/daten/akten_erzeugen.py
(N Akten over 10 OEs, one Dokument per Akte), then writes S open steps (one route per step, on
Vorgänge of random Akten) addressed to 200 people and the 10 OEs. One person gets 400 items of
their own and 100 more in Vertretung for an absent colleague (500); one OE's Postkorb holds 500.
Measures server time (Django's whole request cycle through the test client, no network) and
query counts: the Postkorb page (all 500 rows rendered), the Postkorb API (page of 50), the
header count, the OE Postkorb page, and the selector alone.

    make bench BENCH=geschaeftsgang                                  # 100,000 Akten, 50,000 steps
    make bench BENCH=geschaeftsgang ARGS="--akten 5000 --schritte 5000 --wiederholungen 20"
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

ZIEL_P95_MS = 100
KOMMUNE = "benchstadt"
OES = 10
PERSONEN = 200
EIGENE = 400
VERTRETUNG = 100
OE_EINTRAEGE = 500
SCHUB = 5000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--akten", type=int, default=100_000, help="Akten (Standard 100000)")
    parser.add_argument(
        "--schritte", type=int, default=50_000, help="offene Schritte (Standard 50000)"
    )
    parser.add_argument("--wiederholungen", type=int, default=50, help="Anfragen je Messpunkt")
    parser.add_argument("--datenbank", default="eakte_bench_gg", help="Name der Wegwerf-Datenbank")
    parser.add_argument("--behalten", action="store_true", help="Datenbank am Ende behalten")
    args = parser.parse_args()
    if args.schritte < EIGENE + VERTRETUNG + OE_EINTRAEGE:
        parser.error(f"--schritte mindestens {EIGENE + VERTRETUNG + OE_EINTRAEGE}")
    os.environ.pop("DATABASE_CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with systembereich("Benchmark geschaeftsgang"):
            ergebnis = _lauf(args)
    finally:
        if args.behalten:
            connection.close()
            connection.settings_dict["NAME"] = alter_name
        else:
            connection.creation.destroy_test_db(alter_name, verbosity=0)

    from bench.akten import _zahl

    print(
        f"\nGeschäftsgang-Benchmark: {_zahl(ergebnis['akten'])} Akten, "
        f"{_zahl(ergebnis['offene_schritte'])} offene Schritte in einer Kommune, "
        f"{args.wiederholungen} Anfragen je Messpunkt, Ziel p95 < {ZIEL_P95_MS} ms"
    )
    print(f"Erzeugen: Akten {ergebnis['erzeugen_s']} s, Schritte {ergebnis['schritte_s']} s")
    print(
        f"Postkorb der Person: {ergebnis['postkorb_person']} Einträge "
        f"(davon {ergebnis['in_vertretung']} in Vertretung); OE-Postkorb: {ergebnis['postkorb_oe']}"
    )
    print(
        f"\n{'Messpunkt':<48}{'Median ms':>10}{'p95 ms':>9}{'max ms':>9}  {'Abfragen':<9}"
        f"{'DB ms':>7}"
    )
    for name, werte in ergebnis["messungen"].items():
        ziel = "" if werte["p95_ms"] < ZIEL_P95_MS else "  ✗ Ziel verfehlt"
        abfragen = ",".join(map(str, werte["abfragen"]))
        print(
            f"{name:<48}{werte['median_ms']:>10}{werte['p95_ms']:>9}{werte['max_ms']:>9}  "
            f"{abfragen:<9}{werte['datenbank_ms']:>7}{ziel}"
        )
    print(json.dumps(ergebnis, ensure_ascii=False))


def _vorbereiten(args) -> dict:
    from django.core.management import call_command
    from django.utils import timezone

    from aktenplan import demo as aktenplan_demo
    from aktenplan import services as aktenplan_services
    from bench.daten import akten_erzeugen
    from eakte.akten.models import Vorgang
    from eakte.common.akteur import Akteur
    from eakte.geschaeftsgang.models import (
        Geschaeftsgang,
        Schritt,
        Schrittstatus,
        Verfuegung,
        Vertretung,
    )
    from eakte.kommunen import services as kommunen_services
    from eakte.kommunen.rollen import Rolle

    verbund = kommunen_services.verbund_anlegen(name="Bench-Verbund", slug="bench")
    kommune = kommunen_services.kommune_anlegen_ungeprueft(
        verbund=verbund, name="Benchstadt", slug=KOMMUNE, ags="99999001", aktenzeichen_praefix="BEN"
    )
    system = Akteur.system("Benchmark")
    aktenplan = aktenplan_services.aktenplan_anlegen(
        verbund=verbund, name="Aktenplan Bench", fassung="2026", trenner=".", stellen="1,1,2",
        gueltig_ab=None, akteur=system,
    )  # fmt: skip
    aktenplan_services.aktenplan_importieren(
        aktenplan=aktenplan,
        inhalt=aktenplan_demo.STARTER_PLAN.read_bytes(),
        format="csv",
        akteur=system,
        probelauf=False,
    )
    kommunen_services.benutzer_anlegen_ungeprueft(
        kommune=kommune, username="bench.admin", email="admin@bench.invalid",
        password="Bench-Passwort-2026", rollen=[Rolle.KOMMUNEN_ADMIN], organisationseinheiten=[],
    )  # fmt: skip
    start = time.perf_counter()
    call_command(
        akten_erzeugen.Command(),
        kommune=KOMMUNE,
        akten=args.akten,
        dokumente=args.akten,
        oes=OES,
        force=True,
    )
    erzeugen_s = round(time.perf_counter() - start, 1)

    oes = list(kommune.organisationseinheiten.order_by("id"))
    personen = [
        kommunen_services.benutzer_anlegen_ungeprueft(
            kommune=kommune,
            username=f"bench.p{i}",
            email=f"p{i}@bench.invalid",
            password="Bench-Passwort-2026",
            rollen=[Rolle.SACHBEARBEITUNG],
            organisationseinheiten=[oes[i % OES]],
        )  # fmt: skip
        for i in range(PERSONEN)
    ]
    ich, abwesend = personen[0], personen[1]  # both in OE 0
    heute = timezone.localdate()
    vertretung = Vertretung.objects.create(
        kommune=kommune, abwesend=abwesend, von=heute, bis=heute + timedelta(days=14),
        angelegt_von=abwesend,
    )  # fmt: skip
    vertretung.vertreter.set([ich])

    start = time.perf_counter()
    vorgaenge = list(Vorgang.objects.filter(kommune=kommune).values_list("pk", "akte_id"))
    zufall = random.Random(17)
    jetzt = timezone.now()
    verfuegungen = list(Verfuegung.values)
    # who each step is for: 400 for me, 100 for the absent colleague, 500 for OE 0 (not mine:
    # OE 0 is my OE, so they are in my Postkorb too — use OE 1 for the OE measurement), rest
    # spread over the other people and OEs
    ziele = (
        [("person", ich)] * EIGENE
        + [("person", abwesend)] * VERTRETUNG
        + [("oe", oes[1])] * OE_EINTRAEGE
    )
    andere = personen[2:]
    while len(ziele) < args.schritte:
        if zufall.random() < 0.8:
            ziele.append(("person", zufall.choice(andere)))
        else:
            ziele.append(("oe", zufall.choice(oes[2:])))
    for beginn in range(0, len(ziele), SCHUB):
        teil = ziele[beginn : beginn + SCHUB]
        gaenge = Geschaeftsgang.objects.bulk_create(
            [
                Geschaeftsgang(
                    kommune=kommune,
                    akte_id=(v := zufall.choice(vorgaenge))[1],
                    vorgang_id=v[0],
                    betreff=f"Antwortschreiben {beginn + i}",
                    gestartet_von=zufall.choice(personen),
                )
                for i in range(len(teil))
            ]
        )
        Schritt.objects.bulk_create(
            [
                Schritt(
                    kommune=kommune,
                    geschaeftsgang=gang,
                    position=1,
                    verfuegung=zufall.choice(verfuegungen),
                    empfaenger_person=ziel if art == "person" else None,
                    empfaenger_oe=ziel if art == "oe" else None,
                    empfaenger_kommune=kommune,
                    status=Schrittstatus.AKTIV,
                    absender=gang.gestartet_von,
                    aktiviert_am=jetzt - timedelta(minutes=zufall.randint(0, 60 * 24 * 60)),
                    frist=heute + timedelta(days=zufall.randint(1, 30))
                    if zufall.random() < 0.3
                    else None,
                )
                for gang, (art, ziel) in zip(gaenge, teil, strict=True)
            ]
        )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"erzeugen_s": erzeugen_s, "schritte_s": round(time.perf_counter() - start, 1)}


def _lauf(args) -> dict:
    from django.test import Client
    from django.urls import reverse

    from bench.akten import _maschine, _messen
    from eakte.akten.models import Akte
    from eakte.common.mandantenbereich import bereich
    from eakte.geschaeftsgang import selectors
    from eakte.geschaeftsgang.models import Schritt
    from eakte.kommunen.models import Benutzer, Kommune

    vorbereitung = _vorbereiten(args)
    kommune = Kommune.objects.get(slug=KOMMUNE)
    ich = Benutzer.objects.get(username="bench.p0")
    oe = list(kommune.organisationseinheiten.order_by("id"))[1]
    client = Client()
    client.force_login(ich)
    kollegin = Benutzer.objects.filter(organisationseinheiten=oe).first()
    oe_client = Client()
    oe_client.force_login(kollegin)
    n = args.wiederholungen
    api = {"HTTP_ACCEPT": "application/json"}
    messungen = {
        "Postkorb (Seite 1, 50 von 500)": _messen(client, reverse("geschaeftsgang:postkorb"), n),
        "Postkorb (API, Seite 1 von 50)": _messen(client, "/api/v1/postkorb/", n, **api),
        "Postkorb-Zähler im Kopf (htmx)": _messen(
            client, reverse("geschaeftsgang:postkorb_anzahl"), n
        ),
        "Startseite (mit Postkorb)": _messen(client, reverse("start:startseite"), n),
        "OE-Postkorb (Seite 1, 50 von 500)": _messen(
            oe_client, reverse("geschaeftsgang:oe_postkorb", kwargs={"oe_uuid": oe.uuid}), n
        ),
        "OE-Postkorb (API)": _messen(oe_client, f"/api/v1/postkorb/oe/{oe.uuid}/", n, **api),
    }
    for werte in messungen.values():
        werte.pop("_sql", None)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with bereich([kommune.pk]):
        zeiten = []
        for _ in range(n):
            with CaptureQueriesContext(connection) as erfasst:
                start = time.perf_counter()
                zeilen = list(selectors.postkorb_liste(ich))
                zeiten.append((time.perf_counter() - start) * 1000)
        zeiten.sort()
        messungen["Selektor postkorb_liste (500 Zeilen)"] = {
            "median_ms": round(zeiten[len(zeiten) // 2], 1),
            "p95_ms": round(zeiten[int(len(zeiten) * 0.95) - 1], 1),
            "max_ms": round(zeiten[-1], 1),
            "abfragen": [len(erfasst)],
            "datenbank_ms": "",
        }
        in_vertretung = sum(1 for z in zeilen if z.in_vertretung)
        oe_anzahl = selectors.oe_postkorb(oe).count()
    return {
        "akten": Akte.objects.filter(kommune=kommune).count(),
        "offene_schritte": Schritt.objects.filter(kommune=kommune, status="aktiv").count(),
        "postkorb_person": len(zeilen),
        "in_vertretung": in_vertretung,
        "postkorb_oe": oe_anzahl,
        **vorbereitung,
        "messungen": messungen,
        "ziel_p95_ms": ZIEL_P95_MS,
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "maschine": _maschine(),
    }


if __name__ == "__main__":
    main()
