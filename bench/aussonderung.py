"""Benchmark of the Aussonderung: the 0501 Anbieteverzeichnis for many Akten and the 0503 ZIP
with all primary files, both written as streams. Reports time, file-data throughput and the
peak memory (RSS) of the process that writes each message.

Creates a database (default eakte_aussonderung_daten), fills one Kommune with Akten (one
Vorgang each), Dokumente and stored files of random content (files written straight to the
storage under a temporary MEDIA_ROOT), then writes

  a) the 0501 for --akten Akten (metadata only, with Vorgänge),
  b) the 0503 for --abgabe-akten Akten with --dateien files of --dateigroesse bytes,

each in a forked child process, so that its peak RSS is its own (ru_maxrss of the child).

    make bench BENCH=aussonderung                      # 10,000 Akten; 1,000 Akten / 20,000 files
    make bench BENCH=aussonderung ARGS="--akten 1000 --abgabe-akten 100 --dateien 2000"
"""

import argparse
import hashlib
import json
import os
import platform
import resource
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

ZIEL_RSS_MB = 300
ZIEL_MB_S = 50


def _daten(args, medien: Path) -> dict:
    from aktenplan.models import Aktenplan, Aktenplaneinheit
    from eakte.akten.models import Akte, Datei, Dokument, Version, Vorgang
    from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit, Verbund

    verbund = Verbund.objects.create(name="Benchverbund", slug="benchverbund")
    kommune = Kommune.objects.create(
        verbund=verbund,
        name="Benchstadt",
        slug="benchstadt",
        ags="06431999",
        aktenzeichen_praefix="BEN",
    )
    oe = Organisationseinheit.objects.create(kommune=kommune, name="Hauptamt", kuerzel="HA")
    person = Benutzer.objects.create(kommune=kommune, username="bench", password="!")
    plan = Aktenplan.objects.create(verbund=verbund, name="Plan", stellen="1,1,2")
    einheit = Aktenplaneinheit.objects.create(
        aktenplan=plan,
        kennzeichen="0",
        sortierschluessel="0",
        ebene=1,
        titel="Verwaltung",
        aufbewahrungsfrist=10,
        aussonderungsart="A",
    )
    gesamt = max(args.akten, args.abgabe_akten)
    akten = Akte.objects.bulk_create(
        Akte(
            kommune=kommune,
            aktenplaneinheit=einheit,
            betreff=f"Benchakte Nummer {i} Hauptstraße",
            federfuehrende_oe=oe,
            aktenfuehrende_oe=oe,
            aktenzeichen=f"BEN-0-{i:06d}/2000",
            kennzeichen="0",
            jahr=2000,
            laufende_nummer=i + 1,
            beginn=date(2000, 1, 1),
            ende=date(2005, 12, 31),
            zda_am=date(2005, 12, 31),
            aufbewahrung_bis=date(2015, 12, 31),
            angelegt_von=person,
        )
        for i in range(gesamt)
    )
    vorgaenge = Vorgang.objects.bulk_create(
        Vorgang(
            kommune=kommune,
            akte=akte,
            nummer=1,
            vorgangszeichen=f"{akte.aktenzeichen}#1",
            betreff=f"Vorgang zu {akte.betreff}",
            angelegt_von=person,
        )
        for akte in akten
    )
    je_akte = max(1, args.dateien // args.abgabe_akten)
    rest = os.urandom(args.dateigroesse)
    dateien, dokumente, versionen = [], [], []
    for nummer in range(args.abgabe_akten * je_akte):
        inhalt = nummer.to_bytes(8, "big") + rest[8:]
        summe = hashlib.sha256(inhalt).hexdigest()
        ort = f"{kommune.uuid}/{summe[:2]}/{summe}"
        (medien / ort).parent.mkdir(parents=True, exist_ok=True)
        (medien / ort).write_bytes(inhalt)
        dateien.append(
            Datei(
                kommune=kommune,
                sha256=summe,
                groesse=len(inhalt),
                mime_typ="application/pdf",
                speicherort=ort,
            )
        )
    dateien = Datei.alle.bulk_create(dateien, batch_size=2000)
    for nummer in range(len(dateien)):
        vorgang = vorgaenge[nummer // je_akte]
        dokumente.append(
            Dokument(
                kommune=kommune,
                akte_id=vorgang.akte_id,
                vorgang=vorgang,
                titel=f"Dokument {nummer}",
                typ="eingang",
                angelegt_von=person,
                letzte_versionsnummer=1,
            )
        )
    dokumente = Dokument.objects.bulk_create(dokumente, batch_size=2000)
    for dokument, datei in zip(dokumente, dateien, strict=True):
        versionen.append(
            Version(
                kommune=kommune,
                dokument=dokument,
                nummer=1,
                datei=datei,
                dateiname=f"{dokument.titel}.pdf",
                hochgeladen_von=person,
            )
        )
    Version.objects.bulk_create(versionen, batch_size=2000)
    return {
        "kommune": kommune.pk,
        "akten": [a.pk for a in akten],
        "je_akte": je_akte,
        "dateien": len(dateien),
    }


def _im_kind(arbeit) -> dict:
    """Run `arbeit()` in a forked child; returns its result plus the child's peak RSS."""
    from django.db import connections

    connections.close_all()
    lesen, schreiben = os.pipe()
    kind = os.fork()
    if kind == 0:  # the child
        os.close(lesen)
        try:
            ergebnis = arbeit()
            ergebnis["rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
        except BaseException as fehler:  # noqa: BLE001 - reported to the parent
            ergebnis = {"fehler": repr(fehler)}
        with os.fdopen(schreiben, "w") as ausgang:
            json.dump(ergebnis, ausgang)
        os._exit(0)
    os.close(schreiben)
    with os.fdopen(lesen) as eingang:
        text = eingang.read()
    os.waitpid(kind, 0)
    ergebnis = json.loads(text)
    if "fehler" in ergebnis:
        raise RuntimeError(ergebnis["fehler"])
    return ergebnis


def _0501(kommune_pk, akten_pks, validieren: bool) -> dict:
    from eakte.akten.models import Akte
    from eakte.aussonderung import selectors, xdomea

    start = time.perf_counter()
    akten = list(
        Akte.objects.filter(pk__in=akten_pks)
        .select_related("aktenplaneinheit", "federfuehrende_oe")
        .order_by("pk")
    )
    kopf = xdomea.Kopf(
        akten[0].uuid,
        "0501",
        xdomea.Kontakt("BEN", "Benchstadt"),
        xdomea.Kontakt("HStAD", "Staatsarchiv"),
    )
    with tempfile.NamedTemporaryFile(suffix=".xml") as ziel:
        xdomea.nachricht_schreiben(
            ziel, kopf, selectors.akten_daten(akten, selectors.aussonderungsarten(akten))
        )
        ziel.flush()
        dauer = time.perf_counter() - start
        groesse = os.path.getsize(ziel.name)
        pruefung = None
        if validieren:
            beginn = time.perf_counter()
            xdomea.validieren(ziel.name)
            pruefung = round(time.perf_counter() - beginn, 2)
    return {
        "akten": len(akten),
        "s": round(dauer, 2),
        "xml_mb": round(groesse / 2**20, 1),
        "validieren_s": pruefung,
    }


def _0503(kommune_pk, akten_pks) -> dict:
    from eakte.akten.models import Akte
    from eakte.aussonderung import services, xdomea

    akten = list(
        Akte.objects.filter(pk__in=akten_pks)
        .select_related("aktenplaneinheit", "federfuehrende_oe")
        .order_by("pk")
    )
    kopf = xdomea.Kopf(
        akten[0].uuid,
        "0503",
        xdomea.Kontakt("BEN", "Benchstadt"),
        xdomea.Kontakt("HStAD", "Staatsarchiv"),
    )
    start = time.perf_counter()
    with tempfile.TemporaryFile() as ziel:
        daten = services.zip_0503_schreiben(ziel, kopf=kopf, akten=akten)
        ziel.flush()
        os.fsync(ziel.fileno())
        dauer = time.perf_counter() - start
        groesse = ziel.tell()
    return {
        "akten": len(akten),
        "s": round(dauer, 2),
        "dateidaten_mb": round(daten / 2**20, 1),
        "zip_mb": round(groesse / 2**20, 1),
        "mb_s": round(daten / 2**20 / dauer, 1),
    }


def _profiliert(an: bool, funktion, *args):
    if not an:
        return funktion(*args)
    import cProfile
    import pstats

    profil = cProfile.Profile()
    ergebnis = profil.runcall(funktion, *args)
    pstats.Stats(profil, stream=sys.stderr).sort_stats("tottime").print_stats(15)
    return ergebnis


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--akten", type=int, default=10_000, help="Akten im 0501")
    parser.add_argument("--abgabe-akten", type=int, default=1_000, help="Akten im 0503")
    parser.add_argument("--dateien", type=int, default=20_000, help="Dateien im 0503")
    parser.add_argument("--dateigroesse", type=int, default=100_000, help="Bytes je Datei")
    parser.add_argument("--validieren", action="store_true", help="das 0501 auch prüfen (XSD)")
    parser.add_argument("--datenbank", default="eakte_aussonderung_daten")
    parser.add_argument("--profil", action="store_true", help="cProfile des 0503 ausgeben")
    args = parser.parse_args()
    os.environ.pop("DATABASE_CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    from eakte.common.mandantenbereich import systembereich

    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = args.datenbank
    alter_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        with tempfile.TemporaryDirectory() as medien, systembereich("Benchmark aussonderung"):
            settings.STORAGES["default"]["OPTIONS"]["location"] = medien
            from django.core.files.storage import storages

            storages._storages.pop("default", None)
            beginn = time.perf_counter()
            daten = _daten(args, Path(medien))
            erzeugen = round(time.perf_counter() - beginn, 1)
            a = _im_kind(
                lambda: _0501(daten["kommune"], daten["akten"][: args.akten], args.validieren)
            )
            b = _im_kind(
                lambda: _profiliert(
                    args.profil, _0503, daten["kommune"], daten["akten"][: args.abgabe_akten]
                )
            )
    finally:
        connection.creation.destroy_test_db(alter_name, verbosity=0)
    print(
        f"Daten erzeugt in {erzeugen} s ({daten['dateien']} Dateien je {args.dateigroesse} Bytes)"
    )
    print(
        f"{'Nachricht':<10}{'Akten':>8}{'Dateien':>9}{'Zeit s':>9}{'MB':>9}{'MB/s':>8}{'RSS MB':>8}"
    )
    print(f"{'0501':<10}{a['akten']:>8}{'–':>9}{a['s']:>9}{a['xml_mb']:>9}{'–':>8}{a['rss_mb']:>8}")
    print(
        f"{'0503':<10}{b['akten']:>8}{daten['dateien']:>9}{b['s']:>9}{b['zip_mb']:>9}"
        f"{b['mb_s']:>8}{b['rss_mb']:>8}"
    )
    print(
        f"Ziele: RSS < {ZIEL_RSS_MB} MB, 0503 ≥ {ZIEL_MB_S} MB/s Dateidaten"
        + (f"; 0501 gegen das XSD geprüft in {a['validieren_s']} s" if a["validieren_s"] else "")
    )
    print(
        json.dumps(
            {
                "0501": a,
                "0503": b,
                "dateigroesse": args.dateigroesse,
                "maschine": {
                    "cpus": os.cpu_count(),
                    "python": platform.python_version(),
                    "system": platform.platform(),
                    "last": round(os.getloadavg()[0], 2),
                },
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
