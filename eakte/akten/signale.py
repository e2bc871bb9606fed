"""What the records announce to the apps built on them.

akten is the lower layer: it must not import the OCR or the search. Where a write of the records
sets off their work (an upload starts the OCR and indexes the Dokument), akten sends one of these
signals inside the writing transaction; eakte.ocr and eakte.suche connect to them in their
AppConfig.ready(). Receivers run synchronously in that transaction, so the Dokument is findable
when the write commits and the Verarbeitung exists with it; a receiver's error rolls it back.
"""

from django.dispatch import Signal

# datei (akten.Datei, newly stored), hochgeladen (the uploaded file, for the page count, or None)
datei_gespeichert = Signal()
# dokument_ids (list[int]): Dokumente whose findable contents changed (new, changed, moved)
dokumente_geaendert = Signal()
# akte_id (int): the Akte changed (Betreff, OE, unit, zdA); all its Dokumente are affected
akte_geaendert = Signal()
# alt_id, neu_id (int): the Akten of OE alt_id are led by neu_id now (OEs merged)
oe_umgehaengt = Signal()
# vorgang (akten.Vorgang): a Vorgang was created; sent inside the writing transaction (the
# inbound channels give it its reply token)
vorgang_angelegt = Signal()
# vorgang_id (int): a Vorgang was closed (zdA); sent inside the writing transaction (issue 19)
vorgang_zda_verfuegt = Signal()

# akte, vorgang (or None): sent before an Akte or Vorgang is closed (zdA), inside the
# transaction; a receiver raises ValidationError to refuse (the Geschäftsgang: open steps)
zda_pruefen = Signal()
# request, vorgang: sent while the Vorgang page is rendered; receivers return a rendered section
# (HTML) or "" (the Geschäftsgang adds its Vermerk and the form to start a route)
vorgang_seite = Signal()
# request, dokument, versionen: sent while the Dokument page is rendered; receivers return a
# rendered section (HTML) or "" (the signature app shows the signatures of the PDF Versions)
dokument_seite = Signal()
