"""The 0503 Abgabe is built by the real Celery worker, not in the web request: the page says
"wird erstellt …", then "bereit zum Herunterladen"; the ZIP comes through the permission-checking
view. A Löschsperre set while it is being built stops it, with the reason on the page."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError

from eakte.aussonderung import services, xdomea
from eakte.aussonderung.models import Prozess, Prozessstatus
from tests.aussonderung.test_services import bewertet
from tests.hilfen import akteur_von, warten_bis


def _zip(antwort) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(b"".join(antwort.streaming_content)))


def test_der_worker_baut_die_abgabe_und_sie_ist_herunterzuladen(
    transactional_db, celery_worker_prozess, welt, client_als, kollege_michelstadt
):
    prozess = bewertet(welt)
    client = client_als(welt.admin)
    antwort = client.post(f"/aussonderung/prozess/{prozess.uuid}/abgabe/", follow=True)
    text = antwort.content.decode()
    assert "wird im Hintergrund erstellt" in text
    prozess = warten_bis(
        lambda: Prozess.objects.filter(pk=prozess.pk, status=Prozessstatus.ABGEGEBEN).first(),
        sekunden=90,
        was=lambda: celery_worker_prozess.log.read_text(errors="replace")[-3000:],
    )
    nachricht = prozess.nachrichten.get(typ="0503")
    assert nachricht.erstellt_von == welt.admin
    seite = client.get(f"/aussonderung/prozess/{prozess.uuid}/").content.decode()
    assert "bereit zum Herunterladen" in seite and "wird erstellt …" not in seite
    with _zip(client.get(f"/aussonderung/nachricht/{nachricht.uuid}/")) as zf:
        xml = zf.read(f"{prozess.uuid}_Aussonderung.Aussonderung.0503.xml")
        assert len(zf.namelist()) == 3
    xdomea.validieren(io.BytesIO(xml))
    fremd = client_als(kollege_michelstadt).get(f"/aussonderung/nachricht/{nachricht.uuid}/")
    assert fremd.status_code in (403, 404)


@pytest.mark.django_db
def test_seite_zeigt_wird_erstellt_und_die_bewertung_ist_gesperrt(welt, client_als):
    prozess = bewertet(welt)
    services.abgabe_erstellen(akteur=akteur_von(welt.admin), prozess=prozess)
    seite = client_als(welt.admin).get(f"/aussonderung/prozess/{prozess.uuid}/").content.decode()
    assert "Die Aussonderung (0503) wird erstellt …" in seite
    assert 'hx-trigger="every 2s"' in seite
    assert "von Hand bewerten" not in seite
    with pytest.raises(ValidationError, match="wird gerade erstellt"):
        services.bewertung_setzen(
            akteur=akteur_von(welt.admin),
            prozess=prozess,
            akte=welt.bewerten,
            entscheidung="archivieren",
        )


@pytest.mark.django_db
def test_loeschsperre_waehrend_der_erstellung_stoppt_die_abgabe(welt, client_als):
    prozess = bewertet(welt)
    services.abgabe_erstellen(akteur=akteur_von(welt.admin), prozess=prozess)
    services.loeschsperre_setzen(
        akteur=akteur_von(welt.admin), akte=welt.archivwuerdig, grund="Akteneinsicht Gericht"
    )
    assert services.abgabe_bauen(prozess.pk) == "abgelehnt"
    prozess.refresh_from_db()
    assert prozess.status == Prozessstatus.BEWERTET
    assert "Löschsperre" in prozess.abgabe_fehler
    assert not prozess.nachrichten.filter(typ="0503").exists()
    seite = client_als(welt.admin).get(f"/aussonderung/prozess/{prozess.uuid}/").content.decode()
    assert "Die letzte Abgabe (0503) wurde nicht erstellt" in seite
    assert services.abgabe_bauen(prozess.pk) == "nichts zu tun"  # a second delivery
