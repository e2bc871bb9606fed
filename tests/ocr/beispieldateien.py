"""Office files and e-mails for the tests, made in the test: LibreOffice converts small HTML, CSV
and flat-ODF sources into DOCX, DOC, ODT, RTF, XLSX, XLS, ODS, PPTX, PPT and ODP; e-mails come from
Python's `email` package; ZIP bombs and huge sheets are written with zipfile."""

import io
import subprocess
import tempfile
import zipfile
from email.message import EmailMessage
from functools import cache
from pathlib import Path

BRIEF_HTML = """<html><head><meta charset="utf-8"></head><body>
<h1>Gemeinde Erbach – Bauamt</h1>
<p>Sehr geehrte Frau Müller, Ihr Antrag auf Genehmigung der Zaunanlage am Gartenweg 7
wird hiermit genehmigt. Der {wort} ist beigefügt.</p></body></html>"""

TABELLE_CSV = "Position,Betrag\nGrundsteuer B,123\n{wort},45\n"

FOLIE_FODP = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:presentation="urn:oasis:names:tc:opendocument:xmlns:presentation:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2"
 office:mimetype="application/vnd.oasis.opendocument.presentation">
<office:body><office:presentation><draw:page draw:name="Folie1">
<draw:frame svg:x="2cm" svg:y="2cm" svg:width="20cm" svg:height="3cm"><draw:text-box>
<text:p>Breitbandausbau im Odenwald: {wort}</text:p></draw:text-box></draw:frame>
</draw:page></office:presentation></office:body></office:document>"""

# target extension -> (source name, source template, LibreOffice import filter or "")
QUELLEN = {
    "docx": ("brief.html", BRIEF_HTML, "HTML (StarWriter)"),
    "doc": ("brief.html", BRIEF_HTML, "HTML (StarWriter)"),
    "odt": ("brief.html", BRIEF_HTML, "HTML (StarWriter)"),
    "rtf": ("brief.html", BRIEF_HTML, "HTML (StarWriter)"),
    "xlsx": ("tabelle.csv", TABELLE_CSV, "CSV:44,34,76"),
    "xls": ("tabelle.csv", TABELLE_CSV, "CSV:44,34,76"),
    "ods": ("tabelle.csv", TABELLE_CSV, "CSV:44,34,76"),
    "pptx": ("folie.fodp", FOLIE_FODP, ""),
    "ppt": ("folie.fodp", FOLIE_FODP, ""),
    "odp": ("folie.fodp", FOLIE_FODP, ""),
}


@cache
def office_datei(endung: str, wort: str) -> bytes:
    """A small office file of type `endung` whose text contains `wort` (made by LibreOffice)."""
    name, vorlage, filter_ = QUELLEN[endung]
    with tempfile.TemporaryDirectory(prefix="eakte-test-lo-") as ordner:
        ordner = Path(ordner)
        quelle = ordner / name
        quelle.write_text(vorlage.format(wort=wort), encoding="utf-8")
        befehl = ["soffice", f"-env:UserInstallation={(ordner / 'profil').as_uri()}", "--headless"]
        if filter_:
            befehl.append(f"--infilter={filter_}")
        befehl += ["--convert-to", endung, "--outdir", str(ordner), str(quelle)]
        subprocess.run(befehl, check=True, capture_output=True, timeout=120)
        return (ordner / f"{quelle.stem}.{endung}").read_bytes()


def zip_bombe() -> bytes:
    """A DOCX-shaped ZIP whose document part unpacks to 200 MB of spaces (ratio ~1000:1)."""
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED) as archiv:
        archiv.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archiv.open("word/document.xml", "w", force_zip64=True) as teil:
            block = b" " * (1024 * 1024)
            for _ in range(200):
                teil.write(block)
    return puffer.getvalue()


def riesige_tabelle(zeilen: int = 1_000_000) -> bytes:
    """A minimal XLSX (written by hand) with `zeilen` rows of two numbers each."""
    puffer = io.BytesIO()
    with zipfile.ZipFile(puffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archiv:
        archiv.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType='
            '"application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName='
            '"/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archiv.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        archiv.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats'
            '.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"><sheets><sheet name="Daten" sheetId="1" '
            'r:id="rId1"/></sheets></workbook>',
        )
        archiv.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
            'schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with archiv.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as teil:
            teil.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.'
                b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            stueck = []
            for nummer in range(1, zeilen + 1):
                stueck.append(
                    f'<row r="{nummer}"><c><v>{nummer}</v></c><c><v>{nummer * 7919 % 100003}</v></c></row>'
                )
                if len(stueck) == 10_000:
                    teil.write("".join(stueck).encode())
                    stueck = []
            teil.write("".join(stueck).encode() + b"</sheetData></worksheet>")
    return puffer.getvalue()


def email(
    *,
    betreff="Bauantrag Gartenweg 7",
    text="Sehr geehrte Damen und Herren,\nanbei der Lageplan.",
    html=None,
    anlagen=(),
) -> bytes:
    """An e-mail as .eml bytes; `anlagen` are (name, bytes, maintype/subtype) or
    (name, EmailMessage) for an attached message."""
    nachricht = EmailMessage()
    nachricht["Subject"] = betreff
    nachricht["From"] = "Erika Mustermann <erika@example.org>"
    nachricht["To"] = "Bauamt Erbach <bauamt@erbach.de>"
    nachricht["Cc"] = "Ordnungsamt <ordnungsamt@erbach.de>"
    nachricht["Date"] = "Fri, 04 Dec 2026 09:15:00 +0100"
    nachricht["Message-ID"] = "<test-1@example.org>"
    nachricht.set_content(text)
    if html is not None:
        nachricht.add_alternative(html, subtype="html")
    for anlage in anlagen:
        if isinstance(anlage[1], EmailMessage | bytes) and len(anlage) == 2:
            name, innere = anlage
            if isinstance(innere, bytes):
                from email import message_from_bytes, policy

                innere = message_from_bytes(innere, policy=policy.default)
            nachricht.add_attachment(innere, filename=name)
        else:
            name, inhalt, art = anlage
            haupt, unter = art.split("/")
            nachricht.add_attachment(inhalt, maintype=haupt, subtype=unter, filename=name)
    return bytes(nachricht)


def outlook_msg(
    *,
    betreff="Bauantrag per Outlook",
    text="Sehr geehrte Damen und Herren,\nanbei der Lageplan.",
    anlagen=(),
) -> bytes:
    """A minimal Outlook .msg (MS-OXMSG: an OLE compound file), written with extract-msg's own
    OLE writer: message class, subject, body, sender, transport headers (To/Cc/Date) and
    attachments (`anlagen`: (name, bytes) by value, or (name, (subject, body)) embedded)."""
    import struct

    from extract_msg.ole_writer import OleWriter

    def utf16(wert: str) -> bytes:
        return wert.encode("utf-16-le")

    def ganzzahl(kennung: int, wert: int) -> bytes:  # a PT_LONG property entry (16 bytes)
        return struct.pack("<IIII", (kennung << 16) | 0x0003, 6, wert, 0)

    kopf = (
        f"Subject: {betreff}\r\nFrom: Erika Mustermann <erika@example.org>\r\n"
        "To: Bauamt Erbach <bauamt@erbach.de>\r\nCc: Ordnungsamt <ordnungsamt@erbach.de>\r\n"
        "Date: Fri, 04 Dec 2026 09:15:00 +0100\r\n\r\n"
    )
    schreiber = OleWriter()
    schreiber.addEntry("__nameid_version1.0", storage=True)
    for strom in ("00020102", "00030102", "00040102"):  # named properties: none
        schreiber.addEntry(f"__nameid_version1.0/__substg1.0_{strom}", b"")
    schreiber.addEntry("__substg1.0_001A001F", utf16("IPM.Note"))
    schreiber.addEntry("__substg1.0_0037001F", utf16(betreff))
    schreiber.addEntry("__substg1.0_1000001F", utf16(text))
    schreiber.addEntry("__substg1.0_0C1A001F", utf16("Erika Mustermann"))
    schreiber.addEntry("__substg1.0_5D01001F", utf16("erika@example.org"))
    schreiber.addEntry("__substg1.0_007D001F", utf16(kopf))
    schreiber.addEntry(
        "__properties_version1.0",
        struct.pack("<8sIIII8s", bytes(8), 0, len(anlagen), 0, len(anlagen), bytes(8)),
    )
    for nummer, (name, inhalt) in enumerate(anlagen):
        ordner = f"__attach_version1.0_#{nummer:08X}"
        schreiber.addEntry(ordner, storage=True)
        # attach method 1: by value; 5: an embedded message (`inhalt` = (subject, body))
        methode = 5 if isinstance(inhalt, tuple) else 1
        eigenschaften = bytes(8) + ganzzahl(0x3705, methode) + ganzzahl(0x0E21, nummer)
        schreiber.addEntry(f"{ordner}/__properties_version1.0", eigenschaften)
        schreiber.addEntry(f"{ordner}/__substg1.0_3707001F", utf16(name))
        if methode == 1:
            schreiber.addEntry(f"{ordner}/__substg1.0_37010102", inhalt)
            continue
        innen = f"{ordner}/__substg1.0_3701000D"
        schreiber.addEntry(innen, storage=True)
        schreiber.addEntry(f"{innen}/__substg1.0_001A001F", utf16("IPM.Note"))
        schreiber.addEntry(f"{innen}/__substg1.0_0037001F", utf16(inhalt[0]))
        schreiber.addEntry(f"{innen}/__substg1.0_1000001F", utf16(inhalt[1]))
        schreiber.addEntry(f"{innen}/__properties_version1.0", bytes(24))
    with tempfile.TemporaryDirectory(prefix="eakte-test-msg-") as ordner:
        pfad = Path(ordner) / "nachricht.msg"
        schreiber.write(str(pfad))
        return pfad.read_bytes()


def _ole_strom_ersetzen(inhalt: bytes, strom: str, aendern) -> bytes:
    """`inhalt` (an OLE compound file) with stream `strom` replaced by aendern(old bytes), which
    must keep its length (olefile writes streams in place)."""
    import olefile

    with tempfile.NamedTemporaryFile(suffix=".ole") as datei:
        datei.write(inhalt)
        datei.flush()
        with olefile.OleFileIO(datei.name, write_mode=True) as ole:
            alt = ole.openstream(strom).read()
            neu = aendern(alt)
            assert len(neu) == len(alt)
            ole.write_stream(strom, neu)
        return Path(datei.name).read_bytes()


def doc_mit_kennwort(wort: str) -> bytes:
    """A Word 97 .doc marked as encrypted (fEncrypted in the FIB, MS-DOC 2.5.2), as Word writes
    it when a password is set (LibreOffice's command line cannot set one)."""

    def verschluesseln(fib: bytes) -> bytes:
        flags = int.from_bytes(fib[0x0A:0x0C], "little") | 0x0100
        return fib[:0x0A] + flags.to_bytes(2, "little") + fib[0x0C:]

    return _ole_strom_ersetzen(office_datei("doc", wort), "WordDocument", verschluesseln)


def xls_mit_kennwort(wort: str) -> bytes:
    """An Excel 97 .xls with a FILEPASS record (MS-XLS 2.4.117, XOR obfuscation) in its globals,
    in place of the WRITEACCESS record after BOF, as Excel writes a password-protected file."""
    import struct

    def verschluesseln(buch: bytes) -> bytes:
        pos = 0
        while pos < len(buch):
            art, laenge = struct.unpack_from("<HH", buch, pos)
            if art == 0x005C:  # WRITEACCESS: FILEPASS (10 bytes) and the rest as WRITEACCESS
                filepass = struct.pack("<HHHHH", 0x002F, 6, 0, 0x1234, 0x5678)
                rest = struct.pack("<HH", 0x005C, laenge - 10) + buch[pos + 4 : pos + laenge - 6]
                return buch[:pos] + filepass + rest + buch[pos + 4 + laenge :]
            pos += 4 + laenge
        raise AssertionError("kein WRITEACCESS-Satz in der Arbeitsmappe")

    return _ole_strom_ersetzen(office_datei("xls", wort), "Workbook", verschluesseln)
