"""The kind of a file in words ("PDF-Dokument", "Word-Dokument"), for people instead of its MIME
type: on the document page and in the message that refuses an upload."""

# exact MIME types first, then prefixes (longest first), then the top-level type
ARTEN = {
    "application/pdf": "PDF-Dokument",
    "image/tiff": "TIFF-Bild",
    "image/jpeg": "JPEG-Bild",
    "image/png": "PNG-Bild",
    "application/msword": "Word-Dokument",
    "application/vnd.ms-excel": "Excel-Tabelle",
    "application/vnd.ms-powerpoint": "PowerPoint-Präsentation",
    "application/vnd.openxmlformats-officedocument.wordprocessingml": "Word-Dokument",
    "application/vnd.openxmlformats-officedocument.spreadsheetml": "Excel-Tabelle",
    "application/vnd.openxmlformats-officedocument.presentationml": "PowerPoint-Präsentation",
    "application/vnd.openxmlformats-officedocument": "Office-Dokument",
    "application/vnd.oasis.opendocument.text": "OpenDocument-Text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument-Tabelle",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument-Präsentation",
    "application/vnd.oasis.opendocument": "OpenDocument-Datei",
    "text/rtf": "RTF-Dokument",
    "application/rtf": "RTF-Dokument",
    "text/plain": "Textdatei",
    "text/csv": "CSV-Tabelle",
    "text/html": "Webseite (HTML)",
    "message/rfc822": "E-Mail",
    "application/vnd.ms-outlook": "Outlook-E-Mail",
    "application/encrypted": "verschlüsselte Office-Datei",
    "application/octet-stream": "unbekanntes Dateiformat",
    "application/x-dosexec": "ausführbares Programm",
    "application/x-executable": "ausführbares Programm",
    "application/x-msdownload": "ausführbares Programm",
    "application/zip": "ZIP-Archiv",
    "application/x-7z-compressed": "7-Zip-Archiv",
    "application/x-rar": "RAR-Archiv",
    "application/javascript": "Skript",
    "image": "Bild",
    "video": "Video",
    "audio": "Tonaufnahme",
}
_PRAEFIXE = sorted((typ for typ in ARTEN if "/" in typ), key=len, reverse=True)


def in_worten(mime_typ: str) -> str:
    """'PDF-Dokument' for application/pdf; a prefix such as the OOXML family also counts."""
    mime_typ = (mime_typ or "").split(";")[0].strip().lower()
    if mime_typ in ARTEN:
        return ARTEN[mime_typ]
    for praefix in _PRAEFIXE:
        if mime_typ.startswith(praefix):
            return ARTEN[praefix]
    return ARTEN.get(mime_typ.split("/")[0], "anderes Dateiformat")
