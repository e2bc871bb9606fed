"""How long signing and checking a PDF take (pyHanko, RSA-2048, generated certificate).

    .venv/bin/python bench/signatur.py [seiten]
Prints figures; no assertions (docs/benchmarks.md records them)."""

import io
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eakte.settings")

import pikepdf  # noqa: E402

from eakte.signatur import pdf  # noqa: E402
from tests.signatur.zertifikate import pkcs12_erzeugen  # noqa: E402


def dokument(seiten: int) -> bytes:
    neu = pikepdf.new()
    for _ in range(seiten):
        neu.add_blank_page(page_size=(595, 842))
    ausgabe = io.BytesIO()
    neu.save(ausgabe)
    return ausgabe.getvalue()


def main() -> None:
    seiten = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    p12 = pkcs12_erzeugen()
    inhalt = dokument(seiten)
    for _ in range(3):
        start = time.perf_counter()
        signiert = pdf.signieren(inhalt, p12=p12, passphrase="geheim", name="B", grund="S")
        signieren = time.perf_counter() - start
        start = time.perf_counter()
        pdf.pruefen(signiert)
        pruefen = time.perf_counter() - start
        start = time.perf_counter()
        pdf.pruefen(inhalt)
        ohne = time.perf_counter() - start
        print(
            f"{seiten} Seiten, {len(inhalt) // 1024} KB: signieren {signieren * 1000:.0f} ms, "
            f"prüfen {pruefen * 1000:.0f} ms, prüfen ohne Signatur {ohne * 1000:.1f} ms"
        )


if __name__ == "__main__":
    main()
