"""The details of a Protokoll entry as people read them: German names for the stored keys,
"ja"/"nein" for truth values, lists and nested changes as text (issue 16: no raw field names).

The stored details stay as written (they are part of the hash chain and of the CSV/API)."""

import functools

from django.apps import apps
from django.utils.text import camel_case_to_spaces

DETAIL_NAMEN = {
    "0506": "Nachricht 0506",
    "abfrage": "Abfrage",
    "absender": "Absender",
    "aenderungen": "Änderungen",
    "akte": "Akte",
    "akten": "Akten",
    "aktenfuehrende_oe": "aktenführende OE",
    "aktenplaneinheit": "Aktenplaneinheit",
    "aktion": "Aktion",
    "anlage_verbindung_geloest": "Verbindung zur Anlage gelöst",
    "anlage_zu": "Anlage zu",
    "art": "Art",
    "aufbewahrung_bis": "aufzubewahren bis",
    "beginn": "Laufzeit von",
    "bemerkung": "Bemerkung",
    "benutzer": "Benutzer",
    "benutzername": "Benutzername",
    "betreff": "Betreff",
    "bis": "bis",
    "deckblatt": "Deckblatt",
    "dokument": "Dokument",
    "dokumente": "Dokumente",
    "download_erlaubt": "Herunterladen erlaubt",
    "eigenes_zertifikat": "eigenes Zertifikat",
    "einsicht": "Akteneinsicht",
    "elektronisch_signiert": "elektronisch signiert",
    "email": "E-Mail-Adresse",
    "empfaenger": "Empfänger",
    "ende": "Laufzeit bis",
    "engine": "Erkennungsprogramm",
    "ergebnis": "Ergebnis",
    "erneuert": "erneuert",
    "extern_id": "externe Kennung",
    "fassung": "Fassung",
    "federfuehrende_oe": "federführende OE",
    "felder": "Felder",
    "filter": "Filter",
    "fingerabdruck": "Fingerabdruck",
    "form": "Form",
    "format": "Format",
    "freigabe_mail": "E-Mail zur Freigabe",
    "geaendert": "geändert",
    "gefiltert": "gefiltert",
    "geschaeftsgang": "Geschäftsgang",
    "geschwaerzt": "geschwärzt",
    "gesetzt_von": "gesetzt von",
    "groesse": "Größe (Bytes)",
    "grund": "Grund",
    "gruppe": "Gruppe",
    "gueltig_bis": "gültig bis",
    "in_vertretung_fuer": "in Vertretung für",
    "ip": "IP-Adresse",
    "kennung": "Kennung",
    "kommune": "Kommune",
    "kommune_id": "Kommune (Nr.)",
    "kuerzel": "Kürzel",
    "loeschlauf": "Löschlauf",
    "message_id": "Nachrichtenkennung (Message-ID)",
    "mitglieder": "Mitglieder",
    "modus": "Modus",
    "nachher": "nachher",
    "nachname": "Nachname",
    "name": "Name",
    "neu": "neu",
    "neu_abwesend": "jetzt als abwesend erfasst",
    "neu_anwesend": "jetzt als anwesend erfasst",
    "oe": "Organisationseinheit",
    "organisationseinheit": "Organisationseinheit",
    "organisationseinheiten": "Organisationseinheiten",
    "personen": "Personen",
    "plan": "Aktenplan",
    "postausgangsdatum": "Postausgangsdatum",
    "posteingang": "Posteingang",
    "posteingangsdatum": "Posteingangsdatum",
    "postkorb_mail": "E-Mail zum Postkorb",
    "prozess": "Aussonderungsvorgang",
    "quelle": "Quelle",
    "rolle": "Rolle",
    "rollen": "Rollen",
    "schluessel": "Schlüssel",
    "schreiben": "Schreibrecht",
    "schritte": "Schritte",
    "schwaerzungen": "Schwärzungen",
    "seite": "Seite",
    "seiten": "Seiten",
    "sha256": "Prüfsumme (SHA-256)",
    "sha256_archiv": "Prüfsumme der Archivversion (SHA-256)",
    "sha256_original": "Prüfsumme des Originals (SHA-256)",
    "stillgelegt": "stillgelegt",
    "suchbegriffe": "Suchbegriffe",
    "suchwort": "per Suchwort",
    "teilgenommen": "teilgenommen",
    "titel": "Titel",
    "typ": "Art",
    "uebergeordnet": "übergeordnet",
    "untereinheiten": "Untereinheiten",
    "unveraendert": "unverändert",
    "verarbeitet_am": "verarbeitet am",
    "verbundweit": "im ganzen Verbund",
    "verfahren": "Verfahren",
    "version": "Version",
    "vertrauen": "Vertrauen",
    "vertraulichkeit": "Vertraulichkeit",
    "vertreter": "Vertretung",
    "von": "von",
    "vorgang": "Vorgang",
    "vorgeschlagen_von": "vorgeschlagen von",
    "vorher": "vorher",
    "vorher_oe": "vorherige Organisationseinheit",
    "vorlage": "Vorlage",
    "vorname": "Vorname",
    "weiter_an": "weiter an",
    "zda_am": "zdA am",
    "zda_am_vorher": "zdA-Datum vorher",
    "ziel": "Ziel",
    "zuletzt_abgeglichen_am": "zuletzt abgeglichen am",
    "zurueckgehalten": "zurückgehalten",
    "zwei_faktor_fuer_admins": "Zwei-Faktor-Anmeldung für Administration",
    "zweitkanal": "zweiter Kanal",
}


def feldnamen(schluessel) -> str:
    """Several keys as one German list ("Betreff, federführende OE"), e.g. for "geändert: …"."""
    return ", ".join(detail_name(k) for k in schluessel)


def detail_name(schluessel: str) -> str:
    """The German name of a stored key; an unknown key at least without underscores."""
    return DETAIL_NAMEN.get(schluessel, str(schluessel).replace("_", " "))


def wert_text(wert) -> str:
    if wert is True:
        return "ja"
    if wert is False:
        return "nein"
    if wert is None or wert == "" or wert == [] or wert == {}:
        return "–"
    if isinstance(wert, list | tuple):
        return ", ".join(wert_text(teil) for teil in wert)
    if isinstance(wert, dict):
        return "; ".join(f"{detail_name(k)}: {wert_text(v)}" for k, v in wert.items())
    return str(wert)


def details_anzeige(details: dict) -> list[tuple[str, str]]:
    return [(detail_name(k), wert_text(v)) for k, v in (details or {}).items()]


def objekt_name(objekt_typ: str) -> str:
    """The kind of object in German ("Löschlauf", "Geschäftsgang") instead of the class name the
    entry stores ("Loeschlauf", "Geschaeftsgang")."""
    return _objekt_namen().get(objekt_typ, objekt_typ)


@functools.cache
def _objekt_namen() -> dict[str, str]:
    gefunden: dict[str, list[str]] = {}
    for modell in apps.get_models():
        if modell.__module__.startswith(("eakte.", "aktenplan.", "schulung.")):
            gefunden.setdefault(modell.__name__, []).append(str(modell._meta.verbose_name))
    # a class name two apps share (Zugriff, Dokument) stays as it is: it would be a guess; so
    # does Django's default name ("prozess akte"), which is no better than the class name
    namen = {
        klasse: n[0]
        for klasse, n in gefunden.items()
        if len(n) == 1 and n[0] != camel_case_to_spaces(klasse)
    }
    # objects that are no model of their own, and names two apps share
    namen.update({"Protokoll": "Protokoll", "Schulungsdokument": "Schulungsdokument"})
    return namen
