"""The tenancy safety net (eakte/common/mandantenbereich.py).

The views in tests/common/mandantenbereich_urls.py forget the selectors on purpose: the net
alone must keep other Kommunen out, and a query without any Bereich must fail loudly.
"""

import logging
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings

from eakte.akten import services as akten_services
from eakte.akten.models import Akte
from eakte.celery import app
from eakte.common.mandantenbereich import (
    KeinMandantenbereich,
    aktiver_bereich,
    bereich,
    bereich_fuer,
    ohne_bereich,
    systembereich,
)
from eakte.kommunen.models import Organisationseinheit
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Protokolleintrag
from tests.factories import BenutzerFactory, OrganisationseinheitFactory
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.common.mandantenbereich_urls")]


@pytest.fixture
def akte_michelstadt(akte_anlegen, fremde_sachbearbeitung, ordnungsamt_michelstadt):
    return akte_anlegen(fremde_sachbearbeitung, ordnungsamt_michelstadt, betreff="Straßenfest")


@pytest.fixture
def akte_sontra(sontra, kleiner_plan):
    """An Akte of another Verbund, written directly (that Verbund has no Aktenplan here)."""
    oe = OrganisationseinheitFactory(kommune=sontra, name="Bauamt", kuerzel="BA")
    person = BenutzerFactory(
        kommune=sontra, rollen=[Rolle.SACHBEARBEITUNG], organisationseinheiten=[oe]
    )
    return Akte.objects.create(
        kommune=sontra,
        aktenplaneinheit=kleiner_plan["0.2.01"],
        betreff="Sontraer Akte",
        federfuehrende_oe=oe,
        aktenfuehrende_oe=oe,
        aktenzeichen="SON-0.2.01-0001/2026",
        kennzeichen="0.2.01",
        jahr=2026,
        laufende_nummer=1,
        beginn=date(2026, 1, 1),
        angelegt_von=person,
    )


def test_unscoped_query_without_scope_raises():
    with ohne_bereich(), pytest.raises(KeinMandantenbereich, match="akten.Akte"):
        list(Akte.objects.all())


def test_anonymous_request_does_not_inherit_the_tests_system_scope(client, akte):
    # The test body runs in the system Bereich; the request must not.
    assert aktiver_bereich().system
    with pytest.raises(KeinMandantenbereich):
        client.get("/test/akten/")


def test_view_without_selector_sees_only_the_persons_kommune(
    client_als, akte, akte_michelstadt, fremde_sachbearbeitung
):
    antwort = client_als(fremde_sachbearbeitung).get("/test/akten/")
    assert antwort.json() == {"akten": [akte_michelstadt.aktenzeichen]}
    assert akte.aktenzeichen.startswith("ERB")


def test_api_key_request_gets_the_persons_scope(
    api_client, akte, akte_michelstadt, fremde_sachbearbeitung
):
    from eakte.konten import services as konten_services

    schluessel = konten_services.api_schluessel_erneuern(akteur=akteur_von(fremde_sachbearbeitung))
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {schluessel}")
    antwort = api_client.get("/test/api/akten/")
    assert antwort.status_code == 200
    assert antwort.json() == {"akten": [akte_michelstadt.aktenzeichen]}


def test_streamed_body_runs_in_the_requests_scope(
    client_als, akte, akte_michelstadt, fremde_sachbearbeitung
):
    antwort = client_als(fremde_sachbearbeitung).get("/test/gestreamt/")
    # Consumed here, after the middleware returned, inside the test's system Bereich.
    assert b"".join(antwort.streaming_content).decode() == f"{akte_michelstadt.aktenzeichen}\n"


def test_personal_share_widens_the_scope_by_exactly_the_shared_akte_s_kommune(
    akte, akte_sontra, fremde_sachbearbeitung, client_als, erbach, michelstadt
):
    assert bereich_fuer(fremde_sachbearbeitung) == {michelstadt.pk}
    akten_services.freigaberechte_setzen(fremde_sachbearbeitung, akte, schreiben=False)
    assert bereich_fuer(fremde_sachbearbeitung) == {michelstadt.pk, erbach.pk}
    antwort = client_als(fremde_sachbearbeitung).get("/test/akten/")
    assert antwort.json() == {"akten": [akte.aktenzeichen]}


def test_share_with_an_oe_widens_the_scope_of_its_members(
    akte, sachbearbeitung, fremde_sachbearbeitung, ordnungsamt_michelstadt, erbach, michelstadt
):
    akten_services.freigaberechte_setzen(
        akten_services._freigabegruppe(ordnungsamt_michelstadt), akte, schreiben=False
    )
    assert bereich_fuer(fremde_sachbearbeitung) == {michelstadt.pk, erbach.pk}
    assert bereich_fuer(sachbearbeitung) == {erbach.pk}


def test_share_from_another_verbund_does_not_widen(
    akte_sontra, fremde_sachbearbeitung, michelstadt
):
    akten_services.freigaberechte_setzen(fremde_sachbearbeitung, akte_sontra, schreiben=False)
    assert bereich_fuer(fremde_sachbearbeitung) == {michelstadt.pk}


def test_verbund_admin_scope_is_the_whole_verbund(verbund_admin, erbach, michelstadt, sontra):
    assert bereich_fuer(verbund_admin) == {erbach.pk, michelstadt.pk}


def test_nested_scope_overrides_the_outer_system_scope(akte, akte_michelstadt, michelstadt):
    with bereich([michelstadt.pk]):
        assert list(Akte.objects.values_list("pk", flat=True)) == [akte_michelstadt.pk]
        with systembereich("innen"):
            assert Akte.objects.count() == 2
        assert Akte.objects.count() == 1
    assert Akte.objects.count() == 2


def test_related_managers_are_scoped_but_forward_relations_are_not(
    akte, erbach, michelstadt, bauamt
):
    with bereich([michelstadt.pk]):
        assert list(erbach.organisationseinheiten.all()) == []
        assert akte.federfuehrende_oe == bauamt  # _base_manager: plain
        assert Organisationseinheit.alle.filter(kommune=erbach).exists()


def test_tasks_run_in_the_system_scope(akte, akte_michelstadt):
    @app.task(name="tests.mandantenbereich.zaehlen")
    def zaehlen():
        bereich_jetzt = aktiver_bereich()
        return bereich_jetzt.grund, Akte.objects.count()

    with ohne_bereich():
        grund, anzahl = zaehlen.apply().get()
    assert grund == "Aufgabe tests.mandantenbereich.zaehlen"
    assert anzahl == 2


def test_management_commands_open_the_system_scope(akte):
    with ohne_bereich():
        call_command("protokoll_pruefen", verbosity=0)


def test_protokoll_chain_is_read_across_the_writers_scope(
    akte, fremde_sachbearbeitung, erbach, michelstadt
):
    """A reader from Michelstadt writes into Erbach's chain: the last entry is read anyway."""
    vorher = Protokolleintrag.alle.filter(kommune=erbach).count()
    assert vorher > 0
    from eakte.protokoll.models import Aktion
    from eakte.protokoll.services import protokollieren

    with bereich([michelstadt.pk]):
        eintrag = protokollieren(
            kommune_id=erbach.pk,
            aktion=Aktion.ANGESEHEN,
            akteur=akteur_von(fremde_sachbearbeitung),
            beschreibung="gelesen",
            akte=akte,
        )
    assert eintrag.laufnummer == vorher + 1


@override_settings(MANDANTENBEREICH_STRENG=False)
def test_production_logs_loudly_and_returns_nothing(akte, caplog):
    with ohne_bereich(), caplog.at_level(logging.ERROR, logger="eakte.mandantenbereich"):
        assert list(Akte.objects.all()) == []
    assert "ohne Mandantenbereich" in caplog.text
    assert "akten.Akte" in caplog.text
    assert "test_mandantenbereich.py" in caplog.text  # the stack excerpt names the caller


@override_settings(MANDANTENBEREICH_STRENG=False)
def test_production_anonymous_view_logs_and_leaks_nothing(client, akte, caplog):
    with caplog.at_level(logging.ERROR, logger="eakte.mandantenbereich"):
        antwort = client.get("/test/akten/")
    assert antwort.json() == {"akten": []}
    assert "ohne Mandantenbereich" in caplog.text
