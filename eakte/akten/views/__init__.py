"""Browser pages of the records: the lists, Akte, Vorgang and Dokument pages, upload, download
and preview, zdA, sharing and Wiedervorlagen, one module each.

Thin: every read goes through selectors.py (objects outside it answer 404), every write through
services.py (which checks the permission again and writes the Protokoll).
"""

from .akte import akte_bearbeiten, akte_detail, akte_neu, akte_wiedereroeffnen, akte_zda
from .dokument import (
    dokument_bearbeiten,
    dokument_detail,
    dokument_stornieren,
    dokument_verschieben,
    version_datei,
    version_neu,
    version_vorschau,
)
from .freigabe import freigabe_entziehen, freigaben, oe_freigabe_entziehen
from .hochladeformular import hochladen, hochladen_datei
from .listen import freigegeben, meine
from .uebergabe import benutzer_uebergeben
from .vorgang import (
    vorgang_detail,
    vorgang_neu,
    vorgang_verschieben,
    vorgang_zda,
    vorgang_zip,
)
from .wiedervorlagen import wiedervorlage, wiedervorlage_erledigt

__all__ = [
    "benutzer_uebergeben",
    "akte_bearbeiten",
    "akte_detail",
    "akte_neu",
    "akte_wiedereroeffnen",
    "akte_zda",
    "dokument_bearbeiten",
    "dokument_detail",
    "dokument_stornieren",
    "dokument_verschieben",
    "freigabe_entziehen",
    "freigaben",
    "freigegeben",
    "hochladen",
    "hochladen_datei",
    "meine",
    "oe_freigabe_entziehen",
    "version_datei",
    "version_neu",
    "version_vorschau",
    "vorgang_detail",
    "vorgang_zip",
    "vorgang_neu",
    "vorgang_verschieben",
    "vorgang_zda",
    "wiedervorlage",
    "wiedervorlage_erledigt",
]
