"""What one submission costs the database (issue 19: p95 < 500 ms at 10 clients is CPU-bound,
every statement counts). A guard against the work creeping back, not a benchmark."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext

from eakte.akten.models import Dokument
from eakte.eingang.models import Antrag
from tests.eingang.conftest import antrag_json

# this submission (two attachments): 60 statements on 2026-12-05, 68 before the write rule's
# short query, the version number at creation, the single index pass, the single file lookup
# and the Zulassung read with its Kommune
HOECHSTENS = 61


def _anweisungen(erfasst, muster: str) -> list[str]:
    return [q["sql"] for q in erfasst.captured_queries if re.search(muster, q["sql"])]


def test_ein_antrag_mit_zwei_dokumenten(plattformclient, regel_bauantrag):
    plattformclient.zustellen(antrag_json("CIV-0"))  # caches, first Akte of the unit
    with CaptureQueriesContext(connection) as erfasst:
        antwort = plattformclient.zustellen(antrag_json("CIV-1"))
    assert antwort.status_code == 201, antwort.content
    neue = Dokument.alle.filter(vorgang=Antrag.alle.get(referenz="CIV-1").vorgang)
    assert neue.count() == 2  # the application PDF and its attachment
    assert len(erfasst.captured_queries) <= HOECHSTENS, len(erfasst.captured_queries)
    # the Dokumente are created with their version number, not updated after
    assert _anweisungen(erfasst, r'^UPDATE "akten_dokument"') == []
    # indexed once, when the new Akte's number is given, and with that number
    assert len(_anweisungen(erfasst, r"^\s*INSERT INTO suche_suchdokument")) == 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT vektor::text FROM suche_suchdokument WHERE dokument_id = ANY(%s)",
            [list(neue.values_list("pk", flat=True))],
        )
        vektoren = [zeile[0] for zeile in cursor.fetchall()]
    assert len(vektoren) == 2 and not any("vorläuf" in v or "vorlauf" in v for v in vektoren)
    # each stored file looked up once before it is written
    dateien = _anweisungen(erfasst, r'FROM "akten_datei"')
    assert len(dateien) == neue.count(), dateien
