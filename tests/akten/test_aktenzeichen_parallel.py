"""Twenty clerks create Akten at the same moment: the Aktenzeichen stay gap-free and unique.

Every creation runs on its own database connection (threads, and in one test separate
processes), all released together, so the counter upsert in `aktenzeichen.naechste_nummer` is
really contended. Committed rows are needed for that, hence `transactional_db`.
"""

import contextvars
import subprocess
import sys
import textwrap
import threading
from collections import defaultdict

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from aktenplan.models import Aktenplaneinheit
from eakte.akten import services
from eakte.akten.models import Akte, Aktenzeichenzaehler
from eakte.kommunen.models import Benutzer, Organisationseinheit
from eakte.kommunen.rollen import Rolle
from eakte.protokoll import pruefung
from tests.conftest import ROOT, _test_database_url
from tests.hilfen import akteur_von

pytestmark = pytest.mark.timeout(120)

SACHBEARBEITENDE = 20


class AbsichtlicherAbbruch(Exception):
    """Raised after the number was given, to roll one creation back."""


@pytest.fixture
def zwanzig_sachbearbeitende(transactional_db, erbach, bauamt):
    """Twenty clerks of the Erbach Bauamt (no usable password: hashing twenty would be slow)."""
    personen = Benutzer.objects.bulk_create(
        Benutzer(kommune=erbach, username=f"sb{nummer:02d}.erbach", password="!")
        for nummer in range(SACHBEARBEITENDE)
    )
    rolle = Group.objects.get(name=Rolle.SACHBEARBEITUNG.value)
    for person in personen:
        person.groups.add(rolle)
        person.organisationseinheiten.add(bauamt)
    return personen


def _gleichzeitig(auftraege):
    """Run each (benutzer_pk, einheit_pk, oe_pk, abbrechen) in its own thread and connection.

    Returns the created Akten's pks (None for a rolled-back one) and the unexpected errors.
    """
    sperre = threading.Barrier(len(auftraege), timeout=60)
    ergebnisse: list = [None] * len(auftraege)
    fehler: list[BaseException] = []

    def arbeit(index, benutzer_pk, einheit_pk, oe_pk, abbrechen):
        try:
            benutzer = Benutzer.objects.select_related("kommune").get(pk=benutzer_pk)
            einheit = Aktenplaneinheit.objects.get(pk=einheit_pk)
            oe = Organisationseinheit.objects.get(pk=oe_pk)
            benutzer.rollen  # noqa: B018 - read the roles before the start, not in the race
            sperre.wait()
            try:
                with transaction.atomic():
                    akte = services.akte_anlegen(
                        akteur=akteur_von(benutzer),
                        aktenplaneinheit=einheit,
                        betreff=f"Gleichzeitig angelegt Nr. {index}",
                        federfuehrende_oe=oe,
                    )
                    if abbrechen:
                        raise AbsichtlicherAbbruch
                ergebnisse[index] = akte.pk
            except AbsichtlicherAbbruch:
                ergebnisse[index] = None
        except BaseException as ausnahme:  # noqa: BLE001 - reported to the test below
            fehler.append(ausnahme)
            sperre.abort()
        finally:
            connection.close()

    # Each thread runs in a copy of the test's context: the system Bereich of the test body.
    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(arbeit, index, *auftrag))
        for index, auftrag in enumerate(auftraege)
    ]
    for thread in threads:
        thread.daemon = True
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert not any(thread.is_alive() for thread in threads), "ein Thread hängt"
    return ergebnisse, fehler


def _nummern_je_kennzeichen(kommune) -> dict[str, list[int]]:
    nummern = defaultdict(list)
    for kennzeichen, nummer in Akte.objects.filter(kommune=kommune).values_list(
        "kennzeichen", "laufende_nummer"
    ):
        nummern[kennzeichen].append(nummer)
    return {kennzeichen: sorted(liste) for kennzeichen, liste in nummern.items()}


def _zaehlerstaende(kommune) -> dict[str, int]:
    return dict(
        Aktenzeichenzaehler.objects.filter(
            kommune=kommune, jahr=timezone.localdate().year
        ).values_list("kennzeichen", "letzte_nummer")
    )


def test_zwanzig_gleichzeitige_anlagen_ergeben_lueckenlose_nummern(
    zwanzig_sachbearbeitende, kleiner_plan, bauamt, erbach
):
    sitzungen, wahlen = kleiner_plan["0.2.01"], kleiner_plan["0.2.02"]
    auftraege = [
        (person.pk, (wahlen if index % 4 == 3 else sitzungen).pk, bauamt.pk, False)
        for index, person in enumerate(zwanzig_sachbearbeitende)
    ]

    ergebnisse, fehler = _gleichzeitig(auftraege)

    assert fehler == []
    assert None not in ergebnisse
    assert _nummern_je_kennzeichen(erbach) == {
        "0.2.01": list(range(1, 16)),
        "0.2.02": list(range(1, 6)),
    }
    akten = Akte.objects.filter(kommune=erbach)
    jahr = timezone.localdate().year
    assert len(set(akten.values_list("aktenzeichen", flat=True))) == SACHBEARBEITENDE
    assert set(akten.values_list("aktenzeichen", flat=True)) == {
        f"ERB-0.2.01-{n:04d}/{jahr}" for n in range(1, 16)
    } | {f"ERB-0.2.02-{n:04d}/{jahr}" for n in range(1, 6)}
    assert _zaehlerstaende(erbach) == {"0.2.01": 15, "0.2.02": 5}
    # The Protokoll of the Kommune stays one unbroken chain, one entry per Akte.
    assert pruefung.kette_pruefen(erbach.pk) == (SACHBEARBEITENDE, None)


def test_zurueckgerollte_gleichzeitige_anlagen_hinterlassen_keine_luecke(
    zwanzig_sachbearbeitende, kleiner_plan, bauamt, erbach
):
    sitzungen = kleiner_plan["0.2.01"]
    auftraege = [
        (person.pk, sitzungen.pk, bauamt.pk, index % 3 == 0)
        for index, person in enumerate(zwanzig_sachbearbeitende)
    ]
    abgebrochen = sum(1 for *_, abbrechen in auftraege if abbrechen)

    ergebnisse, fehler = _gleichzeitig(auftraege)

    assert fehler == []
    bestehend = SACHBEARBEITENDE - abgebrochen
    assert ergebnisse.count(None) == abgebrochen == 7
    assert _nummern_je_kennzeichen(erbach) == {"0.2.01": list(range(1, bestehend + 1))}
    assert _zaehlerstaende(erbach) == {"0.2.01": bestehend}
    assert pruefung.kette_pruefen(erbach.pk) == (bestehend, None)
    # The next creation continues right after the last committed number.
    naechste = services.akte_anlegen(
        akteur=akteur_von(zwanzig_sachbearbeitende[0]),
        aktenplaneinheit=sitzungen,
        betreff="Danach",
        federfuehrende_oe=bauamt,
    )
    assert naechste.laufende_nummer == bestehend + 1


# --- separate processes ---------------------------------------------------------------------

PROZESSE, THREADS_JE_PROZESS = 4, 5

# Runs in each worker process: prepares, says "bereit", waits for "los" on stdin, then creates
# its Akten from several threads at once (every third one rolled back) and prints the results.
ARBEITER = textwrap.dedent(
    """
    import json, sys, threading
    import django
    django.setup()
    from django.db import connection, transaction
    from aktenplan.models import Aktenplaneinheit
    from eakte.akten import services
    from eakte.common.mandantenbereich import systembereich
    from tests.hilfen import akteur_von
    from eakte.kommunen.models import Benutzer, Organisationseinheit

    prozess, auftraege = int(sys.argv[1]), json.loads(sys.argv[2])
    ergebnisse, fehler = [None] * len(auftraege), []
    bereit = threading.Barrier(len(auftraege) + 1, timeout=60)
    start = threading.Event()

    def arbeit(index, benutzer_pk, einheit_pk, oe_pk, abbrechen):
        try:
            benutzer = Benutzer.objects.select_related("kommune").get(pk=benutzer_pk)
            einheit = Aktenplaneinheit.objects.get(pk=einheit_pk)
            oe = Organisationseinheit.objects.get(pk=oe_pk)
            benutzer.rollen
            bereit.wait()
            start.wait(60)
            try:
                with transaction.atomic():
                    akte = services.akte_anlegen(
                        akteur=akteur_von(benutzer), aktenplaneinheit=einheit,
                        betreff=f"Prozess {prozess} Nr. {index}", federfuehrende_oe=oe,
                    )
                    if abbrechen:
                        raise KeyboardInterrupt
                ergebnisse[index] = akte.aktenzeichen
            except KeyboardInterrupt:
                ergebnisse[index] = "abgebrochen"
        except BaseException as ausnahme:
            fehler.append(repr(ausnahme))
            bereit.abort()
        finally:
            connection.close()

    def im_systembereich(*args):
        with systembereich("Test-Prozess"):
            arbeit(*args)

    threads = [
        threading.Thread(target=im_systembereich, args=(i, *a)) for i, a in enumerate(auftraege)
    ]
    for thread in threads:
        thread.start()
    bereit.wait()
    print("bereit", flush=True)
    sys.stdin.readline()
    start.set()
    for thread in threads:
        thread.join()
    print(json.dumps({"ergebnisse": ergebnisse, "fehler": fehler}), flush=True)
    """
)


def test_gleichzeitige_anlagen_aus_mehreren_prozessen(
    zwanzig_sachbearbeitende, kleiner_plan, bauamt, erbach
):
    import json
    import os

    sitzungen, wahlen = kleiner_plan["0.2.01"], kleiner_plan["0.2.02"]
    env = dict(os.environ, DATABASE_URL=_test_database_url(), DATABASE_CONN_MAX_AGE="0")
    prozesse = []
    try:
        for prozess in range(PROZESSE):
            auftraege = []
            for index in range(THREADS_JE_PROZESS):
                nummer = prozess * THREADS_JE_PROZESS + index
                einheit = wahlen if nummer % 2 else sitzungen
                auftraege.append(
                    [zwanzig_sachbearbeitende[nummer].pk, einheit.pk, bauamt.pk, nummer % 5 == 0]
                )
            prozesse.append(
                subprocess.Popen(
                    [sys.executable, "-c", ARBEITER, str(prozess), json.dumps(auftraege)],
                    cwd=ROOT,
                    env=env,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
            )
        for process in prozesse:  # every process has its connections open and waits
            zeile = process.stdout.readline()
            assert zeile.strip() == "bereit", process.stderr.read()[-3000:]
        for process in prozesse:
            process.stdin.write("los\n")
            process.stdin.flush()
        berichte = []
        for process in prozesse:
            ausgabe, stoerung = process.communicate(timeout=60)
            assert process.returncode == 0, stoerung[-3000:]
            berichte.append(json.loads(ausgabe.strip().splitlines()[-1]))
    finally:
        for process in prozesse:
            if process.poll() is None:
                process.kill()
                process.wait()

    assert [bericht["fehler"] for bericht in berichte] == [[]] * PROZESSE
    ergebnisse = [az for bericht in berichte for az in bericht["ergebnisse"]]
    assert ergebnisse.count("abgebrochen") == 4
    # 20 creations, ten under each Kennzeichen; 0 and 10 (Sitzungen), 5 and 15 (Wahlen) rolled back.
    assert _nummern_je_kennzeichen(erbach) == {
        "0.2.01": list(range(1, 9)),
        "0.2.02": list(range(1, 9)),
    }
    gemeldet = sorted(az for az in ergebnisse if az != "abgebrochen")
    assert gemeldet == sorted(
        Akte.objects.filter(kommune=erbach).values_list("aktenzeichen", flat=True)
    )
    assert len(set(gemeldet)) == 16
    assert _zaehlerstaende(erbach) == {"0.2.01": 8, "0.2.02": 8}
    assert pruefung.kette_pruefen(erbach.pk) == (16, None)
