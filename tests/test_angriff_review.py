"""Findings of the attacker review of the issue-14 refactoring (one test per finding).

Each test failed on the code as merged; its docstring says what is wrong and how to fix it
(and whether the fix is on this branch).
"""

import pytest
from django.utils import timezone

from eakte.akten import services
from eakte.kommunen.rollen import Rolle
from tests.conftest import _person
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


def _uebergabe(person):
    return f"/api/v1/benutzer/{person.uuid}/uebergabe/"


def test_kommunen_admin_uebergibt_keine_freigaben_eines_verbund_admins(
    api_als, akte_anlegen, kommunen_admin, verbund_admin, sachbearbeitung, bauamt, erbach
):
    """The handover (`akten.uebergeben`, eakte/akten/regeln.py `verwaltet_person`) is built on
    `kommunen.kommune_verwalten` only, not on `kommunen.benutzer_bearbeiten`, which is the rule
    that protects a Verbund-Admin from a Kommunen-Admin. So a Kommunen-Admin lists and moves the
    shares and Wiedervorlagen of a (deactivated) Verbund-Admin of their Kommune to anyone they
    choose, although "only a Verbund-Admin may change a Verbund-Admin".
    Fix: `rules.add_rule("akten.uebergeben", ist_kommunen_admin & verwaltet_person &
    <kommunen.benutzer_bearbeiten>)`, i.e. build the akten predicate on
    `eakte.kommunen.regeln.verwaltet_person`. Fixed on this branch (eakte/akten/regeln.py)."""
    akte = akte_anlegen(sachbearbeitung, bauamt, "Vertrauliche Personalsache")
    services.akte_freigeben(
        akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=verbund_admin, schreiben=True
    )
    verbund_admin.is_active = False  # deactivated by another Verbund-Admin
    verbund_admin.save(update_fields=["is_active"])
    helfer = _person(erbach, "helfer.erbach", [Rolle.SACHBEARBEITUNG])
    client = api_als(kommunen_admin)
    antwort = client.post(
        _uebergabe(verbund_admin), {"was": "freigaben", "an": helfer.username}, format="json"
    )
    assert antwort.status_code in (403, 404), antwort.content


def test_schulung_dokument_fuer_oe_einer_anderen_kommune(
    api_als, erbach, michelstadt, ordnungsamt_michelstadt
):
    """The Schulung role reaches the whole Verbund (it publishes for every Kommune), but
    `bereich_fuer` (eakte/common/mandantenbereich.py) widens a person's Bereich to the Verbund
    only for a Verbund-Admin. `schulung/api.py` (create) and `schulung/forms.py` read the chosen
    OEs through the scoped `Organisationseinheit.objects`, so a Michelstadt OE chosen by a
    Schulung person of Erbach is silently dropped; with the OE list empty the document applies
    to *every* OE of Michelstadt ("leer: alle"): a Dienstanweisung meant for one OE reaches
    everyone, and the answer says 201. Fix: read the Verbund's OEs with `Organisationseinheit.alle`
    filtered by the Verbund (as `akten.selectors.oes_im_verbund` does), in the API, the form and
    wherever a Schulung document's OEs are shown or re-saved; or give Verbund-wide roles the
    Verbund as Bereich. The same root cause in `schulung.selectors.abschluss`: for a document
    restricted (by a Verbund-Admin) to a Michelstadt OE, `dokument.organisationseinheiten.exists()`
    is False in an Erbach trainer's request, so the completion list and `kenntnisnahme_erinnern`
    take every person of the chosen Kommunen as "open" and mail them all a reminder. Fixed:
    `schulung.selectors.oes_des_dokuments` and the form/API read the Verbund's OEs with `alle`."""
    from eakte.kommunen.rollen import Rolle

    trainer = _person(erbach, "trainer.erbach", [Rolle.SCHULUNG])
    antwort = api_als(trainer).post(
        "/api/v1/schulungsdokumente/",
        {
            "art": "leitfaden",
            "titel": "Nur Ordnungsamt Michelstadt",
            "text": "Text",
            "alle_kommunen": False,
            "kommunen": [michelstadt.slug],
            "organisationseinheiten": [str(ordnungsamt_michelstadt.uuid)],
        },
        format="json",
    )
    assert antwort.status_code == 201, antwort.content
    assert antwort.json()["organisationseinheiten"] == [str(ordnungsamt_michelstadt.uuid)]


def test_kommunen_admin_uebernimmt_kein_konto_mit_verbundweiter_rolle(
    api_als, kommunen_admin, digitallotse
):
    """Roles that reach beyond the Kommune are granted only by a Verbund-Admin
    (`kommunen.rolle_vergeben`), but `kommunen.benutzer_bearbeiten` (eakte/kommunen/regeln.py
    `verwaltet_person`) protects only holders of the Verbund-Admin role. A Kommunen-Admin changes
    the e-mail of a Digitallotse (or Schulung, Datenschutz) of their Kommune and sends the
    password link to the new address: they now sign in as a person who edits the shared
    Aktenplan of every Kommune / publishes for every Kommune, which is the escalation the issue
    forbids, reached through the account instead of the role. Fix: in `verwaltet_person`, treat
    every role of `VERBUNDWEITE_ROLLEN` like Verbund-Admin for the e-mail and the password link
    (deactivating a leaving person may stay with the Kommunen-Admin). The same way a
    Kommunen-Admin reads another Kommune's Akte shared with one of their people (the issue's
    handover attack, through the account): the sharing Kommune's Protokoll records nothing.
    Fixed: a person holding a Verbund-wide role is changed only by a Verbund-Admin
    (`kommunen.benutzer_bearbeiten`)."""
    client = api_als(kommunen_admin)
    antwort = client.patch(
        f"/api/v1/benutzer/{digitallotse.uuid}/",
        {"email": "uebernahme@example.org"},
        format="json",
    )
    assert antwort.status_code in (403, 404), antwort.content


def test_uebergabe_zeigt_wiedervorlagen_auf_akten_anderer_kommunen(
    api_als,
    client_als,
    akte_anlegen,
    kommunen_admin,
    sachbearbeitung,
    fremde_sachbearbeitung,
    ordnungsamt_michelstadt,
):
    """`offene_wiedervorlagen` (eakte/akten/services/uebergabe.py) reads `Wiedervorlage.objects`,
    which the safety net limits to the Bereich of the *admin* (their own Kommune). A leaving
    person's Wiedervorlage on an Akte shared by another Kommune is therefore neither listed on
    the page/API nor counted as "geblieben" at the handover: the admin is told nothing is left
    while a deadline of the other Kommune silently stays with a deactivated account (and, after
    the share lapses, with nobody who can see the Akte). Fix: read the person's Wiedervorlagen
    with `Wiedervorlage.alle.filter(benutzer=person, ...)` (the person is checked by
    `akten.uebergeben`; only Aktenzeichen, date and note are shown) or say on the page that
    Wiedervorlagen on other Kommunen' Akten exist. Fixed on this branch (`alle`; the note
    of a Wiedervorlage on another Kommune's Akte is not shown to the admin)."""
    mic = akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, "Amtshilfe")
    services.akte_freigeben(
        akteur=akteur_von(fremde_sachbearbeitung), akte=mic, empfaenger=sachbearbeitung
    )
    services.wiedervorlage_setzen(
        akteur=akteur_von(sachbearbeitung), akte=mic, datum=timezone.localdate(), notiz="Frist"
    )
    sachbearbeitung.is_active = False
    sachbearbeitung.save(update_fields=["is_active"])
    antwort = api_als(kommunen_admin).get(_uebergabe(sachbearbeitung))
    assert antwort.status_code == 200
    assert [w["aktenzeichen"] for w in antwort.json()["wiedervorlagen"]] == [mic.aktenzeichen]
    # listed, but the note about another Kommune's Akte is not shown to this admin
    assert antwort.json()["wiedervorlagen"][0]["notiz"] == ""
    seite = client_als(kommunen_admin).get(
        f"/kommunen/{sachbearbeitung.kommune.slug}/benutzer/{sachbearbeitung.uuid}/"
    )
    assert seite.status_code == 200 and mic.aktenzeichen in seite.content.decode()
    assert "Frist" not in seite.content.decode()


def test_aufnahme_gibt_niemandem_eigene_rollen(api_als, verbund_admin, erbach, hauptamt):
    """ "Nobody grants roles to themselves" is checked in `benutzer_aendern` only. The onboarding
    (`kommunen.services.aufnahme._person_abgleichen`, reached by `POST
    /api/v1/kommunen/aufnehmen/` and the page) sets the roles of an existing person as described
    with `benutzer_rollen_setzen`, without that check: a Verbund-Admin describes their own
    Kommune with themselves as Verbund-Admin + Datenschutz and can read the Protokoll of their
    Kommune (the Protokoll only records "Benutzer … geändert (Rollen)"). The same path
    deactivates the acting person, which `benutzer_deaktivieren` refuses, and reads `aktiv`
    with `bool()`, so `"aktiv": "false"` keeps a leaving person active. Fix: in
    `_person_abgleichen`, when `akteur.benutzer` is the person, refuse a change of roles or
    `aktiv`; read `aktiv` as a strict boolean. Fixed on this branch (aufnahme.py)."""
    kommune = {
        "name": erbach.name,
        "slug": erbach.slug,
        "ags": erbach.ags,
        "aktenzeichen_praefix": erbach.aktenzeichen_praefix,
        "aktenzeichen_muster": erbach.aktenzeichen_muster,
        "organisationseinheiten": [{"kuerzel": hauptamt.kuerzel, "name": hauptamt.name}],
        "personen": [
            {
                "benutzername": verbund_admin.username,
                "email": verbund_admin.email,
                "vorname": verbund_admin.first_name,
                "nachname": verbund_admin.last_name,
                "rollen": ["Verbund-Admin", "Datenschutz"],
                "oes": [hauptamt.kuerzel],
            }
        ],
    }
    antwort = api_als(verbund_admin).post(
        "/api/v1/kommunen/aufnehmen/",
        {"kommunen": [kommune], "probelauf": False},
        format="json",
    )
    verbund_admin.refresh_from_db()
    verbund_admin.__dict__.pop("_rollen", None)
    assert Rolle.DATENSCHUTZ not in verbund_admin.rollen, antwort.content


def test_sperre_gilt_auch_fuer_unicode_schreibweisen(client, kommunen_admin):
    """The login lock is keyed by `name.strip().lower()` (eakte/konten/sperre.py), but the login
    itself matches with Postgres `UPPER(username) = UPPER(%s)` (`username__iexact`). Letters
    whose upper case is ASCII but whose Python lower case is not, like the dotless „ı“ (U+0131,
    UPPER → „I“; Django's NFKC normalisation keeps it), give a name that logs into the same
    account with a counter of its own: after `admin.erbach` is locked, `admın.erbach` with the
    right password signs in, and every further spelling (one per „i“ in the name) gets 5 more
    tries. Fix: key the lock by `name.strip().upper().lower()` (or by the account found with
    `username__iexact`), so that it compares like the database. Fixed on this branch."""
    from django.conf import settings

    from tests.factories import PASSWORT

    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/anmelden/", {"username": "admin.erbach", "password": "falsch"})
    antwort = client.post("/anmelden/", {"username": "adm\u0131n.erbach", "password": PASSWORT})
    assert "_auth_user_id" not in client.session, "angemeldet trotz Sperre"
    assert antwort.status_code == 429


def test_uebergabe_api_unbekanntes_was_ist_400(api_als, kommunen_admin, sachbearbeitung, erbach):
    """`UebergabeView.post` (eakte/akten/api.py) treats every `was` other than exactly
    "freigaben" as "wiedervorlagen": `{"was": "Freigaben"}` or a typo moves the person's
    Wiedervorlagen instead and answers 200, although the schema declares a choice of the two.
    Fix: answer 400 (German) unless `was` is "wiedervorlagen" or "freigaben". Fixed on this
    branch."""
    sachbearbeitung.is_active = False
    sachbearbeitung.save(update_fields=["is_active"])
    _person(erbach, "sb3.erbach", [Rolle.SACHBEARBEITUNG])
    for was in ("Freigaben", "freigabe", ""):
        antwort = api_als(kommunen_admin).post(
            _uebergabe(sachbearbeitung), {"was": was, "an": "sb3.erbach"}, format="json"
        )
        assert antwort.status_code == 400, (was, antwort.content)
        assert "was" in antwort.json()
