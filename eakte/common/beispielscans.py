"""Realistic scans for tests, benchmarks and demo data: German text rendered at 300 dpi,
slightly skewed, with scanner noise (needs the DejaVu font: Debian package fonts-dejavu-core)."""

import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

# An excerpt of a press article about the IKZ Odenwald (from the project's seed texts).
TEXTDATEI = Path(__file__).resolve().parent / "daten" / "beispieltext.txt"
SCHRIFT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
DPI = 300
# A half A4 page keeps Tesseract fast while staying a real 300 dpi scan.
BREITE, HOEHE = 2480, 1754

BEISPIELTEXT = [
    "Stadt Michelstadt – Der Magistrat",
    "Bescheid über die Erhebung von Kita-Gebühren",
    "Sehr geehrte Frau Schäfer,",
    "für die Betreuung Ihres Kindes in der Kindertagesstätte",
    "Regenbogen werden ab dem 1. August folgende Gebühren festgesetzt.",
    "Gegen diesen Bescheid kann innerhalb eines Monats Widerspruch",
    "erhoben werden. Mit freundlichen Grüßen, Ihr Bürgermeister",
]


def seed_zeilen(anzahl: int = 7, start: int = 0) -> list[str]:
    """`anzahl` lines of eight words of real German text, beginning at line `start`."""
    woerter = TEXTDATEI.read_text(encoding="utf-8").split()
    zeilen = [" ".join(woerter[i : i + 8]) for i in range(0, len(woerter), 8)]
    return [zeilen[(start + n) % len(zeilen)] for n in range(anzahl)]


def seite(
    zeilen: list[str], *, schraeg: float = 0.8, rauschen: int = 1, seed: int = 1
) -> Image.Image:
    bild = Image.new("L", (BREITE, HOEHE), 255)
    zeichnen = ImageDraw.Draw(bild)
    schrift = ImageFont.truetype(SCHRIFT, 50)
    for nummer, zeile in enumerate(zeilen):
        zeichnen.text((160, 160 + nummer * 90), zeile, font=schrift, fill=0)
    bild = bild.rotate(schraeg, resample=Image.BICUBIC, expand=False, fillcolor=255)
    zufall = random.Random(seed)  # noqa: S311 (noise on a generated test scan, not a secret)
    punkte = bild.load()
    for _ in range(rauschen * 4000):
        punkte[zufall.randrange(BREITE), zufall.randrange(HOEHE)] = zufall.choice((0, 90, 200))
    return bild.filter(ImageFilter.GaussianBlur(0.4))


def als_pdf(seiten: list[Image.Image]) -> bytes:
    puffer = io.BytesIO()
    seiten[0].save(puffer, "PDF", resolution=DPI, save_all=True, append_images=seiten[1:])
    return puffer.getvalue()


def als_tiff(seiten: list[Image.Image]) -> bytes:
    puffer = io.BytesIO()
    seiten[0].save(
        puffer,
        "TIFF",
        dpi=(DPI, DPI),
        save_all=True,
        append_images=seiten[1:],
        compression="tiff_lzw",
    )
    return puffer.getvalue()


def als_jpeg(seite_: Image.Image, *, mit_dpi: bool = True) -> bytes:
    puffer = io.BytesIO()
    seite_.convert("RGB").save(
        puffer, "JPEG", quality=85, **({"dpi": (DPI, DPI)} if mit_dpi else {})
    )
    return puffer.getvalue()
