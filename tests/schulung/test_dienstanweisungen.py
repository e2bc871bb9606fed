import csv
import io
import json

import pytest
from django.core.exceptions import PermissionDenied

from eakte.kommunen.rollen import Rolle
from schulung import selectors, services
from schulung.models import Fassungsstatus
from tests.conftest import _person
from tests.factories import KommuneFactory
from tests.hilfen import akteur_von


@pytest.fixture
def trainer(erbach):
    return _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])


@pytest.fixture
def oberzent(verbund):
    return KommuneFactory(
        verbund=verbund,
        name="Oberzent",
        slug="oberzent",
        ags="06437020",
        aktenzeichen_praefix="OBZ",
    )


@pytest.fixture
def sb_oberzent(oberzent):
    return _person(oberzent, "sb.oberzent", [Rolle.SACHBEARBEITUNG])


@pytest.fixture
def da_eakte(trainer, erbach, michelstadt):
    """The Dienstanweisung E-Akte for Erbach and Michelstadt, published, to be confirmed."""
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung E-Akte",
        text="## Geltung\n\nAlle Vorgänge werden elektronisch geführt.",
        erfordert_kenntnisnahme=True,
        alle_kommunen=False,
        kommunen=[erbach, michelstadt],
    )
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    return dokument


def test_geltungsbereich(
    da_eakte, sachbearbeitung, fremde_sachbearbeitung, sb_oberzent, fremder_verbund_admin
):
    assert list(selectors.schulungsdokumente_fuer(sachbearbeitung)) == [da_eakte]
    assert list(selectors.schulungsdokumente_fuer(fremde_sachbearbeitung)) == [da_eakte]
    assert not selectors.schulungsdokumente_fuer(sb_oberzent).exists()
    assert not selectors.schulungsdokumente_fuer(fremder_verbund_admin).exists()


def test_entwurf_sieht_nur_die_redaktion(trainer, sachbearbeitung):
    entwurf = services.dokument_anlegen(
        akteur=akteur_von(trainer), art="leitfaden", titel="Scannen", text="Text"
    )
    assert not selectors.schulungsdokumente_fuer(sachbearbeitung).exists()
    assert list(selectors.schulungsdokumente_fuer(trainer)) == [entwurf]


def test_nur_die_redaktion_schreibt(sachbearbeitung, kommunen_admin):
    for person in (sachbearbeitung, kommunen_admin):
        with pytest.raises(PermissionDenied):
            services.dokument_anlegen(
                akteur=akteur_von(person), art="leitfaden", titel="X", text="Y"
            )


def test_neue_fassung_fragt_erneut_und_alte_bleibt_lesbar(da_eakte, trainer, sachbearbeitung):
    assert [f.dokument for f in selectors.zu_bestaetigen(sachbearbeitung)] == [da_eakte]
    services.kenntnis_nehmen(
        akteur=akteur_von(sachbearbeitung), fassung=selectors.gueltige_fassung(da_eakte)
    )
    assert selectors.zu_bestaetigen(sachbearbeitung) == []
    services.entwurf_speichern(
        akteur=akteur_von(trainer), dokument=da_eakte, text="## Geltung\n\nNeu: auch Posteingang."
    )
    assert selectors.zu_bestaetigen(sachbearbeitung) == []  # a draft asks nobody
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=da_eakte)
    offen = selectors.zu_bestaetigen(sachbearbeitung)
    assert [f.nummer for f in offen] == [2]
    assert da_eakte.fassungen.get(nummer=1).status == Fassungsstatus.AUSSER_KRAFT


def test_rollenbeschraenkung(trainer, sachbearbeitung, kommunen_admin):
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="leitfaden",
        titel="Benutzerverwaltung",
        text="Text",
        rollen=["Kommunen-Admin"],
    )
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    assert list(selectors.schulungsdokumente_fuer(kommunen_admin)) == [dokument]
    assert not selectors.schulungsdokumente_fuer(sachbearbeitung).exists()


@pytest.mark.parametrize(
    "angriff",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "<iframe src='https://example.org'></iframe>",
        "[Klick](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        '<p style="background:url(javascript:alert(1))" onclick="alert(1)">x</p>',
        "<svg><script>alert(1)</script></svg>",
    ],
)
def test_markdown_wird_harmlos(trainer, angriff):
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer), art="leitfaden", titel="XSS", text=f"Text {angriff} Ende"
    )
    html = dokument.fassungen.get().html.lower()
    for gefaehrlich in (
        "<script",
        "onerror",
        "<iframe",
        "javascript:",
        "onclick",
        "style=",
        "<svg",
    ):
        assert gefaehrlich not in html


def test_abschluss_je_kommune_und_nur_fuer_berechtigte(
    da_eakte, trainer, sachbearbeitung, fremde_sachbearbeitung, kommunen_admin, kollegin_andere_oe
):
    fassung = selectors.gueltige_fassung(da_eakte)
    services.kenntnis_nehmen(akteur=akteur_von(sachbearbeitung), fassung=fassung)
    zeilen = {z.person.username: z.bestaetigt_am for z in selectors.abschluss(trainer, fassung)}
    assert zeilen["sb.erbach"] is not None and zeilen["sb.michelstadt"] is None
    admin_sicht = {z.kommune.slug for z in selectors.abschluss(kommunen_admin, fassung)}
    assert admin_sicht == {"erbach"}
    assert selectors.abschluss(kollegin_andere_oe, fassung) == []


def test_views_und_mandantentrennung(
    client_als, da_eakte, sachbearbeitung, sb_oberzent, trainer, kommunen_admin
):
    url = f"/schulung/{da_eakte.uuid}/"
    assert client_als(sb_oberzent).get(url).status_code == 404
    assert client_als(sb_oberzent).post(url + "bestaetigen/").status_code == 404
    start = client_als(sachbearbeitung).get("/").content.decode()
    assert "Dienstanweisung E-Akte" in start
    client_als(sachbearbeitung).post(url + "bestaetigen/")
    assert "Kenntnisnahme bestätigt am" in client_als(sachbearbeitung).get(url).content.decode()
    assert client_als(sachbearbeitung).get(url + "kenntnisnahme/").status_code == 403
    csv = client_als(trainer).get(url + "kenntnisnahme.csv").content.decode("utf-8-sig")
    assert csv.splitlines()[0] == "Kommune;Name;Benutzername;OE;bestätigt am"
    assert "sb.erbach" in csv
    admin_csv = (
        client_als(kommunen_admin).get(url + "kenntnisnahme.csv").content.decode("utf-8-sig")
    )
    assert "sb.michelstadt" not in admin_csv and "sb.erbach" in admin_csv


def test_api(api_als, trainer, sachbearbeitung, sb_oberzent, erbach):
    client = api_als(trainer)
    antwort = client.post(
        "/api/v1/schulungsdokumente/",
        {
            "art": "dienstanweisung",
            "titel": "DA Scannen",
            "text": "Bitte scannen.",
            "erfordert_kenntnisnahme": True,
            "alle_kommunen": False,
            "kommunen": ["erbach"],
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.json()
    kennung = antwort.json()["uuid"]
    assert (
        client.post(f"/api/v1/schulungsdokumente/{kennung}/veroeffentlichen/").json()["status"]
        == "veroeffentlicht"
    )
    sb = api_als(sachbearbeitung)
    assert [d["titel"] for d in sb.get("/api/v1/schulungsdokumente/zu-bestaetigen/").json()] == [
        "DA Scannen"
    ]
    assert sb.post(f"/api/v1/schulungsdokumente/{kennung}/bestaetigen/").json()["fassung"] == 1
    assert sb.get("/api/v1/schulungsdokumente/zu-bestaetigen/").json() == []
    assert api_als(sb_oberzent).get(f"/api/v1/schulungsdokumente/{kennung}/").status_code == 404
    stand = api_als(trainer).get(f"/api/v1/schulungsdokumente/{kennung}/kenntnisnahmen/").json()
    assert {z["benutzername"]: bool(z["bestaetigt_am"]) for z in stand}["sb.erbach"] is True
    assert (
        api_als(sachbearbeitung)
        .post(
            "/api/v1/schulungsdokumente/",
            {"art": "leitfaden", "titel": "X", "text": "Y"},
            format="json",
        )
        .status_code
        == 403
    )


def test_erinnerung_an_die_offenen_einmal_am_tag(
    da_eakte,
    trainer,
    sachbearbeitung,
    fremde_sachbearbeitung,
    kommunen_admin,
    django_capture_on_commit_callbacks,
):
    from schulung import kenntnisnahme_mail
    from schulung.models import Kenntnisnahmeerinnerung

    fassung = selectors.gueltige_fassung(da_eakte)
    services.kenntnis_nehmen(akteur=akteur_von(sachbearbeitung), fassung=fassung)
    # the Kommunen-Admin of Erbach reminds only Erbach's open people
    with django_capture_on_commit_callbacks() as gesendet:
        assert (
            services.kenntnisnahme_erinnern(akteur=akteur_von(kommunen_admin), fassung=fassung) == 2
        )
    assert len(gesendet) == 1
    erinnert = set(Kenntnisnahmeerinnerung.objects.values_list("benutzer__username", flat=True))
    assert erinnert == {"admin.erbach", "trainer.erbach"}
    # the trainer reminds everyone open in the scope, but nobody twice within a day
    assert (
        services.kenntnisnahme_erinnern(akteur=akteur_von(trainer), fassung=fassung) == 1
    )  # sb.michelstadt
    assert services.kenntnisnahme_erinnern(akteur=akteur_von(trainer), fassung=fassung) == 0
    with pytest.raises(PermissionDenied):
        services.kenntnisnahme_erinnern(akteur=akteur_von(fremde_sachbearbeitung), fassung=fassung)
    # the mail itself skips whoever confirmed in the meantime
    services.kenntnis_nehmen(akteur=akteur_von(fremde_sachbearbeitung), fassung=fassung)
    assert (
        kenntnisnahme_mail.senden(fassung.pk, [fremde_sachbearbeitung.pk, kommunen_admin.pk]) == 1
    )


def test_erinnern_im_browser_und_per_api(client_als, api_als, da_eakte, trainer, sachbearbeitung):
    from django.core import mail

    antwort = client_als(trainer).post(
        f"/schulung/{da_eakte.uuid}/kenntnisnahme/erinnern/", follow=True
    )
    assert "Eine Erinnerung geht an" in antwort.content.decode()
    assert (
        client_als(sachbearbeitung)
        .post(f"/schulung/{da_eakte.uuid}/kenntnisnahme/erinnern/")
        .status_code
        == 403
    )
    antwort = api_als(trainer).post(
        f"/api/v1/schulungsdokumente/{da_eakte.uuid}/kenntnisnahmen/erinnern/"
    )
    assert antwort.status_code == 200 and antwort.json() == {"erinnert": 0}  # already today
    from schulung import kenntnisnahme_mail

    kenntnisnahme_mail.senden(selectors.gueltige_fassung(da_eakte).pk, [sachbearbeitung.pk])
    (nachricht,) = mail.outbox
    assert nachricht.subject == "eAkte: Bitte bestätigen – Dienstanweisung E-Akte"
    assert f"/schulung/{da_eakte.uuid}/" in nachricht.body and nachricht.to == [
        sachbearbeitung.email
    ]


def test_geltung_nur_fuer_gewaehlte_oes(
    trainer, erbach, bauamt, hauptamt, sachbearbeitung, kollegin_andere_oe, sb_oberzent
):
    dokument = services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="leitfaden",
        titel="Leitfaden Bauakten scannen",
        text="Bauakten werden vollständig gescannt.",
        erfordert_kenntnisnahme=True,
        organisationseinheiten=[bauamt],
    )
    services.entwurf_veroeffentlichen(akteur=akteur_von(trainer), dokument=dokument)
    assert (
        selectors.schulungsdokumente_fuer(sachbearbeitung).filter(pk=dokument.pk).exists()
    )  # Bauamt
    assert (
        not selectors.schulungsdokumente_fuer(kollegin_andere_oe).filter(pk=dokument.pk).exists()
    )  # Hauptamt
    assert [f.dokument for f in selectors.zu_bestaetigen(sachbearbeitung)] == [dokument]
    assert selectors.zu_bestaetigen(kollegin_andere_oe) == []
    fassung = selectors.gueltige_fassung(dokument)
    assert {z.person.username for z in selectors.abschluss(trainer, fassung)} == {"sb.erbach"}


def test_oe_muss_zu_den_gewaehlten_kommunen_gehoeren(trainer, michelstadt, bauamt):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="gehört nicht zu den gewählten Kommunen"):
        services.dokument_anlegen(
            akteur=akteur_von(trainer),
            art="leitfaden",
            titel="X",
            text="Y",
            alle_kommunen=False,
            kommunen=[michelstadt],
            organisationseinheiten=[bauamt],
        )


def test_oe_geltung_per_api(api_als, trainer, bauamt):
    antwort = api_als(trainer).post(
        "/api/v1/schulungsdokumente/",
        {
            "art": "leitfaden",
            "titel": "Nur Bauamt",
            "text": "Text",
            "organisationseinheiten": [str(bauamt.uuid)],
        },
        format="json",
    )
    assert antwort.status_code == 201 and antwort.json()["organisationseinheiten"] == [
        str(bauamt.uuid)
    ]


def test_kenntnisnahme_csv_entschaerft_formeln(client_als, da_eakte, sachbearbeitung, trainer):
    sachbearbeitung.first_name, sachbearbeitung.last_name = '=HYPERLINK("http://x")', "X"
    sachbearbeitung.save()
    sachbearbeitung.organisationseinheiten.update(kuerzel="@BA")
    antwort = client_als(trainer).get(f"/schulung/{da_eakte.uuid}/kenntnisnahme.csv")
    assert antwort.content.startswith("\ufeff".encode())
    text = antwort.content.decode("utf-8-sig")
    zeilen = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    zeile = next(z for z in zeilen if z[2] == "sb.erbach")
    assert zeile[1] == '\'=HYPERLINK("http://x") X'
    assert zeile[3] == "'@BA"


@pytest.mark.parametrize("daten", [[], ["text"], "text", 42, None])
def test_entwurf_mit_json_ohne_objekt(api_als, trainer, da_eakte, daten):
    antwort = api_als(trainer).post(
        f"/api/v1/schulungsdokumente/{da_eakte.uuid}/entwurf/",
        json.dumps(daten),
        content_type="application/json",
    )
    assert antwort.status_code == 400
    assert "JSON-Objekt" in antwort.json()["detail"]


def test_entwurf_text_muss_text_sein(api_als, trainer, da_eakte):
    antwort = api_als(trainer).post(
        f"/api/v1/schulungsdokumente/{da_eakte.uuid}/entwurf/", {"text": ["a"]}, format="json"
    )
    assert antwort.status_code == 400 and "text" in antwort.json()


def test_kenntnisnahme_steht_unter_dem_text(client_als, da_eakte, sachbearbeitung):
    seite = client_als(sachbearbeitung).get(f"/schulung/{da_eakte.uuid}/").content.decode()
    assert seite.index('class="karte dokumenttext"') < seite.index(
        "Kenntnisnahme bestätigen</button>"
    )
    assert 'href="#kenntnisnahme"' in seite
