"""The FIT-Connect adapter end to end against a local FIT-Connect test server (free port)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from eakte.akten.models import Dokument
from eakte.eingang import fitconnect, geheimnis
from eakte.eingang.models import Antrag, Zustellpunkt
from tests.conftest import pdf_bytes
from tests.eingang import fitconnect_server
from tests.eingang.conftest import BAUANTRAG

EREIGNIS = fitconnect.EREIGNIS_BASIS


@pytest.fixture
def fc_server():
    server = fitconnect_server.starten()
    yield server
    fitconnect_server.beenden(server)


@pytest.fixture
def zustellpunkt(fc_server, civento, regel_bauantrag, erbach):
    return Zustellpunkt.objects.create(
        kommune=erbach,
        plattform=civento.plattform,
        destination_id=fc_server.destination_id,
        token_url=f"{fc_server.basis}/token",
        api_url=f"{fc_server.basis}/v1",
        client_id=fc_server.client_id,
        client_secret=geheimnis.verschluesseln(fc_server.client_secret),
        entschluesselungsschluessel=geheimnis.verschluesseln(
            fc_server.verschluesselung.export_private()
        ),
        signaturschluessel=geheimnis.verschluesseln(fc_server.signatur.export_private()),
    )


def _bauantrag(server, **mehr):
    return server.einreichen(
        leistung=BAUANTRAG,
        daten={"antragsteller": {"name": "Max Muster", "anschrift": "Lindenweg 2, Erbach"},
               "flurstueck": "Erbach 4/2"},
        anlagen=[("Bauantrag.pdf", pdf_bytes("FC Antrag"), "form"),
                 ("Lageplan.pdf", pdf_bytes("FC Lageplan"), "attachment")],
        **mehr,
    )  # fmt: skip


def test_einreichung_wird_vorgang_und_angenommen(fc_server, zustellpunkt, bauamt):
    kennung = _bauantrag(fc_server)
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert bericht.fehler == [] and len(bericht.angenommen) == 1, bericht
    antrag = Antrag.alle.select_related("vorgang__akte").get(referenz=f"fitconnect:{kennung}")
    assert antrag.antragsteller_name == "Max Muster"
    assert antrag.vorgang.akte.federfuehrende_oe == bauamt
    assert sorted(Dokument.alle.filter(vorgang=antrag.vorgang).values_list("titel", flat=True)) == [
        f"Antrag fitconnect:{kennung}", "Lageplan"]  # fmt: skip
    ereignis = fc_server.ereignis_fuer(kennung)  # signature checked by the server
    assert list(ereignis["events"]) == [EREIGNIS + "accept-submission"]
    assert ereignis["kopf"]["typ"] == "secevent+jwt" and ereignis["kopf"]["alg"] == "PS512"
    assert ereignis["iss"] == fc_server.destination_id


def test_manipulierte_anlage_wird_zurueckgewiesen(fc_server, zustellpunkt):
    kennung = _bauantrag(fc_server, manipulieren="Lageplan.pdf")
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert kennung in bericht.zurueckgewiesen
    ereignis = fc_server.ereignis_fuer(kennung)
    problem = ereignis["events"][EREIGNIS + "reject-submission"]["problems"][0]
    assert problem["type"].endswith("hash-mismatch") and "Lageplan.pdf" in problem["detail"]
    assert not Antrag.alle.exists() and not Dokument.alle.exists()


def test_unbekanntes_schema_wird_zurueckgewiesen(fc_server, zustellpunkt):
    kennung = _bauantrag(
        fc_server, schema="https://schema.fitko.de/fit-connect/metadata/9.0.0/metadata.schema.json"
    )
    fitconnect.zustellpunkt_abholen(zustellpunkt)
    problem = fc_server.ereignis_fuer(kennung)["events"][EREIGNIS + "reject-submission"]
    assert problem["problems"][0]["type"].endswith("unsupported-schema")
    assert not Antrag.alle.exists()


def test_veroeffentlichtes_schema_wird_geprueft(fc_server, zustellpunkt):
    """Rules of the published metadata schema 1.0.0 that the adapter itself never reads: a
    payment without its required fields, an application date that is no date."""
    falsch = [
        {"paymentInformation": {"paymentMethod": "BAR"}},
        {"additionalReferenceInfo": {"applicationDate": "gestern"}},
        {"publicServiceType": "Baugenehmigung"},
    ]
    kennungen = [_bauantrag(fc_server, metadaten_dazu=dazu) for dazu in falsch]
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert sorted(bericht.zurueckgewiesen) == sorted(kennungen) and not bericht.angenommen
    for kennung, ort in zip(
        kennungen, ["paymentInformation", "additionalReferenceInfo/applicationDate",
                    "publicServiceType"], strict=True,
    ):  # fmt: skip
        problem = fc_server.ereignis_fuer(kennung)["events"][EREIGNIS + "reject-submission"]
        assert problem["problems"][0]["type"].endswith("invalid-metadata")
        assert f"bei {ort}" in problem["problems"][0]["detail"]
    assert not Antrag.alle.exists() and not Dokument.alle.exists()


def test_vollstaendige_metadaten_nach_dem_veroeffentlichten_schema(fc_server, zustellpunkt):
    """Optional parts of the published schema, filled in correctly, are accepted (an amount in
    cents too: "multipleOf": 0.01 with floats would refuse 19.99). The applicant's
    applicationDate (2 March) is not taken for the time of receipt."""
    kennung = _bauantrag(fc_server, metadaten_dazu={
        "publicServiceType": {"name": "Baugenehmigung",
                              "identifier": f"urn:de:fim:leika:leistung:{BAUANTRAG}"},
        "paymentInformation": {"transactionReference": "KZ-2026-4711", "transactionId": "tx-42",
                               "paymentMethod": "CREDITCARD", "status": "BOOKED",
                               "grossAmount": 19.99},
    })  # fmt: skip
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert not bericht.zurueckgewiesen and len(bericht.angenommen) == 1, bericht
    antrag = Antrag.alle.get(referenz=f"fitconnect:{kennung}")
    assert abs(timezone.now() - antrag.eingereicht_am) < timedelta(minutes=5)


def test_kaputte_angaben_werden_zurueckgewiesen_nicht_abgebrochen(fc_server, zustellpunkt):
    """An impossible date (also under 1.1.0, checked by our schema alone) and a `$schema` that
    is no text are rejected with a reason; the poll goes on with the next submission."""
    unmoeglich = _bauantrag(
        fc_server, schema=fitconnect.SCHEMA_BASIS + "1.1.0/metadata.schema.json",
        metadaten_dazu={"additionalReferenceInfo": {"submissionDate": "2026-02-30T10:00:00+01:00"}},
    )  # fmt: skip
    kein_text = _bauantrag(fc_server, metadaten_dazu={"$schema": {"version": 1}})
    gut = _bauantrag(fc_server)
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert bericht.fehler == [] and len(bericht.angenommen) == 1
    detail = bericht.zurueckgewiesen[unmoeglich]
    assert (
        "bei additionalReferenceInfo/submissionDate hat nicht das vorgeschriebene Format" in detail
    )
    assert "wird nicht unterstützt" in bericht.zurueckgewiesen[kein_text]
    assert Antrag.alle.filter(referenz=f"fitconnect:{gut}").exists()


def test_technischer_fehler_blockiert_die_anderen_nicht(fc_server, zustellpunkt, monkeypatch):
    erste, zweite = _bauantrag(fc_server), _bauantrag(fc_server)
    echt, aufrufe = fitconnect.services.antrag_annehmen, []

    def einmal_kaputt(**angaben):
        aufrufe.append(angaben["einreichung"].referenz)
        if len(aufrufe) == 1:
            raise RuntimeError("Datenbank weg")
        return echt(**angaben)

    monkeypatch.setattr(fitconnect.services, "antrag_annehmen", einmal_kaputt)
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert len(bericht.angenommen) == 1 and not bericht.zurueckgewiesen
    assert "technischer Fehler (RuntimeError)" in bericht.fehler[0]
    kaputt = aufrufe[0].removeprefix("fitconnect:")
    assert kaputt in (erste, zweite) and fc_server.ereignis_fuer(kaputt) is None  # not confirmed
    # the next poll takes it up (the confirmed one is no longer listed)
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert len(bericht.angenommen) == 1 and bericht.fehler == []
    assert (
        Antrag.alle.filter(referenz__in=[f"fitconnect:{erste}", f"fitconnect:{zweite}"]).count()
        == 2
    )


def test_ohne_fachdaten_zurueckgewiesen_obwohl_das_schema_sie_erlaubt(fc_server, zustellpunkt):
    """The published schema leaves `data` optional; the intake needs the data's hash."""
    kennung = _bauantrag(fc_server)
    metadaten = fc_server.metadaten(kennung)
    del metadaten["contentStructure"]["data"]
    fc_server.metadaten_ersetzen(kennung, metadaten)
    fitconnect.zustellpunkt_abholen(zustellpunkt)
    problem = fc_server.ereignis_fuer(kennung)["events"][EREIGNIS + "reject-submission"]
    assert problem["problems"][0]["type"].endswith("invalid-metadata")
    assert "die Pflichtangabe „data“ fehlt" in problem["problems"][0]["detail"]


def test_abgelaufenes_token_wird_erneuert(fc_server, zustellpunkt):
    _bauantrag(fc_server)
    fc_server.naechstes_token_abgelaufen = True
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert bericht.fehler == [] and len(bericht.angenommen) == 1
    assert fc_server.token_abrufe == 2


def test_falsches_client_secret(fc_server, zustellpunkt):
    zustellpunkt.client_secret = geheimnis.verschluesseln("falsch")
    zustellpunkt.save()
    bericht = fitconnect.zustellpunkt_abholen(zustellpunkt)
    assert "Anmeldung bei FIT-Connect gescheitert" in bericht.fehler[0]
    zustellpunkt.refresh_from_db()
    assert "Anmeldung" in zustellpunkt.letzter_fehler


def test_unbekannte_leistung_wird_zurueckgewiesen(fc_server, zustellpunkt):
    kennung = fc_server.einreichen(
        leistung="99999999999999",
        daten={},
        anlagen=[("Antrag.pdf", pdf_bytes("x"), "form")],
    )
    fitconnect.zustellpunkt_abholen(zustellpunkt)
    problem = fc_server.ereignis_fuer(kennung)["events"][EREIGNIS + "reject-submission"]
    assert "nicht eingerichtet" in problem["problems"][0]["detail"]
