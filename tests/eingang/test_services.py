"""Routing rules that start a Geschäftsgang route template for every filed application
(service level, real DB): the route is open and its first step waits in the right Postkorb; a
template that cannot start leaves the Vorgang and a note why."""

import json

import pytest
from django.core.exceptions import ValidationError

from eakte.eingang import einreichung, services
from eakte.eingang.models import Antrag
from eakte.geschaeftsgang import selectors as gg_selectors
from eakte.geschaeftsgang import services as gg_services
from eakte.geschaeftsgang.models import (
    Empfaengerart,
    Gangstatus,
    Geschaeftsgang,
    Schrittstatus,
    Verfuegung,
)
from eakte.protokoll.models import Protokolleintrag
from tests.eingang.conftest import antrag_json, vorlage_mit
from tests.hilfen import akteur_von


def _regel_mit(regel, admin, vorlage):
    return services.regel_speichern(
        akteur=akteur_von(admin),
        verbund=regel.verbund,
        kommune=regel.kommune,
        regel=regel,
        leistung=regel.leistung,
        bezeichnung=regel.bezeichnung,
        aktenplaneinheit=regel.aktenplaneinheit,
        oe=regel.oe,
        vorlage=vorlage,
    )


def _annehmen(civento, referenz="CIV-G1"):
    eingabe = einreichung.aus_json(json.dumps(antrag_json(referenz)).encode(), "")
    return services.antrag_annehmen(plattform=civento.plattform, einreichung=eingabe).antrag


def test_zugeordneter_antrag_startet_den_geschaeftsgang_der_regel(
    civento, regel_bauantrag, kommunen_admin, vorlage_bauamt, sachbearbeitung,
    kollegin_andere_oe, eingangskonto,
):  # fmt: skip
    _regel_mit(regel_bauantrag, kommunen_admin, vorlage_bauamt)
    antrag = _annehmen(civento)
    gang = Geschaeftsgang.objects.get(vorgang=antrag.vorgang)
    assert gang.status == Gangstatus.LAUFEND and gang.vorlage == vorlage_bauamt
    assert gang.gestartet_von == eingangskonto  # in the Eingangskonto's name, like the Akte
    erster, zweiter = gang.schritte.order_by("position")
    assert erster.status == Schrittstatus.AKTIV and zweiter.status == Schrittstatus.WARTEND
    assert erster.empfaenger_oe.name == "Bauamt"
    # the first step waits in the Bauamt's Postkorb: its member sees it, the Hauptamt does not
    assert list(gg_selectors.postkorb_fuer(sachbearbeitung)) == [erster]
    assert not gg_selectors.postkorb_fuer(kollegin_andere_oe).exists()
    assert antrag.geschaeftsgang_hinweis == ""


def test_regel_ohne_vorlage_startet_nichts(civento, regel_bauantrag):
    antrag = _annehmen(civento)
    assert antrag.vorgang_id and not Geschaeftsgang.objects.exists()


def test_vorlage_mit_absender_schritt_wird_abgelehnt(regel_bauantrag, kommunen_admin, bauamt):
    mit_absender = vorlage_mit(
        kommunen_admin,
        (Verfuegung.VERANLASSUNG, Empfaengerart.OE, {"oe": bauamt}),
        (Verfuegung.VERSAND, Empfaengerart.ABSENDER, {}),
        name="mit Absender",
    )
    with pytest.raises(ValidationError) as fehler:
        _regel_mit(regel_bauantrag, kommunen_admin, mit_absender)
    assert "an den Absender" in " ".join(fehler.value.message_dict["vorlage"])
    regel_bauantrag.refresh_from_db()
    assert regel_bauantrag.vorlage is None


def test_vorlage_einer_anderen_kommune_wird_abgelehnt(
    regel_bauantrag, kommunen_admin, michelstadt, ordnungsamt_michelstadt
):
    from eakte.kommunen.rollen import Rolle
    from tests.factories import BenutzerFactory

    admin_michelstadt = BenutzerFactory(
        kommune=michelstadt, rollen=[Rolle.KOMMUNEN_ADMIN],
        organisationseinheiten=[ordnungsamt_michelstadt],
    )  # fmt: skip
    fremde = vorlage_mit(
        admin_michelstadt,
        (Verfuegung.VERANLASSUNG, Empfaengerart.OE, {"oe": ordnungsamt_michelstadt}),
    )
    with pytest.raises(ValidationError) as fehler:
        _regel_mit(regel_bauantrag, kommunen_admin, fremde)
    assert "Vorlage Ihrer Kommune oder des Verbunds" in str(fehler.value)


def test_vorgabe_des_verbunds_nur_mit_verbundvorlage(
    civento, digitallotse, verbund, kleiner_plan, kommunen_admin, vorlage_bauamt, bauamt,
    sachbearbeitung,
):  # fmt: skip
    from eakte.kommunen.rollen import Rolle

    angaben = {
        "akteur": akteur_von(digitallotse), "verbund": verbund, "kommune": None,
        "leistung": "99140002000000", "bezeichnung": "Bauantrag (Vorgabe)",
        "aktenplaneinheit": kleiner_plan["0.2.01"], "oe_kuerzel": "BA",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="Vorlage des ganzen Verbunds"):
        services.regel_speichern(vorlage=vorlage_bauamt, **angaben)
    verbundvorlage = vorlage_mit(
        digitallotse,
        (Verfuegung.KENNTNIS, Empfaengerart.ROLLE, {"rolle": Rolle.SACHBEARBEITUNG}),
        verbundweit=True,
        name="Kenntnis an die Sachbearbeitung",
    )
    services.regel_speichern(vorlage=verbundvorlage, **angaben)
    antrag = _annehmen(civento)
    schritt = Geschaeftsgang.objects.get(vorgang=antrag.vorgang).schritte.get()
    assert schritt.empfaenger_kommune == antrag.kommune
    assert list(gg_selectors.postkorb_fuer(sachbearbeitung)) == [schritt]


def test_vorlage_startet_nicht_vorgang_bleibt_mit_hinweis(
    civento, regel_bauantrag, kommunen_admin, vorlage_bauamt
):
    """The template was deleted (deactivated) after the rule named it: nothing is lost."""
    _regel_mit(regel_bauantrag, kommunen_admin, vorlage_bauamt)
    gg_services.vorlage_deaktivieren(akteur=akteur_von(kommunen_admin), vorlage=vorlage_bauamt)
    antrag = _annehmen(civento)
    assert antrag.vorgang_id is not None and antrag.vorgang.dokumente.count() == 2
    assert not Geschaeftsgang.objects.exists()
    assert "Bitte eine aktive Vorlage" in antrag.geschaeftsgang_hinweis
    antrag = Antrag.alle.get(pk=antrag.pk)
    assert antrag.geschaeftsgang_hinweis
    assert Protokolleintrag.alle.filter(
        beschreibung__contains="nicht gestartet", akte_uuid=antrag.vorgang.akte.uuid
    ).exists()


def test_posteingangsdatum_ist_der_deutsche_tag(civento, regel_bauantrag):
    """Filed at 23:30 UTC on 1 March: in Erbach it was half past midnight on 2 March."""
    from datetime import date

    from eakte.akten.models import Dokument

    daten = antrag_json("CIV-NACHT", metadaten={"eingereicht_am": "2026-03-01T23:30:00+00:00"})
    eingabe = einreichung.aus_json(json.dumps(daten).encode(), "")
    antrag = services.antrag_annehmen(plattform=civento.plattform, einreichung=eingabe).antrag
    daten_der_dokumente = set(
        Dokument.objects.filter(vorgang=antrag.vorgang).values_list("posteingangsdatum", flat=True)
    )
    assert daten_der_dokumente == {date(2026, 3, 2)}
