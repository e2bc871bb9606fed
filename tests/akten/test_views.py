"""The browser pages of the records: who sees what (404 outside), who may change what (403 for
read-only grantees), upload of several files, download headers, zdA, sharing, Wiedervorlagen,
and constant query counts on the lists and the Akte page."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eakte.akten import selectors, services
from eakte.akten.models import Akte, Dokument, Version, Wiedervorlage
from eakte.protokoll.models import Aktion, Protokolleintrag
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db

# A minimal Windows executable header: libmagic calls it a portable executable.
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8"
    + b"\x00" * 43
    + b"\x80\x00\x00\x00"
    + b"\x00" * 64
    + b"PE\x00\x00L\x01"
    + b"\x00" * 200
)


def _datei(name, inhalt, typ="application/octet-stream"):
    return SimpleUploadedFile(name, inhalt, content_type=typ)


def _freigeben(akte, von, an, schreiben=False):
    services.akte_freigeben(akteur=akteur_von(von), akte=akte, empfaenger=an, schreiben=schreiben)


def _meldungen(antwort) -> str:
    return " ".join(str(m) for m in antwort.context["messages"]) if antwort.context else ""


@pytest.fixture
def version(dokument):
    return dokument.versionen.get()


# --- who sees what ---------------------------------------------------------------------------

LESESEITEN = {
    "akte": lambda o: reverse("akten:detail", kwargs={"akte_uuid": o["akte"].uuid}),
    "vorgang": lambda o: reverse("akten:vorgang", kwargs={"vorgang_uuid": o["vorgang"].uuid}),
    "dokument": lambda o: reverse("akten:dokument", kwargs={"dokument_uuid": o["dokument"].uuid}),
    "download": lambda o: reverse(
        "akten:version_datei", kwargs={"version_uuid": o["version"].uuid}
    ),
    "vorschau": lambda o: reverse(
        "akten:version_vorschau", kwargs={"version_uuid": o["version"].uuid}
    ),
}


@pytest.fixture
def objekte(akte, vorgang, dokument, version):
    return {"akte": akte, "vorgang": vorgang, "dokument": dokument, "version": version}


@pytest.mark.parametrize("seite", sorted(LESESEITEN))
def test_lesen_nur_mit_recht(
    seite,
    objekte,
    client_als,
    sachbearbeitung,
    kollegin_andere_oe,
    fremde_sachbearbeitung,
    kommunen_admin,
    fremder_kommunen_admin,
):
    adresse = LESESEITEN[seite](objekte)
    akte = objekte["akte"]
    assert client_als(sachbearbeitung).get(adresse).status_code == 200
    assert client_als(kommunen_admin).get(adresse).status_code == 200
    assert client_als(kollegin_andere_oe).get(adresse).status_code == 404
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404
    assert client_als(fremder_kommunen_admin).get(adresse).status_code == 404

    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung)
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 200
    services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=fremde_sachbearbeitung
    )
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404


SCHREIBSEITEN = {
    "bearbeiten": lambda o: reverse("akten:bearbeiten", kwargs={"akte_uuid": o["akte"].uuid}),
    "vorgang_neu": lambda o: reverse("akten:vorgang_neu", kwargs={"akte_uuid": o["akte"].uuid}),
    "zda": lambda o: reverse("akten:zda", kwargs={"akte_uuid": o["akte"].uuid}),
    "vorgang_zda": lambda o: reverse(
        "akten:vorgang_zda", kwargs={"vorgang_uuid": o["vorgang"].uuid}
    ),
    "dokument_bearbeiten": lambda o: reverse(
        "akten:dokument_bearbeiten", kwargs={"dokument_uuid": o["dokument"].uuid}
    ),
    "dokument_verschieben": lambda o: reverse(
        "akten:dokument_verschieben", kwargs={"dokument_uuid": o["dokument"].uuid}
    ),
    "freigaben": lambda o: reverse("akten:freigaben", kwargs={"akte_uuid": o["akte"].uuid}),
}


@pytest.mark.parametrize("seite", sorted(SCHREIBSEITEN))
def test_formulare_nur_fuer_schreibende(
    seite, objekte, client_als, sachbearbeitung, kollegin_andere_oe, fremde_sachbearbeitung
):
    adresse = SCHREIBSEITEN[seite](objekte)
    assert client_als(sachbearbeitung).get(adresse).status_code == 200
    assert client_als(kollegin_andere_oe).get(adresse).status_code == 404
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404
    _freigeben(objekte["akte"], sachbearbeitung, fremde_sachbearbeitung)
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 403
    services.freigabe_entziehen(
        akteur=akteur_von(sachbearbeitung), akte=objekte["akte"], empfaenger=fremde_sachbearbeitung
    )
    assert client_als(fremde_sachbearbeitung).get(adresse).status_code == 404


def test_lesende_freigabe_zeigt_keine_aenderungen_an(
    client_als, akte, vorgang, dokument, sachbearbeitung, fremde_sachbearbeitung
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung)
    client = client_als(fremde_sachbearbeitung)
    inhalt = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).content.decode()
    assert "Sie dürfen diese Akte lesen, aber nicht ändern." in inhalt
    assert "Neuer Vorgang" not in inhalt and "zdA verfügen" not in inhalt
    assert "Freigaben verwalten" not in inhalt
    seite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert 'name="dateien"' not in seite.content.decode()
    dokumentseite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}))
    assert "Neue Version hochladen" not in dokumentseite.content.decode()


def test_schreiben_wird_lesender_freigabe_verweigert(
    client_als, akte, vorgang, dokument, sachbearbeitung, fremde_sachbearbeitung, pdf_datei
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung)
    client = client_als(fremde_sachbearbeitung)
    hochladen = reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid})
    einzeln = reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid})
    assert client.post(hochladen, {"dateien": [pdf_datei("a.pdf")]}).status_code == 403
    antwort = client.post(einzeln, {"datei": pdf_datei("b.pdf")})
    assert antwort.status_code == 403
    assert antwort.json()["fehler"] == "Sie dürfen diese Akte nur lesen."
    version_neu = reverse("akten:version_neu", kwargs={"dokument_uuid": dokument.uuid})
    assert client.post(version_neu, {"datei": pdf_datei("c.pdf")}).status_code == 403
    zda = reverse("akten:zda", kwargs={"akte_uuid": akte.uuid})
    assert client.post(zda).status_code == 403
    bearbeiten = reverse("akten:bearbeiten", kwargs={"akte_uuid": akte.uuid})
    assert client.post(bearbeiten, {"betreff": "Übernommen"}).status_code == 403
    assert Dokument.objects.filter(akte=akte).count() == 1
    assert Version.objects.filter(dokument=dokument).count() == 1
    akte.refresh_from_db()
    assert not akte.ist_zda and akte.betreff != "Übernommen"


def test_schreibende_freigabe_darf_hochladen(
    client_als, akte, vorgang, sachbearbeitung, fremde_sachbearbeitung, pdf_datei
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung, schreiben=True)
    antwort = client_als(fremde_sachbearbeitung).post(
        reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"datei": pdf_datei("Stellungnahme.pdf")},
    )
    assert antwort.status_code == 200 and antwort.json()["ok"]
    assert Dokument.objects.get(akte=akte).angelegt_von == fremde_sachbearbeitung


def test_fremde_aktionen_auf_unsichtbare_akten_sind_404(
    client_als, akte, vorgang, dokument, kollegin_andere_oe, fremde_sachbearbeitung, pdf_datei
):
    for person in (kollegin_andere_oe, fremde_sachbearbeitung):
        client = client_als(person)
        for adresse, daten in [
            (reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid}), {}),
            (reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid}), {}),
            (reverse("akten:version_neu", kwargs={"dokument_uuid": dokument.uuid}), {}),
            (reverse("akten:wiedervorlage", kwargs={"akte_uuid": akte.uuid}), {}),
            (reverse("akten:wiedereroeffnen", kwargs={"akte_uuid": akte.uuid}), {}),
        ]:
            assert client.post(adresse, daten).status_code == 404, adresse
    assert Dokument.objects.filter(akte=akte).count() == 1


# --- lists -----------------------------------------------------------------------------------


def test_meine_akten_zeigt_nur_die_eigene_oe(
    client_als, akte_anlegen, sachbearbeitung, bauamt, kollegin_andere_oe, hauptamt
):
    akte_anlegen(sachbearbeitung, bauamt, "Bauantrag Lindenweg 4")
    akte_anlegen(kollegin_andere_oe, hauptamt, "Personalakte Müller")
    inhalt = client_als(sachbearbeitung).get(reverse("akten:meine")).content.decode()
    assert "Bauantrag Lindenweg 4" in inhalt
    assert "Personalakte Müller" not in inhalt
    assert "Alle Akten der Kommune" not in inhalt


def test_kommunen_admin_schaltet_auf_alle_der_kommune(
    client_als,
    akte_anlegen,
    sachbearbeitung,
    bauamt,
    kommunen_admin,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
):
    akte_anlegen(sachbearbeitung, bauamt, "Bauantrag Lindenweg 4")
    akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, "Gaststättenerlaubnis")
    client = client_als(kommunen_admin)
    meine = client.get(reverse("akten:meine")).content.decode()
    assert "Alle Akten der Kommune" in meine and "Bauantrag Lindenweg 4" not in meine
    alle = client.get(reverse("akten:meine") + "?alle=1").content.decode()
    assert "Bauantrag Lindenweg 4" in alle and "Gaststättenerlaubnis" not in alle
    # the switch means nothing for a clerk
    andere = client_als(sachbearbeitung).get(reverse("akten:meine") + "?alle=1")
    assert andere.context["titel"] == "Meine Akten"


def test_sortieren_filtern_und_zda(client_als, akte_anlegen, sachbearbeitung, bauamt):
    for betreff in ("Carport", "Anbau", "Baumfällung"):
        akte_anlegen(sachbearbeitung, bauamt, betreff)
    alt = akte_anlegen(sachbearbeitung, bauamt, "Abriss Scheune")
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=alt)
    client = client_als(sachbearbeitung)

    def betreffe(abfrage):
        antwort = client.get(reverse("akten:meine") + abfrage)
        return [a.betreff for a in antwort.context["seite"]]

    assert betreffe("?sortierung=betreff") == ["Anbau", "Baumfällung", "Carport"]
    assert betreffe("?sortierung=-betreff") == ["Carport", "Baumfällung", "Anbau"]
    assert betreffe("?sortierung=-angelegt") == ["Baumfällung", "Anbau", "Carport"]
    # anything outside the whitelist falls back to the newest first
    assert betreffe("?sortierung=kommune__name") == betreffe("")
    assert betreffe("?q=bau") == ["Baumfällung", "Anbau"]
    assert betreffe("?q=0003") == ["Baumfällung"]
    assert betreffe("?zda=1&sortierung=betreff") == [
        "Abriss Scheune",
        "Anbau",
        "Baumfällung",
        "Carport",
    ]
    inhalt = client.get(reverse("akten:meine") + "?sortierung=betreff").content.decode()
    assert 'aria-sort="ascending"' in inhalt and "sortierung=-betreff" in inhalt


def test_seiten_behalten_filter_und_sortierung(client_als, akte_anlegen, sachbearbeitung, bauamt):
    for nummer in range(27):
        akte_anlegen(sachbearbeitung, bauamt, f"Bauantrag {nummer:02d}")
    client = client_als(sachbearbeitung)
    erste = client.get(reverse("akten:meine") + "?sortierung=betreff&q=Bauantrag")
    assert len(erste.context["seite"]) == 25
    assert "?sortierung=betreff&amp;q=Bauantrag&amp;seite=2" in erste.content.decode()
    zweite = client.get(reverse("akten:meine") + "?sortierung=betreff&q=Bauantrag&seite=2")
    assert [a.betreff for a in zweite.context["seite"]] == ["Bauantrag 25", "Bauantrag 26"]


def test_fuer_mich_freigegeben(
    client_als, akte, sachbearbeitung, fremde_sachbearbeitung, kollegin_andere_oe
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung)
    inhalt = client_als(fremde_sachbearbeitung).get(reverse("akten:freigegeben")).content.decode()
    assert akte.aktenzeichen in inhalt and "Erbach" in inhalt
    assert akte.aktenzeichen not in (
        client_als(kollegin_andere_oe).get(reverse("akten:freigegeben")).content.decode()
    )
    # and it is not among the grantee's own Akten
    meine = client_als(fremde_sachbearbeitung).get(reverse("akten:meine")).content.decode()
    assert akte.aktenzeichen not in meine


def _abfragen(client, adresse) -> int:
    with CaptureQueriesContext(connection) as abfragen:
        assert client.get(adresse).status_code == 200
    return len(abfragen)


def test_meine_akten_mit_fester_zahl_von_abfragen(
    client_als, akte_anlegen, sachbearbeitung, bauamt, django_assert_max_num_queries
):
    client = client_als(sachbearbeitung)
    for nummer in range(10):
        akte_anlegen(sachbearbeitung, bauamt, f"Akte {nummer}")
    bei_zehn = _abfragen(client, reverse("akten:meine"))
    for nummer in range(20):
        akte_anlegen(sachbearbeitung, bauamt, f"Weitere {nummer}")
    assert _abfragen(client, reverse("akten:meine")) == bei_zehn
    # session, user, roles, Bereich, count, page
    with django_assert_max_num_queries(6):
        client.get(reverse("akten:meine") + "?sortierung=betreff&zda=1&q=e")


def test_akte_mit_fester_zahl_von_abfragen(
    client_als, akte, sachbearbeitung, pdf_datei, django_assert_max_num_queries
):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})

    def fuellen(anzahl, vorgaenge):
        for n in range(vorgaenge):
            vorgang = services.vorgang_anlegen(
                akteur=akteur_von(sachbearbeitung), akte=akte, betreff=f"V{n}"
            )
            for m in range(anzahl // vorgaenge):
                services.dokument_hochladen(
                    akteur=akteur_von(sachbearbeitung),
                    vorgang=vorgang,
                    datei=pdf_datei(f"d{n}-{m}-{anzahl}"),
                )

    fuellen(10, 2)
    bei_zehn = _abfragen(client, adresse)
    fuellen(30, 3)
    assert Dokument.objects.filter(akte=akte).count() == 40
    assert _abfragen(client, adresse) == bei_zehn
    # session, user, roles, Bereich, Akte, 2 permission checks, Vorgänge, Dokumente, Versionen,
    # Freigaben, Wiedervorlagen, the Vorgänge of the Wiedervorlage form (the Löschsperre's who
    # and when only for an Akte under hold)
    with django_assert_max_num_queries(13):
        client.get(adresse)


# --- creating and editing Akten ------------------------------------------------------------


def test_akte_anlegen_mit_kennzeichen(client_als, sachbearbeitung, bauamt, kleiner_plan):
    client = client_als(sachbearbeitung)
    formular = client.get(reverse("akten:neu"))
    assert formular.status_code == 200
    antwort = client.post(
        reverse("akten:neu"),
        {
            "aktenplaneinheit": "0.2.01",
            "betreff": "Sitzung Bauausschuss März",
            "federfuehrende_oe": bauamt.pk,
            "vertraulichkeit": "offen",
        },
    )
    akte = Akte.objects.get(betreff="Sitzung Bauausschuss März")
    assert antwort.status_code == 302
    assert antwort["Location"] == reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})
    assert akte.aktenplaneinheit == kleiner_plan["0.2.01"]
    assert akte.aktenfuehrende_oe == bauamt
    eintrag = Protokolleintrag.objects.get(akte_uuid=akte.uuid, aktion=Aktion.ANGELEGT)
    assert eintrag.ip_adresse == "127.0.0.1"


@pytest.mark.parametrize(
    "kennzeichen, meldung",
    [
        ("0.2", "untersten Ebene"),
        ("9.9.9", "Die Einheit „9.9.9“ gibt es im Aktenplan nicht."),
    ],
)
def test_akte_nur_unter_einem_blatt(
    client_als, sachbearbeitung, bauamt, kleiner_plan, kennzeichen, meldung
):
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:neu"),
        {"aktenplaneinheit": kennzeichen, "betreff": "X", "federfuehrende_oe": bauamt.pk},
    )
    assert antwort.status_code == 200
    assert meldung in antwort.content.decode()
    assert not Akte.objects.exists()


def test_akte_nur_fuer_die_eigene_oe(client_als, sachbearbeitung, hauptamt, bauamt, kleiner_plan):
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:neu"),
        {"aktenplaneinheit": "0.2.01", "betreff": "X", "federfuehrende_oe": hauptamt.pk},
    )
    assert "federfuehrende_oe" in antwort.context["form"].errors
    auswahl = antwort.context["form"].fields["federfuehrende_oe"].queryset
    assert list(auswahl) == [bauamt]
    assert not Akte.objects.exists()


def test_kommunen_admin_legt_fuer_jede_oe_an(client_als, kommunen_admin, bauamt, kleiner_plan):
    client_als(kommunen_admin).post(
        reverse("akten:neu"),
        {
            "aktenplaneinheit": "0.2.02",
            "betreff": "Bürgermeisterwahl",
            "federfuehrende_oe": bauamt.pk,
            "vertraulichkeit": "offen",
        },
    )
    assert Akte.objects.get().federfuehrende_oe == bauamt


def test_suche_zum_uebernehmen_der_einheit(client_als, sachbearbeitung, kleiner_plan):
    antwort = client_als(sachbearbeitung).get(
        reverse("aktenplan:suche") + "?ablagefaehig=1&auswahl=1&q=0.2"
    )
    inhalt = antwort.content.decode()
    assert 'data-einheit-kennzeichen="0.2.01"' in inhalt
    assert 'data-einheit-kennzeichen="0.2.02"' in inhalt
    assert 'data-einheit-kennzeichen="0.2"' not in inhalt  # not a leaf


def test_akte_bearbeiten(client_als, akte, sachbearbeitung, kleiner_plan, hauptamt):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:bearbeiten", kwargs={"akte_uuid": akte.uuid})
    antwort = client.post(
        adresse,
        {
            "betreff": "Bauantrag Hauptstraße 1a",
            "aktenplaneinheit": "0.2.02",
            "vertraulichkeit": "vertraulich",
            "federfuehrende_oe": akte.federfuehrende_oe_id,
            "aktenfuehrende_oe": hauptamt.pk,
        },
    )
    assert antwort.status_code == 302
    akte.refresh_from_db()
    assert akte.betreff == "Bauantrag Hauptstraße 1a"
    assert akte.aktenplaneinheit == kleiner_plan["0.2.02"]
    assert akte.aktenfuehrende_oe == hauptamt and akte.vertraulichkeit == "vertraulich"
    assert akte.aktenzeichen.startswith("ERB-0.2.01-")


def test_abgabe_an_andere_oe_fuehrt_zur_liste(
    client_als, akte, sachbearbeitung, hauptamt, kleiner_plan
):
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:bearbeiten", kwargs={"akte_uuid": akte.uuid}),
        {
            "betreff": akte.betreff,
            "aktenplaneinheit": "0.2.01",
            "vertraulichkeit": "offen",
            "federfuehrende_oe": hauptamt.pk,
            "aktenfuehrende_oe": hauptamt.pk,
        },
    )
    assert antwort["Location"] == reverse("akten:meine")
    akte.refresh_from_db()
    assert akte.federfuehrende_oe == hauptamt


def test_schreibende_freigabe_aendert_betreff_ohne_oe_felder(
    client_als, akte, sachbearbeitung, fremde_sachbearbeitung
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung, schreiben=True)
    client = client_als(fremde_sachbearbeitung)
    adresse = reverse("akten:bearbeiten", kwargs={"akte_uuid": akte.uuid})
    assert "federfuehrende_oe" not in client.get(adresse).context["form"].fields
    client.post(
        adresse, {"betreff": "Amtshilfe", "aktenplaneinheit": "0.2.01", "vertraulichkeit": "offen"}
    )
    akte.refresh_from_db()
    assert akte.betreff == "Amtshilfe"


# --- zdA -------------------------------------------------------------------------------------


def test_zda_mit_bestaetigung_macht_die_akte_schreibgeschuetzt(
    client_als, akte, vorgang, dokument, sachbearbeitung, pdf_datei
):
    client = client_als(sachbearbeitung)
    zda = reverse("akten:zda", kwargs={"akte_uuid": akte.uuid})
    bestaetigung = client.get(zda).content.decode()
    assert "zdA verfügen" in bestaetigung and "aufzubewahren" in bestaetigung
    akte.refresh_from_db()
    assert not akte.ist_zda  # GET alone changes nothing
    antwort = client.post(zda, follow=True)
    akte.refresh_from_db()
    assert akte.ist_zda and akte.zda_durch == sachbearbeitung
    assert "Die Akte ist zu den Akten verfügt (zdA), unbefristet." in _meldungen(antwort)

    detail = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).content.decode()
    assert "Neuer Vorgang" not in detail and "Bearbeiten" not in detail
    vorgangsseite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert 'name="dateien"' not in vorgangsseite.content.decode()
    dokumentseite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}))
    assert "Neue Version hochladen" not in dokumentseite.content.decode()

    hochladen = client.post(
        reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"dateien": [pdf_datei("spaet.pdf")]},
        follow=True,
    )
    assert services.ZDA_MELDUNG in _meldungen(hochladen)
    einzeln = client.post(
        reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"datei": pdf_datei("spaet2.pdf")},
    )
    assert einzeln.status_code == 400 and einzeln.json()["fehler"] == services.ZDA_MELDUNG
    bearbeiten = client.get(reverse("akten:bearbeiten", kwargs={"akte_uuid": akte.uuid}))
    assert bearbeiten.status_code == 302
    assert Dokument.objects.filter(akte=akte).count() == 1


def test_zda_zeigt_aufbewahrung(client_als, akte_anlegen, sachbearbeitung, bauamt, kleiner_plan):
    akte = akte_anlegen(sachbearbeitung, bauamt, einheit=kleiner_plan["0.2.02"])  # 5 Jahre
    client = client_als(sachbearbeitung)
    client.post(reverse("akten:zda", kwargs={"akte_uuid": akte.uuid}))
    jahr = timezone.localdate().year + 5
    inhalt = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).content.decode()
    assert f"31.12.{jahr}" in inhalt


def test_wiedereroeffnen_nur_durch_kommunen_admin_mit_grund(
    client_als, akte, sachbearbeitung, kommunen_admin
):
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    adresse = reverse("akten:wiedereroeffnen", kwargs={"akte_uuid": akte.uuid})
    assert client_als(sachbearbeitung).post(adresse, {"grund": "x"}).status_code == 403
    client = client_als(kommunen_admin)
    detail = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).content.decode()
    assert "Wieder eröffnen" in detail
    ohne_grund = client.post(adresse, {"grund": ""})
    assert ohne_grund.status_code == 200 and ohne_grund.context["form"].errors
    client.post(adresse, {"grund": "Nachforderung des Kreisbauamts"})
    akte.refresh_from_db()
    assert not akte.ist_zda
    eintrag = Protokolleintrag.objects.get(akte_uuid=akte.uuid, aktion=Aktion.WIEDEREROEFFNET)
    assert "Nachforderung des Kreisbauamts" in eintrag.beschreibung


def test_vorgang_anlegen_und_zda(client_als, akte, sachbearbeitung, pdf_datei):
    client = client_als(sachbearbeitung)
    antwort = client.post(
        reverse("akten:vorgang_neu", kwargs={"akte_uuid": akte.uuid}),
        {"betreff": "Nachbarbeteiligung"},
    )
    vorgang = akte.vorgaenge.get()
    assert antwort["Location"] == reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    assert vorgang.vorgangszeichen == f"{akte.aktenzeichen}/1"
    client.post(reverse("akten:vorgang_zda", kwargs={"vorgang_uuid": vorgang.uuid}))
    vorgang.refresh_from_db()
    assert vorgang.ist_zda
    seite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert 'name="dateien"' not in seite.content.decode()
    einzeln = client.post(
        reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"datei": pdf_datei("x.pdf")},
    )
    assert einzeln.status_code == 400
    assert not Dokument.objects.exists()


# --- upload ----------------------------------------------------------------------------------


def test_mehrere_dateien_ohne_javascript(client_als, vorgang, sachbearbeitung, pdf_datei):
    client = client_als(sachbearbeitung)
    seite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert 'type="file" name="dateien" multiple' in seite.content.decode()
    antwort = client.post(
        reverse("akten:hochladen", kwargs={"vorgang_uuid": vorgang.uuid}),
        {
            "typ": "ausgang",
            "dateien": [
                pdf_datei("Bauantrag.pdf"),
                _datei("leer.pdf", b""),
                _datei("rechnung.pdf.exe", EXE),
            ],
        },
        follow=True,
    )
    meldungen = _meldungen(antwort)
    assert "„Bauantrag.pdf“ wurde gespeichert." in meldungen
    assert "„leer.pdf“: Die Datei ist leer (0 Bytes) und wurde nicht gespeichert." in meldungen
    assert "„rechnung.pdf.exe“: Dateien dieser Art" in meldungen
    assert "werden nicht angenommen" in meldungen
    dokument = Dokument.objects.get(vorgang=vorgang)
    assert dokument.titel == "Bauantrag" and dokument.typ == "ausgang"
    assert "Bauantrag.pdf" in antwort.content.decode()  # listed on the page


def test_eine_datei_je_anfrage_mit_json(client_als, vorgang, sachbearbeitung, pdf_datei):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid})
    gut = client.post(adresse, {"datei": pdf_datei("Lageplan.pdf")})
    assert gut.status_code == 200
    dokument = Dokument.objects.get()
    assert gut.json() == {
        "ok": True,
        "dateiname": "Lageplan.pdf",
        "titel": "Lageplan",
        "adresse": reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}),
        "hinweis": "",
    }
    leer = client.post(adresse, {"datei": _datei("leer.pdf", b"")})
    assert leer.status_code == 400
    assert leer.json() == {
        "ok": False,
        "dateiname": "leer.pdf",
        "fehler": "Die Datei ist leer (0 Bytes) und wurde nicht gespeichert.",
    }
    zwei = client.post(adresse, {"datei": [pdf_datei("a.pdf"), pdf_datei("b.pdf")]})
    assert zwei.status_code == 400 and "genau eine Datei" in zwei.json()["fehler"]
    assert Dokument.objects.count() == 1


def test_zu_grosse_datei(client_als, vorgang, sachbearbeitung, pdf_datei, settings):
    settings.UPLOAD_MAX_BYTES = 100
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": vorgang.uuid}),
        {"datei": pdf_datei("gross.pdf")},
    )
    assert antwort.status_code == 400
    assert "zu groß; erlaubt sind höchstens 0,0 MB" in antwort.json()["fehler"]


def test_gleicher_inhalt_in_der_akte_wird_gemeldet(
    client_als, akte, vorgang, dokument, sachbearbeitung
):
    zweiter = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Widerspruch"
    )
    inhalt = pdf_bytes("Bauantrag.pdf")  # the same bytes as the fixture's Dokument
    client = client_als(sachbearbeitung)
    antwort = client.post(
        reverse("akten:hochladen_datei", kwargs={"vorgang_uuid": zweiter.uuid}),
        {"datei": _datei("Kopie.pdf", inhalt, "application/pdf")},
    )
    assert antwort.status_code == 200
    assert antwort.json()["hinweis"] == (
        f"Dieselbe Datei liegt bereits als „Bauantrag.pdf“ (Dokument „Bauantrag“, Vorgang "
        f"{vorgang.vorgangszeichen}) in der Akte."
    )
    ohne_js = client.post(
        reverse("akten:hochladen", kwargs={"vorgang_uuid": zweiter.uuid}),
        {"dateien": [_datei("Noch eine Kopie.pdf", inhalt, "application/pdf")]},
        follow=True,
    )
    assert "Dieselbe Datei liegt bereits als „Bauantrag.pdf“" in _meldungen(ohne_js)
    kopie = Dokument.objects.get(titel="Kopie")
    seite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": kopie.uuid}))
    assert "Dieselbe Datei liegt auch als „Bauantrag.pdf“" in seite.content.decode()


# --- Dokument page, versions, moving ---------------------------------------------------------


def test_dokumentseite_protokolliert_und_zeigt_versionen(
    client_als, dokument, sachbearbeitung, pdf_datei
):
    client = client_als(sachbearbeitung)
    services.version_hochladen(
        akteur=akteur_von(sachbearbeitung), dokument=dokument, datei=pdf_datei("Bauantrag v2.pdf")
    )
    antwort = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid}))
    inhalt = antwort.content.decode()
    eintrag = Protokolleintrag.objects.filter(aktion=Aktion.ANGESEHEN).get()
    assert eintrag.objekt_uuid == dokument.uuid and eintrag.benutzer == sachbearbeitung
    for version in dokument.versionen.all():
        assert reverse("akten:version_datei", kwargs={"version_uuid": version.uuid}) in inhalt
    assert "2 Versionen" in inhalt
    neueste = dokument.versionen.get(nummer=2)
    vorschau = reverse("akten:version_vorschau", kwargs={"version_uuid": neueste.uuid})
    assert f'data-pdf="{vorschau}"' in inhalt  # no PDF/A rendition yet: the original PDF


def test_betrachter_zeigt_suchwoerter_und_seite_nur_als_daten(
    client_als, dokument, sachbearbeitung
):
    adresse = reverse("akten:dokument", kwargs={"dokument_uuid": dokument.uuid})
    client = client_als(sachbearbeitung)
    inhalt = client.get(adresse, {"q": '"><script>alert(1)</script>', "seite": "2"}).content
    inhalt = inhalt.decode()
    assert "<script>alert" not in inhalt
    assert 'data-suche="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in inhalt
    assert 'data-seitennummer="2"' in inhalt
    inhalt = client.get(adresse, {"seite": "-1"}).content.decode()
    assert 'data-seitennummer=""' in inhalt and 'data-suche=""' in inhalt


def test_neue_version_hochladen(client_als, dokument, sachbearbeitung, pdf_datei):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:version_neu", kwargs={"dokument_uuid": dokument.uuid})
    antwort = client.post(
        adresse, {"datei": pdf_datei("Bauantrag korrigiert.pdf"), "kommentar": "Seite 2 neu"}
    )
    assert antwort.status_code == 302
    neu = dokument.versionen.get(nummer=2)
    assert neu.dateiname == "Bauantrag korrigiert.pdf" and neu.kommentar == "Seite 2 neu"
    leer = client.post(adresse, {"datei": _datei("leer.pdf", b"")}, follow=True)
    assert "leer" in _meldungen(leer)
    assert dokument.versionen.count() == 2


def test_dokument_bearbeiten(client_als, dokument, sachbearbeitung):
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:dokument_bearbeiten", kwargs={"dokument_uuid": dokument.uuid}),
        {
            "titel": "Bauantrag mit Anlagen",
            "typ": "eingang",
            "posteingangsdatum": "2026-03-02",
            "absender": "Architekturbüro Weber",
        },
    )
    assert antwort.status_code == 302
    dokument.refresh_from_db()
    assert dokument.titel == "Bauantrag mit Anlagen"
    assert str(dokument.posteingangsdatum) == "2026-03-02"
    assert dokument.absender == "Architekturbüro Weber"


def test_dokument_verschieben(
    client_als, akte_anlegen, akte, vorgang, dokument, sachbearbeitung, bauamt, kollegin_andere_oe
):
    zweiter = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Widerspruch"
    )
    andere_akte = akte_anlegen(sachbearbeitung, bauamt, "Bauantrag Nachbar")
    fremder = services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=andere_akte, betreff="X"
    )
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:dokument_verschieben", kwargs={"dokument_uuid": dokument.uuid})
    auswahl = client.get(adresse).context["form"].fields["vorgang"].queryset
    assert list(auswahl) == [zweiter]
    client.post(adresse, {"vorgang": zweiter.pk})
    dokument.refresh_from_db()
    assert dokument.vorgang == zweiter
    client.post(adresse, {"vorgangszeichen": fremder.vorgangszeichen})
    dokument.refresh_from_db()
    assert dokument.vorgang == fremder and dokument.akte == andere_akte
    # a Vorgang the person cannot write in is not a target
    hauptamt_akte = akte_anlegen(
        kollegin_andere_oe, kollegin_andere_oe.organisationseinheiten.get()
    )
    gesperrt = services.vorgang_anlegen(
        akteur=akteur_von(kollegin_andere_oe), akte=hauptamt_akte, betreff="Y"
    )
    antwort = client.post(adresse, {"vorgangszeichen": gesperrt.vorgangszeichen})
    assert antwort.status_code == 200
    assert "gibt es nicht" in antwort.content.decode()
    dokument.refresh_from_db()
    assert dokument.vorgang == fremder


# --- download and preview --------------------------------------------------------------------


def test_download_mit_sicheren_kopfzeilen_und_protokoll(client_als, vorgang, sachbearbeitung):
    inhalt = pdf_bytes("Ärger")
    version = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=_datei('Ärger "Zitat" Bau antrag.pdf', inhalt, "application/pdf"),
    )
    antwort = client_als(sachbearbeitung).get(
        reverse("akten:version_datei", kwargs={"version_uuid": version.uuid})
    )
    assert antwort.status_code == 200
    assert b"".join(antwort.streaming_content) == inhalt
    assert antwort["Content-Type"] == "application/pdf"
    assert antwort["Content-Disposition"] == (
        "attachment; filename*=utf-8''%C3%84rger%20%22Zitat%22%20Bau%20antrag.pdf"
    )
    assert antwort["Content-Length"] == str(len(inhalt))
    assert antwort["X-Content-Type-Options"] == "nosniff"
    assert antwort["X-Frame-Options"] == "DENY"
    eintrag = Protokolleintrag.objects.get(aktion=Aktion.HERUNTERGELADEN)
    assert eintrag.objekt_uuid == version.uuid and eintrag.benutzer == sachbearbeitung
    assert eintrag.akte_uuid == vorgang.akte.uuid and eintrag.ip_adresse == "127.0.0.1"


def test_schraegstrich_und_anfuehrungszeichen_im_gespeicherten_namen(
    client_als, version, sachbearbeitung
):
    # Names come cleaned from the service; the view must stay safe even for an odd stored one.
    Version.objects.filter(pk=version.pk).update(dateiname='Ärger "Zitat"/Bau antrag.pdf')
    antwort = client_als(sachbearbeitung).get(
        reverse("akten:version_datei", kwargs={"version_uuid": version.uuid})
    )
    kopf = antwort["Content-Disposition"]
    assert kopf == "attachment; filename*=utf-8''%C3%84rger%20%22Zitat%22_Bau%20antrag.pdf"
    assert "/" not in kopf and '"' not in kopf
    Version.objects.filter(pk=version.pk).update(dateiname='Bau "Antrag" 2.pdf')
    antwort = client_als(sachbearbeitung).get(
        reverse("akten:version_datei", kwargs={"version_uuid": version.uuid})
    )
    assert antwort["Content-Disposition"] == r'attachment; filename="Bau \"Antrag\" 2.pdf"'


def test_vorschau_inline_nur_fuer_pdf_und_bilder(client_als, vorgang, version, sachbearbeitung):
    client = client_als(sachbearbeitung)
    antwort = client.get(reverse("akten:version_vorschau", kwargs={"version_uuid": version.uuid}))
    assert antwort.status_code == 200
    assert antwort["Content-Disposition"] == 'inline; filename="Bauantrag.pdf"'
    assert antwort["X-Frame-Options"] == "SAMEORIGIN"
    richtlinie = antwort["Content-Security-Policy"]
    assert (
        "frame-ancestors 'self'" in richtlinie
        and "'none'" not in richtlinie.split("frame-ancestors")[1].split(";")[0]
    )
    assert Protokolleintrag.objects.filter(
        aktion=Aktion.ANGESEHEN, objekt_uuid=version.uuid
    ).exists()
    text = services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=_datei("notiz.txt", b"Hallo Welt\n"),
    )
    antwort = client.get(reverse("akten:version_vorschau", kwargs={"version_uuid": text.uuid}))
    assert antwort["Content-Type"] == "text/plain"
    assert antwort["Content-Disposition"] == 'attachment; filename="notiz.txt"'
    # the normal pages keep the strict policy
    seite = client.get(reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid}))
    assert "frame-ancestors 'none'" in seite["Content-Security-Policy"]


def test_download_nicht_sichtbar_schreibt_kein_protokoll(client_als, version, kollegin_andere_oe):
    client = client_als(kollegin_andere_oe)
    for name in ("version_datei", "version_vorschau"):
        antwort = client.get(reverse(f"akten:{name}", kwargs={"version_uuid": version.uuid}))
        assert antwort.status_code == 404
    assert not Protokolleintrag.objects.filter(
        aktion__in=[Aktion.HERUNTERGELADEN, Aktion.ANGESEHEN]
    ).exists()


# --- sharing ---------------------------------------------------------------------------------


def test_freigeben_und_entziehen(client_als, akte, sachbearbeitung, fremde_sachbearbeitung):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:freigaben", kwargs={"akte_uuid": akte.uuid})
    unbekannt = client.post(adresse, {"benutzername": "niemand", "recht": "lesen"})
    assert "Eine Person „niemand“ gibt es im Verbund nicht." in unbekannt.content.decode()
    selbst = client.post(adresse, {"benutzername": "sb.erbach", "recht": "lesen"})
    assert "nicht für sich selbst" in selbst.content.decode()
    antwort = client.post(
        adresse, {"benutzername": "sb.michelstadt", "recht": "lesen"}, follow=True
    )
    assert "freigegeben: nur lesen" in _meldungen(antwort)
    assert "sb.michelstadt" in antwort.content.decode()
    liste = client_als(fremde_sachbearbeitung).get(reverse("akten:freigegeben"))
    assert akte.aktenzeichen in liste.content.decode()

    client = client_als(sachbearbeitung)
    entziehen = reverse(
        "akten:freigabe_entziehen",
        kwargs={"akte_uuid": akte.uuid, "benutzer_uuid": fremde_sachbearbeitung.uuid},
    )
    assert client.get(entziehen).status_code == 405
    client.post(entziehen)
    assert (
        client_als(fremde_sachbearbeitung)
        .get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid}))
        .status_code
        == 404
    )
    # revoking again: there is nothing to revoke
    assert client_als(sachbearbeitung).post(entziehen).status_code == 404


def test_freigeben_an_eine_oe_einer_anderen_kommune(
    client_als, akte, sachbearbeitung, fremde_sachbearbeitung, ordnungsamt_michelstadt
):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:freigaben", kwargs={"akte_uuid": akte.uuid})
    seite = client.get(adresse).content.decode()
    assert "Michelstadt – Ordnungsamt" in seite  # OEs of the whole Verbund to choose from
    antwort = client.post(
        adresse,
        {"art": "oe", "oe-oe": ordnungsamt_michelstadt.pk, "oe-recht": "lesen"},
        follow=True,
    )
    assert "Ordnungsamt (Michelstadt) freigegeben: nur lesen" in _meldungen(antwort)
    kollegin = client_als(fremde_sachbearbeitung)
    assert akte.aktenzeichen in kollegin.get(reverse("akten:freigegeben")).content.decode()
    assert kollegin.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).status_code == 200
    entziehen = reverse(
        "akten:oe_freigabe_entziehen",
        kwargs={"akte_uuid": akte.uuid, "oe_uuid": ordnungsamt_michelstadt.uuid},
    )
    # the grantee sees the Akte, but only the owning OE may revoke
    assert client_als(fremde_sachbearbeitung).post(entziehen).status_code == 403
    client_als(sachbearbeitung).post(entziehen)
    kollegin = client_als(fremde_sachbearbeitung)
    assert kollegin.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).status_code == 404


def test_freigabe_an_andere_verbuende_gibt_es_nicht(
    client_als, akte, sachbearbeitung, fremder_verbund_admin
):
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:freigaben", kwargs={"akte_uuid": akte.uuid}),
        {"benutzername": "verbundadmin.sontra", "recht": "schreiben"},
    )
    assert "gibt es im Verbund nicht" in antwort.content.decode()
    assert not akte.freigaben.exists()


# --- Wiedervorlagen --------------------------------------------------------------------------


def test_wiedervorlage_setzen_auf_startseite_und_erledigen(
    client_als, akte, vorgang, sachbearbeitung
):
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:wiedervorlage", kwargs={"akte_uuid": akte.uuid})
    gestern = timezone.localdate() - timedelta(days=1)
    fehler = client.post(adresse, {"datum": gestern.isoformat(), "notiz": "zu spät"})
    assert "liegt in der Vergangenheit" in fehler.content.decode()
    client.post(
        adresse,
        {
            "datum": timezone.localdate().isoformat(),
            "notiz": "Statik nachfordern",
            "vorgang": vorgang.pk,
        },
    )
    wiedervorlage = Wiedervorlage.objects.get()
    assert wiedervorlage.vorgang == vorgang
    start = client.get(reverse("start:startseite")).content.decode()
    assert "Statik nachfordern" in start and akte.aktenzeichen in start
    erledigt = reverse(
        "akten:wiedervorlage_erledigt", kwargs={"wiedervorlage_uuid": wiedervorlage.uuid}
    )
    assert erledigt in start
    antwort = client.post(erledigt)
    assert antwort["Location"] == reverse("start:startseite")
    wiedervorlage.refresh_from_db()
    assert wiedervorlage.erledigt_am is not None
    assert abs((timezone.now() - wiedervorlage.erledigt_am).total_seconds()) < 60
    assert "Statik nachfordern" not in client.get(reverse("start:startseite")).content.decode()


def test_wiedervorlage_spaeter_nicht_auf_der_startseite(client_als, akte, sachbearbeitung):
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        datum=timezone.localdate() + timedelta(days=20),  # the start page looks 14 days ahead
        notiz="Frist Anhörung",
    )
    client = client_als(sachbearbeitung)
    assert "Frist Anhörung" not in client.get(reverse("start:startseite")).content.decode()
    detail = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid})).content.decode()
    assert "Frist Anhörung" in detail


def test_fremde_wiedervorlage_erledigen_ist_404(client_als, akte, sachbearbeitung, kommunen_admin):
    wiedervorlage = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=timezone.localdate()
    )
    adresse = reverse(
        "akten:wiedervorlage_erledigt", kwargs={"wiedervorlage_uuid": wiedervorlage.uuid}
    )
    assert client_als(kommunen_admin).post(adresse).status_code == 404
    wiedervorlage.refresh_from_db()
    assert wiedervorlage.erledigt_am is None


def test_erledigt_leitet_nur_auf_eigene_adressen_weiter(client_als, akte, sachbearbeitung):
    wiedervorlage = services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=akte, datum=timezone.localdate()
    )
    antwort = client_als(sachbearbeitung).post(
        reverse("akten:wiedervorlage_erledigt", kwargs={"wiedervorlage_uuid": wiedervorlage.uuid}),
        {"weiter": "https://boese.example/"},
    )
    assert antwort["Location"] == reverse("start:startseite")


def test_nicht_angemeldet_zur_anmeldung(client, akte):
    antwort = client.get(reverse("akten:detail", kwargs={"akte_uuid": akte.uuid}))
    assert antwort.status_code == 302 and re.search(r"/anmelden/\?next=", antwort["Location"])


def test_zda_akte_wird_nicht_mehr_freigegeben(
    client_als, akte, sachbearbeitung, fremde_sachbearbeitung
):
    _freigeben(akte, sachbearbeitung, fremde_sachbearbeitung)
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:freigaben", kwargs={"akte_uuid": akte.uuid})
    assert 'name="benutzername"' not in client.get(adresse).content.decode()
    antwort = client.post(adresse, {"benutzername": "sb2.erbach", "recht": "lesen"}, follow=True)
    assert services.ZDA_MELDUNG in _meldungen(antwort)
    assert [f["benutzer"] for f in selectors.freigaben(akte)] == [fremde_sachbearbeitung]
    # revoking still works on a closed Akte
    client.post(
        reverse(
            "akten:freigabe_entziehen",
            kwargs={"akte_uuid": akte.uuid, "benutzer_uuid": fremde_sachbearbeitung.uuid},
        )
    )
    assert selectors.freigaben(akte) == []
