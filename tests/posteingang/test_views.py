"""Posteingang pages and the cover-sheet download: who sees what, filing, discarding."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Dokument
from eakte.ocr import services as ocr_services
from eakte.posteingang import deckblatt
from eakte.posteingang.models import Deckblatt, Posteingangseintrag, Status
from eakte.protokoll.models import Protokolleintrag
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von


def eintrag_anlegen(kommune, name="Brief.pdf", text="Brief"):
    inhalt = ContentFile(pdf_bytes(text), name=name)
    datei, _ = dateien.ablegen(kommune=kommune, datei=inhalt, pruefung=dateien.pruefen(inhalt))
    ocr_services.einreihen(datei, hochgeladen=inhalt)
    return Posteingangseintrag.objects.create(
        kommune=kommune, datei=datei, dateiname=name, quelle="Scanner Rathaus EG"
    )


@pytest.fixture
def eintrag(erbach):
    return eintrag_anlegen(erbach)


def url(name, eintrag_):
    return reverse(f"posteingang:{name}", kwargs={"eintrag_uuid": eintrag_.uuid})


def test_liste_zeigt_den_offenen_posteingang_der_kommune(
    client_als, eintrag, erbach, sachbearbeitung, kollegin_andere_oe, django_assert_max_num_queries
):
    for nummer in range(5):
        eintrag_anlegen(erbach, f"Weitere {nummer}.pdf", f"weitere {nummer}")
    erledigt = eintrag_anlegen(erbach, "Erledigt.pdf", "erledigt")
    erledigt.status = Status.VERWORFEN
    erledigt.save()
    client = client_als(sachbearbeitung)
    with django_assert_max_num_queries(8):
        antwort = client.get(reverse("posteingang:liste"))
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Brief.pdf" in inhalt and "Weitere 4.pdf" in inhalt and "Erledigt.pdf" not in inhalt
    assert "wartet auf die Texterkennung" in inhalt
    # shared within the Kommune: a colleague of another OE sees the same items
    antwort = client_als(kollegin_andere_oe).get(reverse("posteingang:liste"))
    assert "Brief.pdf" in antwort.content.decode()


def test_andere_kommune_sieht_nichts(
    client_als, eintrag, fremde_sachbearbeitung, vorgang, akte, sachbearbeitung
):
    client = client_als(fremde_sachbearbeitung)
    assert "Brief.pdf" not in client.get(reverse("posteingang:liste")).content.decode()
    for name in ("eintrag", "status", "vorschaubild", "original"):
        assert client.get(url(name, eintrag)).status_code == 404
    antwort = client.post(url("eintrag", eintrag), {"vorgang": vorgang.uuid})
    assert antwort.status_code == 404
    assert client.post(url("verwerfen", eintrag), {"grund": "x"}).status_code == 404
    eintrag.refresh_from_db()
    assert eintrag.status == Status.OFFEN


def test_zuordnen_legt_dokument_aus_der_gespeicherten_datei_an(
    client_als, eintrag, vorgang, sachbearbeitung
):
    client = client_als(sachbearbeitung)
    seite = client.get(url("eintrag", eintrag), {"q": vorgang.akte.aktenzeichen})
    assert vorgang.vorgangszeichen in seite.content.decode()
    antwort = client.post(url("eintrag", eintrag), {"vorgang": vorgang.uuid, "titel": "Anfrage"})
    assert antwort.status_code == 302
    eintrag.refresh_from_db()
    dokument = Dokument.objects.get(vorgang=vorgang)
    version = dokument.versionen.get()
    assert eintrag.status == Status.ZUGEORDNET and eintrag.zugeordnet_zu == version
    assert version.datei == eintrag.datei  # no second copy of the content
    assert dokument.titel == "Anfrage" and version.hochgeladen_von == sachbearbeitung
    assert Protokolleintrag.objects.filter(
        benutzer=sachbearbeitung, beschreibung__contains="aus dem Posteingang zugeordnet"
    ).exists()
    # a second filing of the same item is refused
    antwort = client.post(url("eintrag", eintrag), {"vorgang": vorgang.uuid}, follow=True)
    assert "bereits zugeordnet" in antwort.content.decode()
    assert Dokument.objects.count() == 1


def test_zuordnen_nur_in_vorgaenge_mit_schreibrecht(
    client_als, eintrag, vorgang, kollegin_andere_oe
):
    client = client_als(kollegin_andere_oe)
    seite = client.get(url("eintrag", eintrag))
    assert seite.status_code == 200 and vorgang.vorgangszeichen not in seite.content.decode()
    antwort = client.post(url("eintrag", eintrag), {"vorgang": vorgang.uuid})
    assert antwort.status_code == 200 and not Dokument.objects.exists()
    assert "gültige Auswahl" in antwort.content.decode()


def test_freigegebene_akte_einer_anderen_kommune_ist_kein_ziel(
    client_als,
    akte_anlegen,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
    sachbearbeitung,
    michelstadt,
):
    """A share across Kommunen does not open the other Kommune's Posteingang, in either way."""
    fremde_akte = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt)
    fremder_vorgang = akten_services.vorgang_anlegen(
        akteur=akteur_von(fremde_sachbearbeitung), akte=fremde_akte, betreff="Amtshilfe"
    )
    akten_services.akte_freigeben(
        akteur=akteur_von(fremde_sachbearbeitung),
        akte=fremde_akte,
        empfaenger=sachbearbeitung,
        schreiben=True,
    )
    eigener = eintrag_anlegen(sachbearbeitung.kommune)
    fremder = eintrag_anlegen(michelstadt, "Post Michelstadt.pdf")
    client = client_als(sachbearbeitung)
    assert client.get(url("eintrag", fremder)).status_code == 404
    antwort = client.post(url("eintrag", eigener), {"vorgang": fremder_vorgang.uuid})
    assert antwort.status_code == 200 and not Dokument.objects.exists()


def test_verwerfen_mit_grund(client_als, eintrag, sachbearbeitung):
    client = client_als(sachbearbeitung)
    assert client.post(url("verwerfen", eintrag), {"grund": ""}).status_code == 302
    eintrag.refresh_from_db()
    assert eintrag.status == Status.OFFEN
    client.post(url("verwerfen", eintrag), {"grund": "Werbung"})
    eintrag.refresh_from_db()
    assert eintrag.status == Status.VERWORFEN and "Werbung" in eintrag.bemerkung
    assert Protokolleintrag.objects.filter(beschreibung__contains="verworfen: Werbung").exists()


def test_original_herunterladen_wird_protokolliert(client_als, eintrag, sachbearbeitung):
    antwort = client_als(sachbearbeitung).get(url("original", eintrag))
    assert antwort.status_code == 200
    assert b"".join(antwort.streaming_content) == pdf_bytes("Brief")
    assert Protokolleintrag.objects.filter(
        benutzer=sachbearbeitung, aktion="heruntergeladen", objekt_uuid=eintrag.uuid
    ).exists()


def test_fehlendes_original_deutsche_meldung_ohne_protokoll(client_als, eintrag, sachbearbeitung):
    from eakte.akten import dateien

    dateien.speicher().delete(eintrag.datei.speicherort)
    antwort = client_als(sachbearbeitung).get(url("original", eintrag))
    assert antwort.status_code == 500
    assert "Die gespeicherte Datei fehlt im Dateispeicher" in antwort.content.decode()
    assert not Protokolleintrag.objects.filter(
        aktion="heruntergeladen", objekt_uuid=eintrag.uuid
    ).exists()


# --- Deckblatt ---------------------------------------------------------------------------


def deckblatt_url(vorgang=None, akte=None):
    if vorgang is not None:
        return reverse("posteingang:deckblatt_vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    return reverse("posteingang:deckblatt_akte", kwargs={"akte_uuid": akte.uuid})


def test_deckblatt_drucken(client_als, akte, vorgang, sachbearbeitung, erbach):
    client = client_als(sachbearbeitung)
    assert client.get(deckblatt_url(vorgang)).status_code == 405
    antwort = client.post(deckblatt_url(vorgang))
    assert antwort.status_code == 200 and antwort["Content-Type"] == "application/pdf"
    assert "attachment" in antwort["Content-Disposition"]
    blatt = Deckblatt.objects.get()
    assert blatt.vorgang == vorgang and blatt.erstellt_von == sachbearbeitung
    (kennung,) = deckblatt.pdf_seiten_lesen(antwort.content)
    assert kennung.kommune_slug == "erbach" and kennung.deckblatt_uuid == blatt.uuid
    assert client.post(deckblatt_url(akte=akte)).status_code == 200
    # the Akte and Vorgang pages offer it to those who may write
    seite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert deckblatt_url(vorgang) in seite.content.decode()
    seite = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid}))
    assert deckblatt_url(akte=akte) in seite.content.decode()


def test_deckblatt_nur_mit_schreibrecht_und_offen(
    client_als,
    akte,
    vorgang,
    sachbearbeitung,
    kollegin_andere_oe,
    fremde_sachbearbeitung,
    kommunen_admin,
):
    for person in (kollegin_andere_oe, fremde_sachbearbeitung, kommunen_admin):
        client = client_als(person)
        assert client.post(deckblatt_url(vorgang)).status_code == 404
        assert client.post(deckblatt_url(akte=akte)).status_code == 404
    # the Kommunen-Admin reads the Akte but may not write: no button there
    seite = client_als(kommunen_admin).get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid}))
    assert seite.status_code == 200 and deckblatt_url(akte=akte) not in seite.content.decode()
    akten_services.vorgang_zda(akteur=akteur_von(sachbearbeitung), vorgang=vorgang)
    assert client_als(sachbearbeitung).post(deckblatt_url(vorgang)).status_code == 404
    akten_services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    assert client_als(sachbearbeitung).post(deckblatt_url(akte=akte)).status_code == 404
    assert not Deckblatt.objects.exists()


def test_deckblatt_fuer_freigabe_mit_schreibrecht_und_nach_entzug(
    client_als, akte, vorgang, sachbearbeitung, kollege_michelstadt
):
    akten_services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger=kollege_michelstadt,
        schreiben=True,
    )
    antwort = client_als(kollege_michelstadt).post(deckblatt_url(vorgang))
    assert antwort.status_code == 200
    (kennung,) = deckblatt.pdf_seiten_lesen(antwort.content)
    assert kennung.kommune_slug == "erbach"  # the Akte's Kommune, whose scanner files it
    akten_services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
    )
    assert client_als(kollege_michelstadt).post(deckblatt_url(vorgang)).status_code == 404


def test_seiten_ohne_inline_stil_und_mit_beschriftungen(
    client_als, eintrag, vorgang, sachbearbeitung
):
    inhalt = client_als(sachbearbeitung).get(url("eintrag", eintrag)).content.decode()
    assert '<label for="q">' in inhalt and "<legend>Vorgang</legend>" in inhalt
    assert f'value="{vorgang.uuid}"' in inhalt
    assert "style=" not in inhalt and "onclick" not in inhalt


def test_zugeordneter_scan_ist_nicht_mehr_fuer_die_ganze_kommune_lesbar(
    client_als, api_als, eintrag, vorgang, sachbearbeitung, kollegin_andere_oe, kommunen_admin
):
    """Once filed into the Bauamt's Akte, the Hauptamt colleague may no longer open it here."""
    assert client_als(kollegin_andere_oe).get(url("original", eintrag)).status_code == 200
    client_als(sachbearbeitung).post(url("eintrag", eintrag), {"vorgang": vorgang.uuid})
    for adresse in (url("eintrag", eintrag), url("original", eintrag)):
        assert client_als(kollegin_andere_oe).get(adresse).status_code == 404
        assert client_als(sachbearbeitung).get(adresse).status_code == 200  # who filed it
        assert client_als(kommunen_admin).get(adresse).status_code == 200
    alle = api_als(kollegin_andere_oe).get("/api/v1/posteingang/?status=alle").json()
    assert str(eintrag.uuid) not in str(alle)
