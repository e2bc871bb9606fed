"""Office files, text, HTML and e-mails through the pipeline with the real LibreOffice."""

import http.server
import io
import threading
import zipfile
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import dateien
from eakte.ocr import mail, pipeline
from tests.ocr import beispieldateien as beispiele
from tests.ocr.test_pipeline import _laufen


def _typ(name: str, inhalt: bytes) -> str:
    """The type the upload check gives the file (by content); it must be accepted."""
    datei = SimpleUploadedFile(name, inhalt)
    mime_typ = dateien.dateityp(datei)
    assert dateien._erlaubt(mime_typ), mime_typ
    return mime_typ


def _pdfa_status(archiv: bytes) -> str:
    with pikepdf.open(io.BytesIO(archiv)) as pdf:
        return pdf.open_metadata().pdfa_status


@pytest.mark.parametrize("endung", list(beispiele.QUELLEN))
def test_office_datei_wird_pdfa_mit_text_und_vorschaubild(tmp_path, endung):
    wort = f"Prüfvermerk{endung.capitalize()}"
    inhalt = beispiele.office_datei(endung, wort)
    mime_typ = _typ(f"datei.{endung}", inhalt)
    assert pipeline.umwandelbar(mime_typ), mime_typ
    ergebnis, fortschritt = _laufen(tmp_path, inhalt, mime_typ)
    assert ergebnis.verfahren == "umwandlung" and ergebnis.seiten >= 1
    assert wort in ergebnis.text
    assert _pdfa_status(ergebnis.archiv) == "2B"
    assert ergebnis.vorschaubild.startswith(b"\x89PNG")
    assert fortschritt[-1] == (ergebnis.seiten, ergebnis.seiten)
    assert not (tmp_path / "lo-profil" / "user" / "registrymodifications.xcu").read_text() == ""


def test_text_in_windows_kodierung_wird_richtig_gelesen(tmp_path):
    inhalt = "Aktennotiz: Gespräch über die Straßenbeleuchtung in Dorf-Erbach".encode("cp1252")
    mime_typ = _typ("notiz.txt", inhalt)
    assert mime_typ == "text/plain"
    ergebnis, _ = _laufen(tmp_path, inhalt, mime_typ)
    assert "Gespräch über die Straßenbeleuchtung" in ergebnis.text
    assert _pdfa_status(ergebnis.archiv) == "2B"


class _Zaehler(http.server.BaseHTTPRequestHandler):
    abrufe: list[str] = []

    def do_GET(self):  # noqa: N802
        self.abrufe.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def fremder_server():
    """A web server on loopback that counts what is fetched from it."""
    _Zaehler.abrufe = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Zaehler)
    faden = threading.Thread(target=server.serve_forever, daemon=True)
    faden.start()
    yield f"http://127.0.0.1:{server.server_port}", _Zaehler.abrufe
    server.shutdown()


def _boeses_html(adresse: str) -> str:
    return (
        f'<html><head><link rel="stylesheet" href="{adresse}/stil.css">'
        f'<script src="{adresse}/skript.js"></script></head><body>'
        f'<p style="background:url({adresse}/hintergrund.png)">Ortsbeirat Schönnen tagt.</p>'
        f'<img src="{adresse}/zaehlpixel.png" alt="Pixel"><iframe src="{adresse}/rahmen"></iframe>'
        f'<script>document.write("eingeschleust")</script>'
        f'<a href="{adresse}/link">Einladung</a></body></html>'
    )


def test_html_wird_bereinigt_und_laedt_nichts_nach(tmp_path, fremder_server):
    adresse, abrufe = fremder_server
    inhalt = _boeses_html(adresse).encode()
    mime_typ = _typ("seite.html", inhalt)
    assert mime_typ == "text/html"
    ergebnis, _ = _laufen(tmp_path, inhalt, mime_typ)
    assert "Ortsbeirat Schönnen tagt." in ergebnis.text and "Einladung" in ergebnis.text
    assert "eingeschleust" not in ergebnis.text
    assert abrufe == []


def test_email_mit_html_wird_pdfa_ohne_fremde_inhalte(tmp_path, fremder_server):
    adresse, abrufe = fremder_server
    inhalt = beispiele.email(text="Nur-Text-Fassung", html=_boeses_html(adresse))
    mime_typ = _typ("nachricht.eml", inhalt)
    assert mime_typ == "message/rfc822"
    ergebnis, _ = _laufen(tmp_path, inhalt, mime_typ)
    assert ergebnis.verfahren == "email" and _pdfa_status(ergebnis.archiv) == "2B"
    gerendert = "\n".join(
        seite.extract_text() for seite in pipeline.PdfReader(io.BytesIO(ergebnis.archiv)).pages
    )
    assert "Ortsbeirat Schönnen tagt." in gerendert and "eingeschleust" not in gerendert
    assert "Bauantrag Gartenweg 7" in gerendert and "erika@example.org" in gerendert
    assert abrufe == []


def test_email_kopf_text_und_anlagen(tmp_path):
    innere = beispiele.email(
        betreff="Weitergeleitet: Stellungnahme Naturschutz",
        text="Die Untere Naturschutzbehörde hat keine Bedenken.",
        anlagen=[("Karte.pdf", b"%PDF-1.4 klein", "application/pdf")],
    )
    inhalt = beispiele.email(
        text="Sehr geehrte Damen und Herren,\nanbei Lageplan und Kostenaufstellung.",
        anlagen=[
            ("Lageplan.pdf", b"%PDF-1.4 lageplan", "application/pdf"),
            ("Kosten.xlsx", beispiele.office_datei("xlsx", "Zaunpfosten"), "application/zip"),
            ("leer.txt", b"", "text/plain"),
            ("Stellungnahme.eml", innere),
        ],
    )
    ergebnis, _ = _laufen(tmp_path, inhalt, mail.EML)
    assert ergebnis.verfahren == "email" and ergebnis.seiten >= 1
    for teil in (
        "Betreff: Bauantrag Gartenweg 7",
        "Von: Erika Mustermann <erika@example.org>",
        "An: Bauamt Erbach <bauamt@erbach.de>",
        "Cc: Ordnungsamt <ordnungsamt@erbach.de>",
        "Datum: 04.12.2026 09:15",
        "Kostenaufstellung",
    ):
        assert teil in ergebnis.text, teil
    assert [a.name for a in ergebnis.anlagen] == [
        "Lageplan.pdf",
        "Kosten.xlsx",
        "Stellungnahme.eml",
    ]
    assert ergebnis.anlagen[0].inhalt == b"%PDF-1.4 lageplan"
    assert "„leer.txt“ ist leer (0 Bytes) und wurde übersprungen" in ergebnis.hinweis
    weitergeleitet = ergebnis.anlagen[2].inhalt
    assert _typ("Stellungnahme.eml", weitergeleitet) == mail.EML
    assert "keine Bedenken" in mail.lesen(_ablegen(tmp_path, weitergeleitet), mail.EML).text


def test_mail_datum_in_deutscher_zeit(tmp_path):
    """A mail sent at 23:30 UTC arrived at half past midnight in Erbach, on the next day."""
    utc = beispiele.email().replace(
        b"Date: Fri, 04 Dec 2026 09:15:00 +0100", b"Date: Sat, 05 Dec 2026 23:30:00 +0000"
    )
    assert mail.lesen(_ablegen(tmp_path, utc), mail.EML).datum == "06.12.2026 00:30"


def _ablegen(tmp_path: Path, inhalt: bytes) -> Path:
    pfad = tmp_path / "innere.eml"
    pfad.write_bytes(inhalt)
    return pfad


def test_email_mit_500_anlagen_nimmt_die_eingestellte_anzahl(tmp_path):
    anlagen = [(f"Beleg {n}.txt", f"Beleg Nummer {n}".encode(), "text/plain") for n in range(500)]
    ergebnis, _ = _laufen(tmp_path, beispiele.email(anlagen=anlagen), mail.EML)
    grenze = settings.MAIL_MAX_ANLAGEN
    assert len(ergebnis.anlagen) == grenze
    assert f"500 Anlagen; die ersten {grenze} wurden als eigene Dokumente übernommen" in (
        ergebnis.hinweis
    )
    assert f"die übrigen {500 - grenze} nicht" in ergebnis.hinweis


def test_kennwortgeschuetzte_office_datei_wird_erklaert(tmp_path):
    offen = io.BytesIO(beispiele.office_datei("docx", "Geheimvermerk"))
    geschuetzt = io.BytesIO()
    from msoffcrypto.format.ooxml import OOXMLFile

    OOXMLFile(offen).encrypt("geheim", geschuetzt)
    inhalt = geschuetzt.getvalue()
    mime_typ = _typ("geschuetzt.docx", inhalt)
    with pytest.raises(pipeline.Eingabefehler, match="mit einem Passwort geschützt") as fehler:
        _laufen(tmp_path, inhalt, mime_typ)
    assert "Original bleibt gespeichert" in str(fehler.value)


@pytest.mark.parametrize(
    ("name", "erzeugen"),
    [("alt.doc", beispiele.doc_mit_kennwort), ("alt.xls", beispiele.xls_mit_kennwort)],
)
def test_kennwortgeschuetzte_alte_office_datei_wird_erklaert(tmp_path, name, erzeugen):
    inhalt = erzeugen("Geheimvermerk")
    import msoffcrypto

    assert msoffcrypto.OfficeFile(io.BytesIO(inhalt)).is_encrypted()
    with pytest.raises(pipeline.Eingabefehler, match="mit einem Passwort geschützt") as fehler:
        _laufen(tmp_path, inhalt, _typ(name, inhalt))
    assert "Original bleibt gespeichert" in str(fehler.value)
    assert not (tmp_path / "lo-profil").exists()  # LibreOffice was never started


def test_kennwortgeschuetzte_odt_wird_erklaert(tmp_path):
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w") as archiv:
        archiv.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archiv.writestr(
            "META-INF/manifest.xml",
            '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:'
            '1.0"><manifest:file-entry manifest:full-path="content.xml"><manifest:encryption-data'
            ' manifest:checksum-type="SHA1/1K"/></manifest:file-entry></manifest:manifest>',
        )
        archiv.writestr("content.xml", b"\x93\x11verschluesselt")
    inhalt = puffer.getvalue()
    with pytest.raises(pipeline.Eingabefehler, match="mit einem Passwort geschützt"):
        _laufen(tmp_path, inhalt, _typ("geschuetzt.odt", inhalt))


def test_zip_bombe_wird_vor_der_umwandlung_abgelehnt(tmp_path):
    inhalt = beispiele.zip_bombe()
    assert len(inhalt) < 1024 * 1024
    mime_typ = _typ("harmlos.docx", inhalt)
    with pytest.raises(pipeline.Eingabefehler, match="ZIP-Bombe") as fehler:
        _laufen(tmp_path, inhalt, mime_typ)
    assert "entpackt wäre sie 200 MB groß" in str(fehler.value)
    assert not (tmp_path / "lo-profil").exists()  # LibreOffice was never started


def _soffice_prozesse(ordner: Path) -> list[str]:
    gefunden = []
    for eintrag in Path("/proc").iterdir():
        if not eintrag.name.isdigit():
            continue
        try:
            befehl = (eintrag / "cmdline").read_bytes().replace(b"\x00", b" ").decode()
        except OSError:
            continue
        if str(ordner) in befehl:
            gefunden.append(befehl)
    return gefunden


def test_tabelle_mit_einer_million_zeilen_endet_am_zeitlimit(tmp_path, settings):
    settings.OFFICE_ZEITLIMIT = 5
    inhalt = beispiele.riesige_tabelle()
    mime_typ = _typ("gross.xlsx", inhalt)
    with pytest.raises(pipeline.Eingabefehler, match="nach 5 Sekunden abgebrochen") as fehler:
        _laufen(tmp_path, inhalt, mime_typ)
    assert "zu groß oder zu aufwendig" in str(fehler.value)
    assert _soffice_prozesse(tmp_path) == []  # the whole process group was killed


def test_falsche_endung_zaehlt_nicht(tmp_path):
    docx = beispiele.office_datei("docx", "Endungsprobe")
    mime_typ = _typ("Rechnung.pdf", docx)
    assert mime_typ.startswith("application/vnd.openxmlformats-officedocument")
    ergebnis, _ = _laufen(tmp_path, docx, mime_typ)
    assert "Endungsprobe" in ergebnis.text


def test_beschaedigte_office_datei_wird_erklaert(tmp_path):
    with pytest.raises(pipeline.Eingabefehler, match="beschädigt") as fehler:
        _laufen(
            tmp_path, b"PK\x03\x04 irgendein docx", "application/vnd.openxmlformats-officedocument"
        )
    assert "Original bleibt gespeichert" in str(fehler.value)


def test_outlook_nachricht_mit_anlagen(tmp_path):
    kosten = beispiele.office_datei("xlsx", "Maschendraht")
    inhalt = beispiele.outlook_msg(
        text="Sehr geehrte Damen und Herren,\nanbei Lageplan und Kosten zur Obstwiese.",
        anlagen=[("Lageplan.pdf", b"%PDF-1.4 lageplan"), ("Kosten.xlsx", kosten), ("leer", b"")],
    )
    mime_typ = _typ("Antrag.msg", inhalt)
    assert mime_typ == mail.MSG
    ergebnis, _ = _laufen(tmp_path, inhalt, mime_typ)
    assert ergebnis.verfahren == "email" and _pdfa_status(ergebnis.archiv) == "2B"
    for teil in (
        "Betreff: Bauantrag per Outlook",
        "Von: Erika Mustermann <erika@example.org>",
        "Bauamt Erbach <bauamt@erbach.de>",
        "Ordnungsamt <ordnungsamt@erbach.de>",
        "Obstwiese",
    ):
        assert teil in ergebnis.text, teil
    assert [(a.name, a.inhalt) for a in ergebnis.anlagen] == [
        ("Lageplan.pdf", b"%PDF-1.4 lageplan"),
        ("Kosten.xlsx", kosten),
    ]
    assert "„leer“ ist leer (0 Bytes) und wurde übersprungen" in ergebnis.hinweis


def test_outlook_nachricht_mit_500_anlagen(tmp_path):
    anlagen = [(f"Beleg {n}.txt", f"Beleg Nummer {n}".encode()) for n in range(500)]
    ergebnis, _ = _laufen(tmp_path, beispiele.outlook_msg(anlagen=anlagen), mail.MSG)
    grenze = settings.MAIL_MAX_ANLAGEN
    assert [a.name for a in ergebnis.anlagen] == [f"Beleg {n}.txt" for n in range(grenze)]
    assert f"500 Anlagen; die ersten {grenze} wurden" in ergebnis.hinweis


def test_beschaedigte_outlook_nachricht_wird_erklaert(tmp_path):
    kaputt = beispiele.outlook_msg()[:3000]
    with pytest.raises(pipeline.Eingabefehler, match="Outlook-Nachricht .* beschädigt"):
        _laufen(tmp_path, kaputt, mail.MSG)


def test_odf_zeichnung_bleibt_ohne_texterkennung(tmp_path):
    """LibreOffice Draw is not installed: an ODG is stored, not failed."""
    mime_typ = "application/vnd.oasis.opendocument.graphics"
    assert not pipeline.umwandelbar(mime_typ)
    ergebnis, _ = _laufen(tmp_path, b"PK\x03\x04 zeichnung", mime_typ)
    assert ergebnis.verfahren == "keine"


def test_outlook_nachricht_in_outlook_nachricht(tmp_path):
    inhalt = beispiele.outlook_msg(
        anlagen=[("Weitergeleitet", ("Wildschaden im Forst", "Schaden durch Wildschweine"))]
    )
    ergebnis, _ = _laufen(tmp_path, inhalt, mail.MSG)
    (innere,) = ergebnis.anlagen
    assert innere.name == "Weitergeleitet.msg"
    assert _typ(innere.name, innere.inhalt) == mail.MSG
    pfad = tmp_path / "innere.msg"
    pfad.write_bytes(innere.inhalt)
    gelesen = mail.lesen(pfad, mail.MSG)
    assert gelesen.betreff == "Wildschaden im Forst" and "Wildschweine" in gelesen.text
