"""The Protokoll cannot be changed, its hash chains are verified, and writers never fork them."""

import threading
from contextlib import nullcontext
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from eakte.protokoll.models import Aktion, Protokolleintrag
from eakte.protokoll.pruefung import kette_pruefen
from eakte.protokoll.services import ANFANGS_HASH
from tests.factories import PASSWORT
from tests.protokoll.conftest import eintrag, ohne_schutz


def _pruefen(*args) -> tuple[str, CommandError | None]:
    ausgabe = StringIO()
    try:
        call_command("protokoll_pruefen", *args, stdout=ausgabe)
    except CommandError as fehler:
        return ausgabe.getvalue(), fehler
    return ausgabe.getvalue(), None


def test_jede_kommune_hat_ihre_eigene_kette(erbach, michelstadt):
    for i in range(4):
        eintrag(erbach, f"Erbach {i}")
        eintrag(michelstadt, f"Michelstadt {i}")
    eintrag(erbach, "Erbach 4")
    for kommune, anzahl in ((erbach, 5), (michelstadt, 4)):
        kette = list(Protokolleintrag.objects.filter(kommune=kommune).order_by("laufnummer"))
        assert [e.laufnummer for e in kette] == list(range(1, anzahl + 1))
        assert kette[0].vorheriger_hash == ANFANGS_HASH
        assert all(b.vorheriger_hash == a.hash for a, b in zip(kette, kette[1:], strict=False))
        assert kette_pruefen(kommune.pk) == (anzahl, None)
    ausgabe, fehler = _pruefen()
    assert fehler is None
    assert "Erbach: 5 Einträge, Kette in Ordnung." in ausgabe
    assert "Michelstadt: 4 Einträge, Kette in Ordnung." in ausgabe


@pytest.mark.django_db
def test_aendern_und_loeschen_verweigert_die_datenbank(erbach):
    eintraege = [eintrag(erbach, f"Eintrag {i}") for i in range(3)]
    ziel = eintraege[1]
    versuche = [
        lambda: Protokolleintrag.objects.filter(pk=ziel.pk).update(beschreibung="geschönt"),
        lambda: Protokolleintrag.objects.filter(pk=ziel.pk).delete(),
        lambda: Protokolleintrag.objects.all().delete(),
        lambda: ziel.delete(),
    ]
    for versuch in versuche:
        with pytest.raises(DatabaseError, match="kann nicht geändert oder gelöscht werden"):
            with transaction.atomic():
                versuch()
    ziel.beschreibung = "geschönt"
    with pytest.raises(DatabaseError), transaction.atomic():
        ziel.save()
    assert list(
        Protokolleintrag.objects.order_by("laufnummer").values_list("beschreibung", flat=True)
    ) == ["Eintrag 0", "Eintrag 1", "Eintrag 2"]
    assert kette_pruefen(erbach.pk) == (3, None)


def test_veraenderter_eintrag_wird_gemeldet(erbach, michelstadt):
    for i in range(5):
        eintrag(erbach, f"Eintrag {i + 1}")
    eintrag(michelstadt, "unberührt")
    with ohne_schutz():
        Protokolleintrag.objects.filter(kommune=erbach, laufnummer=3).update(beschreibung="harmlos")
    ausgabe, fehler = _pruefen()
    assert fehler is not None and "1 Protokoll-Kette gebrochen" in str(fehler)
    assert "Erbach: Kette gebrochen bei Eintrag Nr. 3: Inhalt wurde nachträglich verändert" in (
        ausgabe
    )
    assert "Michelstadt: 1 Eintrag, Kette in Ordnung." in ausgabe
    # the trigger is back on
    with pytest.raises(DatabaseError), transaction.atomic():
        Protokolleintrag.objects.filter(laufnummer=1).update(beschreibung="x")


def test_veraenderung_mit_neu_berechnetem_hash_bricht_beim_naechsten(erbach):
    for i in range(5):
        eintrag(erbach, f"Eintrag {i + 1}")
    gefaelscht = Protokolleintrag.objects.get(kommune=erbach, laufnummer=3)
    gefaelscht.beschreibung = "harmlos"
    gefaelscht.hash = gefaelscht.berechne_hash()
    with ohne_schutz():
        gefaelscht.save()
    ausgabe, fehler = _pruefen("--kommune", "erbach")
    assert isinstance(fehler, CommandError)
    assert str(fehler) == "1 Protokoll-Kette gebrochen."
    assert "Nr. 4: Verweis auf den vorigen Eintrag stimmt nicht" in ausgabe


def test_geloeschter_eintrag_wird_gemeldet(erbach):
    for i in range(5):
        eintrag(erbach, f"Eintrag {i + 1}")
    with ohne_schutz():
        Protokolleintrag.objects.filter(kommune=erbach, laufnummer=2).delete()
    ausgabe, fehler = _pruefen("--kommune", "erbach")
    assert isinstance(fehler, CommandError)
    assert str(fehler) == "1 Protokoll-Kette gebrochen."
    assert "Kette gebrochen bei Eintrag Nr. 2: Eintrag Nr. 2 fehlt (gelöscht?)" in ausgabe
    assert kette_pruefen(erbach.pk)[1].laufnummer == 2


def test_unbekannte_kommune(db):
    with pytest.raises(CommandError, match="gibt es nicht"):
        call_command("protokoll_pruefen", "--kommune", "atlantis")


def test_anmelden_und_abmelden_werden_mit_ip_protokolliert(client, datenschutz):
    antwort = client.post(
        "/anmelden/",
        {"username": "ds.erbach", "password": PASSWORT},
        REMOTE_ADDR="203.0.113.7",
    )
    assert antwort.status_code == 302
    client.post("/abmelden/", REMOTE_ADDR="203.0.113.8")
    eintraege = list(Protokolleintrag.objects.order_by("laufnummer"))
    assert [(e.aktion, e.benutzer, e.ip_adresse, e.kommune_id) for e in eintraege] == [
        (Aktion.ANGEMELDET, datenschutz, "203.0.113.7", datenschutz.kommune_id),
        (Aktion.ABGEMELDET, datenschutz, "203.0.113.8", datenschutz.kommune_id),
    ]
    assert "(ds.erbach)" in eintraege[0].benutzer_name


def test_fehlgeschlagene_anmeldung_steht_im_protokoll_der_kommune(client, datenschutz):
    """Issue 20: every sign-in, also a failed one, is in the Protokoll of the person's Kommune
    (source and reason, never the password); a name nobody has writes nothing."""
    client.post("/anmelden/", {"username": "ds.erbach", "password": "falsch-123"})
    eintrag = Protokolleintrag.objects.get()
    assert eintrag.aktion == "anmeldung_fehlgeschlagen" and eintrag.kommune == datenschutz.kommune
    assert eintrag.details["quelle"] == "lokal" and "falsch-123" not in str(eintrag.details)
    client.post("/anmelden/", {"username": "niemand.hier", "password": "falsch-123"})
    assert Protokolleintrag.objects.count() == 1


def _gleichzeitig(anzahl: int, schreiben) -> None:
    """Run schreiben(nummer) in `anzahl` threads started together, each in a transaction."""
    start = threading.Barrier(anzahl)
    fehler: list[BaseException] = []

    def faden_(nummer: int) -> None:
        try:
            start.wait(timeout=30)
            with transaction.atomic():
                schreiben(nummer)
        except BaseException as ausnahme:  # reported to the main thread below
            fehler.append(ausnahme)
        finally:
            connection.close()

    faeden = [threading.Thread(target=faden_, args=(i,)) for i in range(anzahl)]
    for faden in faeden:
        faden.start()
    for faden in faeden:
        faden.join(timeout=60)
    assert not fehler, fehler


def test_zehn_gleichzeitige_schreiber_ergeben_eine_luecklose_kette(transactional_db, erbach):
    anzahl = 10
    _gleichzeitig(anzahl, lambda nummer: eintrag(erbach, f"Schreiber {nummer}"))
    eintraege = list(Protokolleintrag.objects.filter(kommune=erbach).order_by("laufnummer"))
    assert [e.laufnummer for e in eintraege] == list(range(1, anzahl + 1))
    assert sorted(e.beschreibung for e in eintraege) == sorted(
        f"Schreiber {i}" for i in range(anzahl)
    )
    assert kette_pruefen(erbach.pk) == (anzahl, None)


def test_gesammelte_eintraege_werden_am_ende_verkettet(transactional_db, erbach, michelstadt):
    """`gesammelt()` (the Antragseingang): entries of a block are chained at its end; those of a
    savepoint rolled back inside are dropped, an exception drops them all; concurrent writers,
    collected and direct ones, still give one gap-free chain."""
    from eakte.protokoll.services import gesammelt

    with transaction.atomic(), gesammelt():
        eintrag(erbach, "A")
        try:
            with transaction.atomic():
                eintrag(erbach, "verworfen")
                raise ValueError
        except ValueError:
            pass
        eintrag(michelstadt, "M")
        eintrag(erbach, "B")
        assert Protokolleintrag.alle.count() == 0  # nothing written (nor locked) yet
    with pytest.raises(RuntimeError), transaction.atomic(), gesammelt():
        eintrag(erbach, "nie")
        raise RuntimeError
    kette = list(Protokolleintrag.objects.filter(kommune=erbach).order_by("laufnummer"))
    assert [e.beschreibung for e in kette] == ["A", "B"]

    anzahl = 8

    def schreiben(nummer: int) -> None:
        with gesammelt() if nummer % 2 else nullcontext():
            eintrag(erbach, f"Schreiber {nummer}a")
            eintrag(erbach, f"Schreiber {nummer}b")

    _gleichzeitig(anzahl, schreiben)
    assert kette_pruefen(erbach.pk) == (2 + 2 * anzahl, None)
    assert kette_pruefen(michelstadt.pk) == (1, None)
