"""Office files, plain text and HTML to PDF/A-2b with LibreOffice (pure file work, no database).

One `soffice --headless` process per conversion, with a profile directory of its own (parallel
workers never share one, and nothing is left behind), macros switched off in that profile, a time
limit after which the whole process group is killed. PDF/A-2b comes from LibreOffice's own PDF
export (`SelectPdfVersion=2`): the fonts LibreOffice lays out with are the ones it embeds, so no
second pass through OCRmyPDF is needed.
"""

import functools
import logging
import os
import signal
import subprocess
import time
import zipfile
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

NACHLADEN = "Das Original bleibt gespeichert und kann heruntergeladen werden."
OLE_KENNUNG = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDFA_EXPORT = 'pdf:writer_pdf_Export:{"SelectPdfVersion":{"type":"long","value":"2"}}'

# Written into the fresh profile before soffice starts: no macros at all (not even signed
# ones), no remote graphics or links fetched while loading a document.
PROFIL = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting">
 <prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update">
 <prop oor:name="Link" oor:op="fuse"><value>1</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Misc">
 <prop oor:name="UseLocking" oor:op="fuse"><value>false</value></prop></item>
</oor:items>
"""


class Umwandlungsfehler(Exception):
    """The file cannot be converted; the message is German and meant for the clerk."""


@functools.cache
def version() -> str:
    """LibreOffice's name and version (asked once per worker process)."""
    try:
        ausgabe = subprocess.run(
            [settings.OFFICE_SOFFICE, "--version"], capture_output=True, text=True, timeout=30
        ).stdout.split()
        return " ".join(ausgabe[:2]) or "LibreOffice"
    except (subprocess.SubprocessError, OSError):
        return "LibreOffice"


def pruefen(pfad: Path) -> None:
    """Refuse before conversion what LibreOffice must not be given: password-protected files
    and ZIP bombs (unpacked size or compression ratio beyond the settings)."""
    with pfad.open("rb") as datei:
        kopf = datei.read(8)
    if kopf == OLE_KENNUNG:
        _ole_pruefen(pfad)
    elif kopf.startswith(b"PK"):
        _zip_pruefen(pfad)


def _kennwort_meldung() -> str:
    return (
        "Die Datei ist mit einem Passwort geschützt und kann deshalb nicht gelesen werden. Bitte "
        "die Datei ohne Passwortschutz speichern und erneut hochladen. " + NACHLADEN
    )


def _ole_pruefen(pfad: Path) -> None:
    import msoffcrypto
    import olefile

    try:
        with olefile.OleFileIO(str(pfad)) as ole:
            if ole.exists("EncryptedPackage"):  # DOCX/XLSX/PPTX saved with a password
                raise Umwandlungsfehler(_kennwort_meldung())
        with pfad.open("rb") as datei:
            verschluesselt = msoffcrypto.OfficeFile(datei).is_encrypted()
    except Umwandlungsfehler:
        raise
    except Exception:  # noqa: BLE001  (msoffcrypto knows doc/xls/ppt only; LibreOffice decides)
        return
    if verschluesselt:
        raise Umwandlungsfehler(_kennwort_meldung())


def _zip_pruefen(pfad: Path) -> None:
    try:
        with zipfile.ZipFile(pfad) as archiv:
            eintraege = archiv.infolist()
            if "META-INF/manifest.xml" in archiv.namelist():
                manifest = archiv.read("META-INF/manifest.xml")[:1_000_000]
                if b"encryption-data" in manifest:  # ODF saved with a password
                    raise Umwandlungsfehler(_kennwort_meldung())
    except zipfile.BadZipFile as fehler:
        raise Umwandlungsfehler(
            f"Die Datei ist beschädigt (kein gültiges Office-Dokument). {NACHLADEN}"
        ) from fehler
    entpackt = sum(eintrag.file_size for eintrag in eintraege)
    gepackt = max(1, sum(eintrag.compress_size for eintrag in eintraege))
    grenze = settings.OFFICE_MAX_ENTPACKT_MB * 1024 * 1024
    # tiny files compress well too; a ratio only says something about larger contents
    zu_dicht = entpackt > 10 * 1024 * 1024 and entpackt / gepackt > settings.OFFICE_MAX_KOMPRESSION
    if entpackt > grenze or zu_dicht or len(eintraege) > 10_000:
        logger.warning(
            "Office-Datei abgelehnt: %s Bytes entpackt, %s gepackt, %s Einträge",
            entpackt,
            gepackt,
            len(eintraege),
        )
        raise Umwandlungsfehler(
            "Die Datei wird nicht umgewandelt: entpackt wäre sie "
            f"{entpackt // (1024 * 1024)} MB groß (erlaubt sind "
            f"{settings.OFFICE_MAX_ENTPACKT_MB} MB bei höchstens "
            f"{settings.OFFICE_MAX_KOMPRESSION}-facher Verdichtung). Solche Dateien sind meist "
            "beschädigt oder absichtlich so gebaut (ZIP-Bombe). Bitte beim Absender eine "
            f"normale Fassung anfordern. {NACHLADEN}"
        )


def nach_pdfa(eingabe: Path, arbeitsordner: Path, *, filter_: str = "") -> Path:
    """Convert `eingabe` to PDF/A-2b in `arbeitsordner`; returns the PDF's path.

    `filter_` forces LibreOffice's import filter (e.g. "HTML (StarWriter)" so that HTML is laid
    out as a Writer document, "Text (encoded):UTF8" for plain text).
    """
    profil = arbeitsordner / "lo-profil"
    (profil / "user").mkdir(parents=True, exist_ok=True)
    (profil / "user" / "registrymodifications.xcu").write_text(PROFIL, encoding="utf-8")
    ausgabe = arbeitsordner / "lo-ausgabe"
    ausgabe.mkdir(exist_ok=True)
    befehl = [
        settings.OFFICE_SOFFICE,
        f"-env:UserInstallation={profil.as_uri()}",
        "--headless",
        "--invisible",
        "--nologo",
        "--norestore",
        "--nodefault",
        "--nolockcheck",
    ]
    if filter_:
        befehl.append(f"--infilter={filter_}")
    befehl += ["--convert-to", PDFA_EXPORT, "--outdir", str(ausgabe), str(eingabe)]
    umgebung = dict(os.environ, HOME=str(profil), SAL_USE_VCLPLUGIN="svp")
    limit = settings.OFFICE_ZEITLIMIT
    process = subprocess.Popen(
        befehl,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=umgebung,
        cwd=arbeitsordner,
        start_new_session=True,  # its own process group: a kill reaches soffice.bin too
    )
    try:
        protokoll, _ = process.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        _beenden(process)
        raise Umwandlungsfehler(
            f"Die Umwandlung in PDF/A wurde nach {limit} Sekunden abgebrochen: die Datei ist zu "
            "groß oder zu aufwendig, um sie in vertretbarer Zeit umzuwandeln (z. B. eine "
            "Tabelle mit sehr vielen Zeilen). Bitte in kleinere Dateien teilen oder als PDF "
            f"speichern und hochladen. {NACHLADEN}"
        ) from None
    finally:
        _beenden(process)
    ergebnis = ausgabe / (eingabe.stem + ".pdf")
    if process.returncode != 0 or not ergebnis.exists() or ergebnis.stat().st_size == 0:
        logger.warning(
            "LibreOffice konnte %s nicht umwandeln (Code %s): %s",
            eingabe.name,
            process.returncode,
            protokoll.decode(errors="replace")[-2000:],
        )
        raise Umwandlungsfehler(
            "Die Datei konnte nicht in PDF/A umgewandelt werden: sie ist beschädigt, mit einem "
            "Passwort geschützt oder in einem Format, das LibreOffice nicht lesen kann. Bitte "
            f"die Datei prüfen oder als PDF speichern und hochladen. {NACHLADEN}"
        )
    return ergebnis


def _beenden(process: subprocess.Popen) -> None:
    """Kill the process group (oosplash and soffice.bin) and wait until every member is gone:
    a soffice.bin freeing a large document can outlive its parent for a moment, and the next job
    must not find it still running."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:  # pragma: no cover - a zombie that SIGKILL did not end
        logger.error("soffice (pid %s) endet nicht", process.pid)
    frist = time.monotonic() + 30
    while time.monotonic() < frist:
        try:
            os.killpg(process.pid, 0)  # anyone of the group left?
        except (ProcessLookupError, PermissionError):
            return
        time.sleep(0.1)
    logger.error("Prozessgruppe von soffice (pid %s) besteht nach 30 s noch", process.pid)
