"""The pages: the Postkorb and its count, one step (only for whom it is; 404 for others, also of
another Kommune), starting a route on its own page, templates and Vertretung."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from eakte.geschaeftsgang import services
from eakte.geschaeftsgang.models import Ergebnis, Geschaeftsgang, Schrittstatus, Verfuegung
from tests.geschaeftsgang.conftest import schritt
from tests.hilfen import akteur_von


def _gang(sachbearbeitung, vorgang, *schritte):
    return services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung), vorgang=vorgang, schritte=list(schritte)
    )


def test_postkorb_und_anzahl(client_als, vorgang, sachbearbeitung, amtsleitung):
    _gang(sachbearbeitung, vorgang, schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung))
    client = client_als(amtsleitung)
    antwort = client.get(reverse("geschaeftsgang:postkorb"))
    assert antwort.status_code == 200
    assert "zur Mitzeichnung" in antwort.content.decode()
    anzahl = client.get(reverse("geschaeftsgang:postkorb_anzahl"))
    assert ">1<" in anzahl.content.decode()
    start = client.get(reverse("start:startseite")).content.decode()
    assert "Postkorb (1)" in start


def test_schritt_nur_fuer_den_empfaenger(
    client_als, vorgang, sachbearbeitung, amtsleitung, kollegin_andere_oe, kollege_michelstadt
):
    gang = _gang(sachbearbeitung, vorgang, schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung))
    s = gang.schritte.get()
    url = reverse("geschaeftsgang:schritt", kwargs={"schritt_uuid": s.uuid})
    assert client_als(kollegin_andere_oe).get(url).status_code == 404
    assert client_als(kollege_michelstadt).get(url).status_code == 404
    assert (
        client_als(kollege_michelstadt).post(url, {"ergebnis": "mitgezeichnet"}).status_code == 404
    )
    client = client_als(amtsleitung)
    assert client.get(url).status_code == 200
    antwort = client.post(url, {"ergebnis": Ergebnis.ABGELEHNT, "bemerkung": ""})
    assert "Bitte begründen Sie die Ablehnung." in antwort.content.decode()
    antwort = client.post(url, {"ergebnis": Ergebnis.MITGEZEICHNET, "bemerkung": "ok"})
    assert antwort.status_code == 302
    s.refresh_from_db()
    assert s.status == Schrittstatus.ERLEDIGT


def test_starten_auf_eigener_seite(
    client_als, vorgang, sachbearbeitung, amtsleitung, kollegin_andere_oe
):
    """The Vorgang page links to the start page; a bad entry is shown there at its field."""
    seite = client_als(sachbearbeitung).get(
        reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    )
    url = reverse("geschaeftsgang:starten", kwargs={"vorgang_uuid": vorgang.uuid})
    assert f'href="{url}"' in seite.content.decode()
    assert 'name="s1_verfuegung"' not in seite.content.decode()  # the form is on its own page
    daten = {"s1_verfuegung": "mz", "s1_person": amtsleitung.username}
    assert client_als(kollegin_andere_oe).get(url).status_code == 404
    assert client_als(kollegin_andere_oe).post(url, daten).status_code == 404
    antwort = client_als(sachbearbeitung).post(url, daten, follow=True)
    assert antwort.redirect_chain[-1][0].endswith(
        f"/akten/vorgaenge/{vorgang.uuid}/#geschaeftsgang"
    )
    assert "gestartet" in antwort.content.decode()
    assert Geschaeftsgang.objects.get().schritte.get().empfaenger_person == amtsleitung
    gestern = (timezone.localdate() - timedelta(days=1)).isoformat()
    antwort = client_als(sachbearbeitung).post(url, {**daten, "s1_frist": gestern})
    assert antwort.status_code == 200
    assert "liegt in der Vergangenheit" in antwort.content.decode()
    assert Geschaeftsgang.objects.count() == 1


def test_dokument_aus_gefilterter_liste_seitenweise(
    client_als, vorgang, sachbearbeitung, amtsleitung, pdf_datei, kollege_michelstadt
):
    """The Dokument is chosen from a filtered list, 20 a page, not from one <select> of all;
    the Dokument page's link preselects its Dokument; a Dokument of another Vorgang is refused."""
    from eakte.akten import services as akten_services

    dokumente = [
        akten_services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=pdf_datei(f"Schreiben {n:02}.pdf"),
            titel=f"Schreiben {n:02}",
        ).dokument
        for n in range(25)
    ]
    url = reverse("geschaeftsgang:starten", kwargs={"vorgang_uuid": vorgang.uuid})
    client = client_als(sachbearbeitung)
    erste = client.get(url).content.decode()
    assert erste.count('type="radio" name="dokument"') == 21  # 20 + "der ganze Vorgang"
    assert "Seite 1 von 2" in erste and "Schreiben 24" not in erste
    assert "Schreiben 24" in client.get(url + "?seite=2").content.decode()
    gefiltert = client.get(url + "?q=ben 1").content.decode()
    assert gefiltert.count('type="radio" name="dokument"') == 11
    vorgewaehlt = client.get(f"{url}?dokument={dokumente[24].uuid}").content.decode()
    assert f'value="{dokumente[24].uuid}" checked' in vorgewaehlt
    assert client.get(url + "?dokument=kaputt").status_code == 200
    # the Dokument page links here with its Dokument
    dokseite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": dokumente[3].uuid}))
    assert f"{url}?dokument={dokumente[3].uuid}" in dokseite.content.decode()

    anderer = akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=vorgang.akte, betreff="Anderer"
    )
    fremd = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung), vorgang=anderer, datei=pdf_datei("Fremd.pdf")
    ).dokument
    daten = {"s1_verfuegung": "zk", "s1_person": amtsleitung.username}
    antwort = client.post(url, {**daten, "dokument": str(fremd.uuid)})
    assert "gehört nicht zu dem Vorgang" in antwort.content.decode()
    assert not Geschaeftsgang.objects.exists()
    client.post(url, {**daten, "dokument": str(dokumente[7].uuid)})
    assert Geschaeftsgang.objects.get().dokument == dokumente[7]
    assert client_als(kollege_michelstadt).get(url).status_code == 404


def test_schritt_an_person_des_verbunds_aber_nicht_darueber_hinaus(
    client_als, vorgang, sachbearbeitung, kollege_michelstadt, fremder_verbund_admin
):
    """The person picker of the start form offers the Verbund (mutual support in the IKZ),
    never a person outside it; the typed text is resolved on the server without JavaScript."""
    url = reverse("geschaeftsgang:starten", kwargs={"vorgang_uuid": vorgang.uuid})
    client = client_als(sachbearbeitung)
    fremd = {"s1_verfuegung": "zk", "s1_person": fremder_verbund_admin.username}
    antwort = client.post(url, fremd, follow=True).content.decode()
    assert "gibt es im Verbund nicht" in antwort
    assert not Geschaeftsgang.objects.exists()
    daten = {"s1_verfuegung": "zk", "s1_person": str(kollege_michelstadt.uuid)}
    antwort = client.post(url, daten, follow=True).content.decode()
    assert "gestartet" in antwort
    assert Geschaeftsgang.objects.get().schritte.get().empfaenger_person == kollege_michelstadt
    seite = client.get(url)
    assert 'id="id_s1_person"' in seite.content.decode()
    assert 'role="combobox"' in seite.content.decode()


def test_oe_postkorb_uebernehmen(
    client_als, vorgang, sachbearbeitung, hauptamt, kollegin_andere_oe, kollege_michelstadt
):
    gang = _gang(sachbearbeitung, vorgang, schritt(Verfuegung.VERANLASSUNG, oe=hauptamt))
    s = gang.schritte.get()
    oe_url = reverse("geschaeftsgang:oe_postkorb", kwargs={"oe_uuid": hauptamt.uuid})
    assert client_als(kollege_michelstadt).get(oe_url).status_code == 404
    assert client_als(sachbearbeitung).get(oe_url).status_code == 403
    client = client_als(kollegin_andere_oe)
    assert "zur weiteren Veranlassung" in client.get(oe_url).content.decode()
    client.post(reverse("geschaeftsgang:schritt_uebernehmen", kwargs={"schritt_uuid": s.uuid}))
    s.refresh_from_db()
    assert s.bearbeiter == kollegin_andere_oe


def test_vertretung_und_vorlagen_seiten(
    client_als, buergermeister, stellvertreter, kommunen_admin, amtsleitung
):
    client = client_als(buergermeister)
    heute = timezone.localdate().isoformat()
    antwort = client.post(
        reverse("geschaeftsgang:vertretung"),
        {
            "abwesend": buergermeister.username,
            "von": heute,
            "bis": heute,
            "vertreter1": str(stellvertreter.uuid),
        },
        follow=True,
    )
    assert "Abwesenheit und Vertretung eingetragen" in antwort.content.decode()
    assert client.get(reverse("geschaeftsgang:vorlagen")).status_code == 200
    assert client.post(reverse("geschaeftsgang:vorlagen"), {"name": "x"}).status_code == 403
    admin = client_als(kommunen_admin)
    antwort = admin.post(
        reverse("geschaeftsgang:vorlagen"),
        {
            "name": "Mz Bauamt",
            "s1_verfuegung": "mz",
            "s1_art": "person",
            "s1_person": amtsleitung.get_full_name() or amtsleitung.username,
        },
        follow=True,
    )
    assert "Vorlage „Mz Bauamt“ angelegt" in antwort.content.decode()


def test_dokumentseite_fuehrt_zum_start_mit_dem_dokument(client_als, entwurf, sachbearbeitung):
    client = client_als(sachbearbeitung)
    seite = client.get(reverse("akten:dokument", kwargs={"dokument_uuid": entwurf.uuid}))
    start = reverse("geschaeftsgang:starten", kwargs={"vorgang_uuid": entwurf.vorgang.uuid})
    link = f"{start}?dokument={entwurf.uuid}"
    assert link in seite.content.decode()
    formular = client.get(link).content.decode()
    assert f'value="{entwurf.uuid}" checked> Antwortentwurf' in formular


def test_abbrechen(client_als, vorgang, sachbearbeitung, amtsleitung, kollegin_andere_oe):
    gang = _gang(sachbearbeitung, vorgang, schritt(Verfuegung.MITZEICHNUNG, person=amtsleitung))
    url = reverse("geschaeftsgang:abbrechen", kwargs={"gang_uuid": gang.uuid})
    assert client_als(kollegin_andere_oe).post(url, {"grund": "x"}).status_code == 404
    antwort = client_als(sachbearbeitung).post(url, {"grund": ""}, follow=True)
    assert "Bitte einen Grund" in antwort.content.decode()
    client_als(sachbearbeitung).post(url, {"grund": "Antrag zurückgezogen"})
    gang.refresh_from_db()
    assert gang.status == "abgebrochen"


def test_verbund_einstellung(client_als, verbund_admin, kommunen_admin, verbund):
    from eakte.geschaeftsgang.selectors import vertretung_kommunenuebergreifend

    url = reverse("geschaeftsgang:verbund_einstellen")
    daten = {"vertretung_kommunenuebergreifend": "on"}
    assert client_als(kommunen_admin).post(url, daten).status_code == 403
    assert (
        "Einstellung des Verbunds"
        not in client_als(kommunen_admin).get(reverse("geschaeftsgang:vertretung")).content.decode()
    )
    client_als(verbund_admin).post(url, daten)
    assert vertretung_kommunenuebergreifend(verbund.pk)
