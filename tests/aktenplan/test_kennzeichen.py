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
        ("0.2.1", "0.2", "Ebene 3 hat 2 Ziffern, z. B. „0.2.01“"),
        ("10", None, "Ebene 1 hat 1 Ziffer, z. B. „1“"),
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


def test_das_beispiel_der_meldung_ist_selbst_gueltig():
    for kennzeichen, eltern in [("0.2.1", "0.2"), ("6.2.1", "6.2"), ("6.22", "6"), ("1.2", "0")]:
        meldung = PLAN.fehler(kennzeichen, eltern)[0]
        beispiel = meldung.split("z. B. „")[1].split("“")[0]
        assert PLAN.fehler(beispiel, eltern) == [], (kennzeichen, beispiel)


@pytest.mark.parametrize(
    ("eltern", "vorhandene", "erwartet"),
    [
        (None, [], "0"),
        (None, ["0", "1", "6"], "7"),
        ("6", [], "6.1"),
        ("6", ["6.1", "6.2"], "6.3"),
        ("6.2", ["6.2.01", "6.2.07"], "6.2.08"),
        ("6", [f"6.{n}" for n in range(1, 10)], None),  # 6.1 … 6.9: full
        ("6", ["6.1", "6.9"], "6.2"),  # after the last one the first gap
        ("6.2.01", ["6.2.01.05"], "6.2.01.06"),
    ],
)
def test_naechstes_freies_kennzeichen(eltern, vorhandene, erwartet):
    assert PLAN.naechstes(eltern, vorhandene) == erwartet
    if erwartet:
        assert PLAN.fehler(erwartet, eltern) == []


def test_schema_in_worten():
    assert PLAN.schema_text() == "Ebene 1: 1 Ziffer, Ebene 2: 1 Ziffer, ab Ebene 3: 2 Ziffern"


@pytest.mark.parametrize(
    ("text", "jahre"),
    [("10", 10), ("10 Jahre", 10), ("1 Jahr", 1), ("30 J.", 30), (" 5  jahre ", 5)],
)
def test_frist_wie_angezeigt(text, jahre):
    from aktenplan.austausch import frist_lesen

    assert frist_lesen(text) == jahre
    assert frist_lesen("unbefristet") is None
    with pytest.raises(ValueError, match="z. B. „10“ oder „10 Jahre“"):
        frist_lesen("zehn Jahre")


def test_vorschlag_beim_anlegen_und_verschieben(client_als, digitallotse, kleiner_plan, api_als):
    client = client_als(digitallotse)
    seite = client.get(f"/aktenplan/einheit/{kleiner_plan['0.2'].uuid}/neu/")
    assert seite.context["form"].initial["kennzeichen"] == "0.2.03"
    assert (
        "Nächstes freies Kennzeichen unter 0.2: <strong>0.2.03</strong>" in seite.content.decode()
    )
    htmx = client.get("/aktenplan/kennzeichen-vorschlag/?neue_obereinheit=6")
    assert htmx.content.decode() == "Nächstes freies Kennzeichen unter 6: <strong>6.1</strong>. "
    fehlt = client.get("/aktenplan/kennzeichen-vorschlag/?neue_obereinheit=<b>9")
    assert "„&lt;b&gt;9“ gibt es im Aktenplan nicht" in fehlt.content.decode()
    plan = kleiner_plan["0"].aktenplan
    api = api_als(digitallotse).get(
        f"/api/v1/aktenplaene/{plan.uuid}/kennzeichen-vorschlag/", {"unter": "0"}
    )
    assert api.json()["kennzeichen"] == "0.3"
