import pytest

from aktenplan.kennzeichen import Nummerierung

PLAN = Nummerierung(".", (1, 1, 2))


@pytest.mark.parametrize(
    ("kennzeichen", "eltern"),
    [("0", None), ("9", None), ("0.2", "0"), ("0.2.01", "0.2"), ("0.2.01.99", "0.2.01")],
)
def test_gueltige_kennzeichen(kennzeichen, eltern):
    assert PLAN.fehler(kennzeichen, eltern) == []


@pytest.mark.parametrize(
    ("kennzeichen", "eltern", "meldung"),
    [
        ("1.2", "0", "muss das Kennzeichen der übergeordneten Einheit „0“ fortsetzen"),
        ("0.2.01", "0", "genau eine Stelle mehr"),
        ("0.2.1", "0.2", "Ebene 3 hat 2 Ziffer(n), z. B. „0.0.00“"),
        ("10", None, "Ebene 1 hat 1 Ziffer(n)"),
        ("0.a", "0", "passt nicht zum Nummernschema"),
        ("0.2", None, "kein Kennzeichen der obersten Ebene"),
        ("", None, "Das Kennzeichen fehlt"),
        ("0.٣", "0", "passt nicht zum Nummernschema"),
    ],
)
def test_ungueltige_kennzeichen_mit_deutscher_meldung(kennzeichen, eltern, meldung):
    fehler = PLAN.fehler(kennzeichen, eltern)
    assert len(fehler) == 1 and meldung in fehler[0]


def test_sortierschluessel_ordnet_numerisch_in_baumreihenfolge():
    plan = Nummerierung(".", (2,))
    nummern = ["10", "02", "02.10", "02.03", "11.12.01", "11", "11.12"]
    assert sorted(nummern, key=plan.sortierschluessel) == [
        "02",
        "02.03",
        "02.10",
        "10",
        "11",
        "11.12",
        "11.12.01",
    ]


def test_trenner_ist_konfigurierbar():
    plan = Nummerierung("-", (2, 2))
    assert plan.fehler("11-12", "11") == []
    assert plan.eltern_kennzeichen("11-12-01") == "11-12"
