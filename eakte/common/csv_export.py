"""The one CSV writer of every export: semicolons, CRLF, UTF-8 with BOM (Excel in Germany shows
the umlauts then), and no cell that a spreadsheet would run as a formula (CSV injection).

A cell starting with `=`, `+`, `-`, `@`, tab or CR gets a leading apostrophe (`=SUM(1)` →
`'=SUM(1)`), as spreadsheets themselves mark text. A cell that already starts with an apostrophe
gets one more, so `zelle_lesen` undoes the neutralising exactly and an exported file that is
imported again (the Aktenplan) gives back the same values.
"""

import csv
from collections.abc import Iterable

FORMEL_ANFAENGE = ("=", "+", "-", "@", "\t", "\r")
BOM = "\ufeff"
TRENNZEICHEN = ";"


def zelle(wert) -> str:
    text = "" if wert is None else str(wert)
    return "'" + text if text.startswith((*FORMEL_ANFAENGE, "'")) else text


def zelle_lesen(text: str) -> str:
    """The value of a cell written by `zelle` (for importers of our own exports)."""
    return text[1:] if text.startswith("'") else text


class _Zeile:
    """csv.writer needs a file; this one hands back each written line."""

    def write(self, text: str) -> str:
        return text


class CsvSchreiber:
    """Writes one line at a time and returns it (for streamed responses, too)."""

    def __init__(self):
        self._schreiber = csv.writer(_Zeile(), delimiter=TRENNZEICHEN, lineterminator="\r\n")

    def zeile(self, werte: Iterable) -> str:
        return self._schreiber.writerow([zelle(wert) for wert in werte])


def csv_text(kopf: Iterable, zeilen: Iterable[Iterable], *, bom: bool = True) -> str:
    schreiber = CsvSchreiber()
    teile = [BOM if bom else "", schreiber.zeile(kopf)]
    teile.extend(schreiber.zeile(werte) for werte in zeilen)
    return "".join(teile)
