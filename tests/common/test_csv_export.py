"""The one CSV writer: semicolons, BOM, no formula cells, and a neutralising that round-trips."""

import csv
import io

import pytest

from eakte.common.csv_export import CsvSchreiber, csv_text, zelle, zelle_lesen


@pytest.mark.parametrize(
    ("wert", "geschrieben"),
    [
        ("=SUMME(A1)", "'=SUMME(A1)"),
        ("+49 6062", "'+49 6062"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'schon markiert", "''schon markiert"),
        ("Erbach", "Erbach"),
        (None, ""),
        (12, "12"),
    ],
)
def test_zelle_entschaerft_formeln_und_laesst_sich_zuruecklesen(wert, geschrieben):
    assert zelle(wert) == geschrieben
    assert zelle_lesen(geschrieben) == ("" if wert is None else str(wert))


def test_csv_text_mit_bom_semikolon_und_crlf():
    text = csv_text(["A", "B"], [["=1+1", "x;y"]])
    assert text == '\ufeffA;B\r\n\'=1+1;"x;y"\r\n'
    zeilen = list(csv.reader(io.StringIO(text[1:], newline=""), delimiter=";"))
    assert zeilen == [["A", "B"], ["'=1+1", "x;y"]]


def test_schreiber_gibt_jede_zeile_zurueck():
    assert CsvSchreiber().zeile(["-x", "y"]) == "'-x;y\r\n"
