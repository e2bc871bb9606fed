"""The route sweep: every URL pattern and every API route, as people of other Kommunen.

The list of routes is generated from the URLconf (`get_resolver().url_patterns`, recursively,
including the DRF router's routes and their format-suffix variants), so a new route is swept
without anyone adding it here. Parameters are filled with real identifiers of objects of Erbach
(Kommune A). A route whose parameter the sweep cannot fill fails the test with its name.

Expected, for people of Michelstadt (same Verbund) and a Verbund-Admin of another Verbund:
- a route naming an object of Erbach answers exactly as for an id that does not exist at all
  (404; 405 for a method the route does not have; 403 only where the route refuses the person
  before looking at any object, which the comparison with a random id proves);
- objects the Verbund shares (Aktenplan, Dienstanweisungen, Schulungen) are opened by people of
  the same Verbund legitimately; only the foreign Verbund-Admin must get the 404 there;
- no response of any route (also lists, search, the API root) contains an identifier or a text
  of Erbach's records, and none is a server error.
"""

import re
import uuid
from dataclasses import dataclass, field

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from eakte.akten import services as akten_services
from eakte.einsicht import services as einsicht_services
from eakte.einsicht.models import EinsichtDokument
from eakte.einsicht.schwaerzung import Kasten
from eakte.identitaet import services as identitaet_services
from eakte.kommunen.rollen import Rolle
from eakte.ocr import services as ocr_services
from eakte.posteingang import services as posteingang_services
from eakte.posteingang.models import Posteingangseintrag
from eakte.protokoll.models import Protokolleintrag
from schulung import services as schulung_services
from tests.aussonderung.objekte import aussonderung_objekte
from tests.conftest import _person, pdf_bytes
from tests.hilfen import akteur_von
from tests.schulung.conftest import schulung, termin, termin_anlegen, trainer  # noqa: F401

GEHEIM = "Zauberwaldgutachten"  # only in Erbach's Akte; searched for by the sweep


@dataclass
class Route:
    name: str
    muster: str
    parameter: tuple[str, ...]
    modul: str
    aktionen: dict | None  # DRF: method → action
    klasse: type | None

    @property
    def ist_api(self) -> bool:
        return self.name.startswith("api:")

    def methoden(self) -> list[str]:
        if self.aktionen:
            return sorted(self.aktionen)
        if self.klasse is not None and hasattr(self.klasse, "http_method_names"):
            eigene = [
                m for m in ("get", "post", "put", "patch", "delete") if hasattr(self.klasse, m)
            ]
            if eigene:
                return eigene
        return ["get", "post"]


def routen(muster=None, praefix="", namensraum=None, parameter=()) -> list[Route]:
    """Every leaf of the URLconf with its full name, pattern and parameters."""
    ergebnis = []
    for eintrag in get_resolver().url_patterns if muster is None else muster:
        eigene = tuple(eintrag.pattern.regex.groupindex)
        if isinstance(eintrag, URLResolver):
            raum = namensraum
            if eintrag.namespace:
                raum = f"{namensraum}:{eintrag.namespace}" if namensraum else eintrag.namespace
            ergebnis += routen(
                eintrag.url_patterns, praefix + str(eintrag.pattern), raum, parameter + eigene
            )
        elif isinstance(eintrag, URLPattern):
            rueckruf = eintrag.callback
            name = eintrag.name and (f"{namensraum}:{eintrag.name}" if namensraum else eintrag.name)
            ergebnis.append(
                Route(
                    name=name or "",
                    muster=praefix + str(eintrag.pattern),
                    parameter=parameter + eigene,
                    modul=rueckruf.__module__,
                    aktionen=getattr(rueckruf, "actions", None),
                    klasse=getattr(rueckruf, "cls", None) or getattr(rueckruf, "view_class", None),
                )
            )
    return ergebnis


# Parameters that do not name a record of a Kommune, with why (everything else must be filled
# from Erbach's objects or the test fails).
KEINE_MANDANTENOBJEKTE = {
    "format": "format suffix of the API (json)",
    "dateiformat": "export format of the Aktenplan (csv)",
    "nummer": "number of a Fassung within its Dienstanweisung",
    "seite": "page number of a document (einsicht)",
    "zahl": "name of a cockpit figure (CSV export)",
    "jahr": "year of a cockpit report",
    "monat": "month of a cockpit report",
    "schluessel": "secret key of an Akteneinsicht link (no account; checked by the view)",
    "laufnummer": "running number of the Protokoll: counts within the reader's own Kommune",
    "token": "password link token (an invalid one: the page says the link is not valid)",
    "art": "format of the Löschprotokoll (csv or pdf)",
}
# Routes only for superusers (the Django admin): everyone else is sent to its login.
NUR_SUPERUSER = "admin/"


@dataclass
class Welt:
    """Erbach's objects and the strings that must never reach a person of another Kommune."""

    objekte: dict
    verbund_objekte: set = field(default_factory=set)
    geheimnisse: list = field(default_factory=list)


@pytest.fixture
def welt(
    erbach,
    bauamt,
    sachbearbeitung,
    kommunen_admin,
    akte_anlegen,
    kleiner_plan,
    aktenplan,
    trainer,  # noqa: F811
    schulung,  # noqa: F811
    termin,  # noqa: F811
    fremde_sachbearbeitung,
    settings,
    tmp_path,
):
    settings.MEDIA_ROOT = tmp_path
    akte = akte_anlegen(sachbearbeitung, bauamt, betreff=f"{GEHEIM} Ahornweg 7")
    vorgang = akten_services.vorgang_anlegen(
        akteur=akteur_von(sachbearbeitung), akte=akte, betreff="Gutachten Ahornweg"
    )
    version = akten_services.dokument_hochladen(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        datei=ContentFile(pdf_bytes("Geheimes Gutachten"), name="Gutachten-Ahornweg.pdf"),
    )
    dokument = version.dokument
    wiedervorlage = akten_services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        datum=timezone.localdate(),
        notiz="Rückruf Ahornweg",
    )
    kollegin = _person(erbach, "kollegin.erbach", [Rolle.SACHBEARBEITUNG], [bauamt])
    akten_services.freigaberechte_setzen(kollegin, akte, schreiben=False)
    inhalt = ContentFile(pdf_bytes("Eingangspost Ahornweg"), name="Scan-Ahornweg.pdf")
    from eakte.akten import dateien

    datei, _ = dateien.ablegen(kommune=erbach, datei=inhalt, pruefung=dateien.pruefen(inhalt))
    ocr_services.einreihen(datei, hochgeladen=inhalt)
    eintrag = Posteingangseintrag.objects.create(
        kommune=erbach, datei=datei, dateiname="Scan-Ahornweg.pdf", quelle="Scanner Rathaus"
    )
    deckblatt, _ = posteingang_services.deckblatt_erstellen(
        akteur=akteur_von(sachbearbeitung), akte=akte, vorgang=vorgang
    )
    dienstanweisung = schulung_services.dokument_anlegen(
        akteur=akteur_von(trainer),
        art="dienstanweisung",
        titel="Dienstanweisung Ahornweg",
        text="Text",
    )
    anhang = schulung_services.anhang_hinzufuegen(
        akteur=akteur_von(trainer),
        dokument=dienstanweisung,
        datei=ContentFile(pdf_bytes("Anhang"), name="Anhang.pdf"),
    )
    anmeldung = schulung_services.termin_anmelden(akteur=akteur_von(sachbearbeitung), termin=termin)
    einheit = kleiner_plan["0.2.01"]
    gruppenzuordnung = identitaet_services.zuordnung_anlegen(
        akteur=akteur_von(kommunen_admin),
        kommune=erbach,
        gruppe="cn=GG-Ahornweg,ou=gruppen,dc=erbach",
        organisationseinheit=bauamt,
    )
    antrag, regel, rueckmeldung, postfach, zulassung, zustellpunkt = _eingang(
        erbach, bauamt, sachbearbeitung, kommunen_admin, einheit
    )
    gang, schritt, vorlage, vertretung = _geschaeftsgang(sachbearbeitung, kollegin, vorgang)
    einsicht = einsicht_services.einsicht_anlegen(
        akteur=akteur_von(sachbearbeitung),
        akte=akte,
        empfaenger_name="Anwalt Ahornweg",
        empfaenger_email="anwalt@ahornweg.example",
    )
    einsicht_dokument = EinsichtDokument.objects.get(einsicht=einsicht)
    schwaerzung = einsicht_services.schwaerzungen_hinzufuegen(
        akteur=akteur_von(sachbearbeitung),
        eintrag=einsicht_dokument,
        kaesten=[Kasten(1, 0.1, 0.1, 0.2, 0.2)],
    )[0]
    objekte = {
        "akte": akte,
        "vorgang": vorgang,
        "dokument": dokument,
        "version": version,
        "wiedervorlage": wiedervorlage,
        "eintrag": eintrag,
        "deckblatt": deckblatt,
        "oe": bauamt,
        "benutzer": kollegin,
        "kommune": erbach,
        "protokoll": Protokolleintrag.objects.filter(kommune=erbach).order_by("-laufnummer")[0],
        "anmeldung": anmeldung,
        "gruppenzuordnung": gruppenzuordnung,
        "antrag": antrag,
        "regel": regel,
        "rueckmeldung": rueckmeldung,
        "postfach": postfach,
        "zustellpunkt": zustellpunkt,
        "zulassung": zulassung,
        "plattform": zulassung.plattform,
        "geschaeftsgang": gang,
        "schritt": schritt,
        "vorlage": vorlage,
        "vertretung": vertretung,
        "einsicht": einsicht,
        "einsicht_dokument": einsicht_dokument,
        "schwaerzung": schwaerzung,
        # shared by the Verbund
        "aktenplan": aktenplan,
        "einheit": einheit,
        "schulungsdokument": dienstanweisung,
        "anhang": anhang,
        "schulung": schulung,
        "termin": termin,
        **aussonderung_objekte(
            kommune=erbach,
            admin=kommunen_admin,
            sachbearbeitung=sachbearbeitung,
            oe=bauamt,
            akte_anlegen=akte_anlegen,
            plan=kleiner_plan,
        ),
    }
    geheimnisse = [
        # Not GEHEIM itself: the search pages show the query they were given.
        str(akte.uuid),
        akte.aktenzeichen,
        str(vorgang.uuid),
        str(dokument.uuid),
        str(version.uuid),
        "Gutachten-Ahornweg.pdf",
        str(wiedervorlage.uuid),
        "Rückruf Ahornweg",
        str(eintrag.uuid),
        "Scan-Ahornweg.pdf",
        str(deckblatt.uuid),
        str(kollegin.uuid),
        str(anmeldung.uuid),
        str(gruppenzuordnung.uuid),
        "GG-Ahornweg",
        str(antrag.uuid),
        "CIV-AHORNWEG",
        str(regel.uuid),
        str(rueckmeldung.uuid),
        str(postfach.uuid),
        str(zustellpunkt.uuid),
        "ahornweg-fitconnect",
        str(zulassung.uuid),
        "ahornweg@erbach.example",
        str(gang.uuid),
        str(schritt.uuid),
        str(vorlage.uuid),
        "Vorlage Ahornweg",
        str(vertretung.uuid),
        str(einsicht.uuid),
        einsicht.nummer,
        "Anwalt Ahornweg",
    ]
    return Welt(
        objekte=objekte,
        verbund_objekte={
            "plattform",
            "aktenplan",
            "einheit",
            "schulungsdokument",
            "anhang",
            "schulung",
            "termin",
        },
        geheimnisse=geheimnisse,
    )


def _eingang(erbach, bauamt, sachbearbeitung, kommunen_admin, einheit):
    """An online application of Erbach (issue 19), its rule and a Rückmeldung."""
    from datetime import UTC, datetime

    from eakte.common.akteur import Akteur
    from eakte.eingang import services as eingang_services
    from eakte.eingang.einreichung import Anlage, Einreichung
    from eakte.eingang.models import Rueckmeldung

    system = Akteur.system("Test")
    plattform, _ = eingang_services.plattform_registrieren(
        akteur=system, verbund=erbach.verbund, name="Civento", kennung="civento"
    )
    zulassung = eingang_services.zulassung_erteilen(
        akteur=system, plattform=plattform, kommune=erbach, konto=sachbearbeitung
    )
    regel = eingang_services.regel_speichern(
        akteur=akteur_von(kommunen_admin), verbund=erbach.verbund, kommune=erbach,
        leistung="99140002000000", bezeichnung="Bauantrag", aktenplaneinheit=einheit, oe=bauamt,
    )  # fmt: skip
    antrag = eingang_services.antrag_annehmen(
        plattform=plattform,
        einreichung=Einreichung(
            kommune_ags=erbach.ags,
            leistung="99140002000000",
            referenz="CIV-AHORNWEG",
            antragsteller_name="Erika Ahornweg",
            eingereicht_am=datetime.now(UTC),
            anlagen=[Anlage("Antrag.pdf", pdf_bytes("Antrag Ahornweg"), ist_antrag=True)],
        ),  # fmt: skip
    ).antrag
    rueckmeldung = Rueckmeldung.alle.create(kommune=erbach, antrag=antrag, ereignis="abgeschlossen")
    postfach = eingang_services.postfach_anlegen(
        akteur=system, kommune=erbach, name="ahornweg@erbach.example", konto=sachbearbeitung,
        host="imap.erbach.example", benutzername="ahornweg", passwort="geheim-ahornweg",
    )  # fmt: skip
    from jwcrypto import jwk

    schluessel = jwk.JWK.generate(kty="EC", crv="P-256").export_private()
    zustellpunkt = eingang_services.zustellpunkt_anlegen(
        akteur=system, kommune=erbach, plattform=plattform,
        destination_id=uuid.uuid4(), token_url="https://auth.example/token",
        api_url="https://fitconnect.example/v1", client_id="ahornweg-fitconnect",
        client_secret="geheim-fitconnect", entschluesselungsschluessel=schluessel,
        signaturschluessel=schluessel,
    )  # fmt: skip
    return antrag, regel, rueckmeldung, postfach, zulassung, zustellpunkt


def _geschaeftsgang(sachbearbeitung, kollegin, vorgang):
    """A route of Erbach with an open step, a template and an absence (issue 17)."""
    from eakte.geschaeftsgang import services as gg_services
    from eakte.geschaeftsgang.models import Empfaengerart, Verfuegung

    gang = gg_services.geschaeftsgang_starten(
        akteur=akteur_von(sachbearbeitung),
        vorgang=vorgang,
        schritte=[gg_services.SchrittAngabe(Verfuegung.MITZEICHNUNG, person=kollegin)],
    )
    admin = _person(sachbearbeitung.kommune, "gg-admin.erbach", [Rolle.KOMMUNEN_ADMIN])
    vorlage = gg_services.vorlage_anlegen(
        akteur=akteur_von(admin),
        name="Vorlage Ahornweg",
        schritte=[gg_services.VorlageschrittAngabe(Verfuegung.KENNTNIS, Empfaengerart.ABSENDER)],
    )
    heute = timezone.localdate()
    vertretung = gg_services.vertretung_setzen(
        akteur=akteur_von(kollegin), abwesend=kollegin, von=heute, bis=heute,
        vertreter=[sachbearbeitung],
    )  # fmt: skip
    return gang, gang.schritte.get(), vorlage, vertretung


# Parameter name (of a page URL) → object of the Welt; `dokument_uuid` and `uuid` depend on app.
PARAMETER_OBJEKTE = {
    "akte_uuid": "akte",
    "vorgang_uuid": "vorgang",
    "version_uuid": "version",
    "eintrag_uuid": "eintrag",
    "wiedervorlage_uuid": "wiedervorlage",
    "benutzer_uuid": "benutzer",
    "oe_uuid": "oe",
    "slug": "kommune",
    "einheit_uuid": "einheit",
    "schulung_uuid": "schulung",
    "termin_uuid": "termin",
    "anmeldung_uuid": "anmeldung",
    "anhang_uuid": "anhang",
    "antrag_uuid": "antrag",
    "regel_uuid": "regel",
    "rueckmeldung_uuid": "rueckmeldung",
    "postfach_uuid": "postfach",
    "zustellpunkt_uuid": "zustellpunkt",
    "zulassung_uuid": "zulassung",
    "plattform_uuid": "plattform",
    "einsicht_uuid": "einsicht",
    "einsicht_dokument_uuid": "einsicht_dokument",
    "schwaerzung_uuid": "schwaerzung",
    "benutzername": "benutzer",
    "uidb64": "benutzer",
    "prozess_uuid": "prozess",
    "nachricht_uuid": "nachricht",
    "lauf_uuid": "loeschlauf",
    "anfrage_uuid": "anfrage",
    "schritt_uuid": "schritt",
    "gang_uuid": "geschaeftsgang",
    "vorlage_uuid": "vorlage",
    "vertretung_uuid": "vertretung",
}
# API viewsets: the model of the viewset names the object of its lookup parameter.
MODELL_OBJEKTE = {
    "akten.Akte": "akte",
    "akten.Vorgang": "vorgang",
    "akten.Dokument": "dokument",
    "akten.Version": "version",
    "akten.Wiedervorlage": "wiedervorlage",
    "posteingang.Posteingangseintrag": "eintrag",
    "posteingang.Deckblatt": "deckblatt",
    "einsicht.Einsicht": "einsicht",
    "kommunen.Organisationseinheit": "oe",
    "kommunen.Benutzer": "benutzer",
    "kommunen.Kommune": "kommune",
    "protokoll.Protokolleintrag": "protokoll",
    "aktenplan.Aktenplan": "aktenplan",
    "aktenplan.Aktenplaneinheit": "einheit",
    "schulung.Dokument": "schulungsdokument",
    "schulung.Schulung": "schulung",
    "schulung.Schulungstermin": "termin",
    "schulung.Anmeldung": "anmeldung",
    "aussonderung.Prozess": "prozess",
    "aussonderung.Loeschlauf": "loeschlauf",
    "aussonderung.Datenschutzanfrage": "anfrage",
    "eingang.Antrag": "antrag",
    "eingang.Regel": "regel",
    "eingang.Rueckmeldung": "rueckmeldung",
    "eingang.Postfach": "postfach",
    "eingang.Zustellpunkt": "zustellpunkt",
    "eingang.Zulassung": "zulassung",
    "eingang.Plattform": "plattform",
    "geschaeftsgang.Geschaeftsgang": "geschaeftsgang",
    "geschaeftsgang.Schritt": "schritt",
    "geschaeftsgang.Vorlage": "vorlage",
    "geschaeftsgang.Vertretung": "vertretung",
}


def _objekt_fuer(route: Route, parameter: str) -> str | None:
    """The Welt key for one parameter of one route, or None if it is not a tenant object."""
    if parameter in KEINE_MANDANTENOBJEKTE:
        return None
    if route.ist_api and route.klasse is not None:
        nachschlag = getattr(route.klasse, "lookup_url_kwarg", None) or getattr(
            route.klasse, "lookup_field", "pk"
        )
        if parameter == nachschlag:
            queryset = getattr(route.klasse, "queryset", None)
            if queryset is not None:
                return MODELL_OBJEKTE.get(queryset.model._meta.label)
    if parameter == "dokument_uuid":
        return "schulungsdokument" if route.modul.startswith("schulung") else "dokument"
    if parameter == "uuid" and route.modul.startswith("eakte.identitaet"):
        return "gruppenzuordnung"
    if parameter == "uuid" and route.modul == "eakte.kommunen.views":
        return "oe" if ":oe" in route.name else "benutzer"
    return PARAMETER_OBJEKTE.get(parameter)


def _wert(welt: Welt, route: Route, parameter: str, objekt_key: str | None, zufall: bool):
    if objekt_key is None:
        return {
            "format": "json",
            "dateiformat": "csv",
            "nummer": "1",
            "laufnummer": str(welt.objekte["protokoll"].laufnummer),
            "token": "ungueltig-123",
            "art": "csv",
            "seite": "1",
            "zahl": "kennzahlen",
            "jahr": "2026",
            "monat": "1",
            "schluessel": "ungueltig-123",
        }[parameter]
    objekt = welt.objekte[objekt_key]
    if parameter == "uidb64":
        return urlsafe_base64_encode(force_bytes(uuid.uuid4().int if zufall else objekt.pk))
    if parameter == "benutzername":
        return f"niemand{uuid.uuid4().hex[:6]}" if zufall else objekt.username
    if parameter == "slug":
        return f"nirgendwo-{uuid.uuid4().hex[:6]}" if zufall else objekt.slug
    if objekt_key == "protokoll":
        return "987654321" if zufall else str(objekt.laufnummer)
    return str(uuid.uuid4()) if zufall else str(objekt.uuid)


def _url(route: Route, werte: dict) -> str:
    if route.name:
        return reverse(route.name, kwargs=werte)
    # An unnamed route: its parameters put into the pattern text.
    url = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: werte[m.group(1)], route.muster)
    url = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: werte[m.group(1)], url)
    return "/" + url.replace("^", "").replace("$", "")


@dataclass
class Fall:
    route: Route
    methode: str
    url: str
    url_zufall: str
    objekte: set  # Welt keys in the URL


def faelle(welt: Welt) -> tuple[list[Fall], list[str]]:
    ergebnis, unfuellbar = [], []
    for route in routen():
        if route.muster.startswith(NUR_SUPERUSER):
            continue  # swept separately below
        schluessel = {p: _objekt_fuer(route, p) for p in route.parameter}
        fehlend = [
            p for p, k in schluessel.items() if k is None and p not in KEINE_MANDANTENOBJEKTE
        ]
        if fehlend:
            unfuellbar.append(f"{route.name} {route.muster}: {', '.join(fehlend)}")
            continue
        werte = {p: _wert(welt, route, p, k, False) for p, k in schluessel.items()}
        zufall = {p: _wert(welt, route, p, k, True) for p, k in schluessel.items()}
        url, url_zufall = _url(route, werte), _url(route, zufall)
        for methode in route.methoden():
            ergebnis.append(
                Fall(route, methode, url, url_zufall, {k for k in schluessel.values() if k})
            )
    return ergebnis, unfuellbar


def _anfrage(client, fall: Fall, url: str):
    senden = getattr(client, fall.methode)
    if fall.methode == "get":
        return senden(url, {"q": GEHEIM} if "such" in fall.route.name else {})
    if fall.route.ist_api:
        return senden(url, {}, format="json")
    return senden(url, {})


def _fremde(michelstadt, ordnungsamt_michelstadt, sontra):
    return {
        "Sachbearbeitung Michelstadt": _person(
            michelstadt, "sb.mic", [Rolle.SACHBEARBEITUNG], [ordnungsamt_michelstadt]
        ),
        "Kommunen-Admin Michelstadt": _person(
            michelstadt, "ka.mic", [Rolle.KOMMUNEN_ADMIN], [ordnungsamt_michelstadt]
        ),
        "Verbund-Admin Sontra": _person(sontra, "va.son", [Rolle.VERBUND_ADMIN]),
    }


def test_routenfeger_findet_nichts(
    welt, client, api_client, michelstadt, ordnungsamt_michelstadt, sontra
):
    fremde = _fremde(michelstadt, ordnungsamt_michelstadt, sontra)
    client.raise_request_exception = api_client.raise_request_exception = False  # 500 = Befund
    alle, unfuellbar = faelle(welt)
    assert not unfuellbar, "Routen, die der Routenfeger nicht füllen kann:\n" + "\n".join(
        unfuellbar
    )
    anzahl_routen = len({f.route.muster for f in alle})
    assert anzahl_routen > 150  # the URLconf is walked, not a short hand-written list

    befunde, anfragen, mit_403 = [], 0, set()
    for rolle, person in fremde.items():
        anderer_verbund = person.kommune.verbund_id != welt.objekte["kommune"].verbund_id
        for fall in alle:
            mandant = fall.objekte - welt.verbund_objekte
            pruefen_404 = bool(mandant) or (bool(fall.objekte) and anderer_verbund)
            client.force_login(person)
            api_client.force_authenticate(person)
            werkzeug = api_client if fall.route.ist_api else client
            antwort = _anfrage(werkzeug, fall, fall.url)
            anfragen += 1
            wo = f"{rolle}: {fall.methode.upper()} {fall.url} ({fall.route.name})"
            if antwort.status_code >= 500:
                befunde.append(f"{wo} → {antwort.status_code}")
                continue
            inhalt = (
                b"".join(antwort.streaming_content)
                if getattr(antwort, "streaming", False)
                else antwort.content
            ).decode("utf-8", "replace")
            verraten = [g for g in welt.geheimnisse if g in inhalt]
            if verraten:
                befunde.append(f"{wo} → {antwort.status_code} enthält {verraten}")
            token_seite = "token" in fall.route.parameter
            if not (pruefen_404 or token_seite):
                continue
            if not token_seite and antwort.status_code not in (403, 404, 405, 415):
                befunde.append(f"{wo} → {antwort.status_code}, erwartet 404")
                continue
            if antwort.status_code != 404:
                # Refused before any object was looked at (role, method, media type), or a token
                # page: the same answer as for an id that does not exist reveals nothing.
                client.force_login(person)
                api_client.force_authenticate(person)
                zum_vergleich = _anfrage(werkzeug, fall, fall.url_zufall)
                anfragen += 1
                if zum_vergleich.status_code != antwort.status_code:
                    befunde.append(
                        f"{wo} → {antwort.status_code}, für eine unbekannte Kennung "
                        f"{zum_vergleich.status_code}"
                    )
                else:
                    mit_403.add(f"{fall.methode.upper()} {fall.route.name}")
    print(
        f"\nRoutenfeger: {anzahl_routen} Routen, {len(alle)} Route×Methode, {len(fremde)} Personen,"
        f" {anfragen} Anfragen; nicht 404, aber wie für eine unbekannte Kennung: {len(mit_403)}"
        f" Route×Methode ({', '.join(sorted(mit_403))})"
    )
    assert not befunde, f"{len(befunde)} Befunde:\n" + "\n".join(befunde)


def test_admin_nur_fuer_superuser(client, welt, michelstadt, ordnungsamt_michelstadt, sontra):
    """The Django admin (every route of it) sends everyone but superusers to its login."""
    admin_routen = [r for r in routen() if r.muster.startswith("admin/")]
    assert len(admin_routen) > 20
    for person in _fremde(michelstadt, ordnungsamt_michelstadt, sontra).values():
        for route in admin_routen:
            werte = {p: _admin_wert(p, welt) for p in route.parameter}
            url = _url(route, werte)
            client.force_login(person)
            antwort = client.get(url)
            if route.name == "admin:login":
                assert antwort.status_code == 200  # the form; signing in there is refused
                continue
            if route.name == "admin:logout":
                assert antwort.status_code in (302, 405)  # not signed in to the admin
                continue
            assert antwort.status_code == 302, (route.name, url, antwort.status_code)
            assert re.search(r"/admin/login/", antwort["Location"]), url


def _admin_wert(parameter: str, welt: Welt) -> str:
    return {
        "app_label": "kommunen",
        "object_id": str(welt.objekte["kommune"].pk),
        "content_type_id": "1",
        "url": "kommunen/kommune/",
    }.get(parameter, "1")


@pytest.mark.urls("tests.common.routenfeger_urls")
def test_eine_neue_route_mit_unbekanntem_parameter_laesst_den_feger_scheitern(welt):
    """A new route is never skipped silently: the sweep names what it cannot fill."""
    _, unfuellbar = faelle(welt)
    assert unfuellbar == ["neu neu/<uuid:unbekanntes_ding_uuid>/: unbekanntes_ding_uuid"]


def test_routenfeger_anonym(welt, client, api_client):
    """Without signing in: the login (302) or 401/403 before any record is read. A tenant query
    of an anonymous request raises (no Bereich), so a view reading records first shows as 500."""
    client.raise_request_exception = api_client.raise_request_exception = False
    alle, unfuellbar = faelle(welt)
    assert not unfuellbar
    befunde = []
    for fall in alle:
        werkzeug = api_client if fall.route.ist_api else client
        antwort = _anfrage(werkzeug, fall, fall.url)
        wo = f"anonym: {fall.methode.upper()} {fall.url} ({fall.route.name})"
        inhalt = (
            b"".join(antwort.streaming_content)
            if getattr(antwort, "streaming", False)
            else antwort.content
        ).decode("utf-8", "replace")
        if antwort.status_code >= 500:
            befunde.append(f"{wo} → {antwort.status_code}")
        elif verraten := [g for g in welt.geheimnisse if g in inhalt]:
            befunde.append(f"{wo} → {antwort.status_code} enthält {verraten}")
        elif "token" in fall.route.parameter or not fall.objekte:
            continue  # public pages (login, health, password link) and lists: no 5xx, no leak
        elif antwort.status_code == 302:
            if not antwort["Location"].startswith(reverse("konten:anmelden")):
                befunde.append(f"{wo} → 302 nach {antwort['Location']}")
        elif antwort.status_code not in (401, 403, 404, 405, 415):
            befunde.append(f"{wo} → {antwort.status_code}")
    assert not befunde, f"{len(befunde)} Befunde:\n" + "\n".join(befunde)
