from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from eakte.cockpit import selectors, services
from eakte.cockpit.models import Tagesstand
from tests.einsicht.conftest import drei_dokumente  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def test_tagesstand_ist_idempotent_und_zaehlt_ablagen(erbach, bauamt, drei_dokumente):  # noqa: F811
    heute = timezone.localdate()
    services.tag_verdichten(tag=heute, kommunen=[erbach])
    erste = list(Tagesstand.alle.filter(kommune=erbach).values().order_by("oe_id"))
    services.tag_verdichten(tag=heute, kommunen=[erbach])
    zweite = list(Tagesstand.alle.filter(kommune=erbach).values().order_by("oe_id"))
    assert [dict(z, id=0, berechnet_am=0) for z in erste] == [
        dict(z, id=0, berechnet_am=0) for z in zweite
    ]
    bau = Tagesstand.alle.get(kommune=erbach, oe=bauamt, tag=heute)
    assert bau.ablagen == 3 and bau.dokumente_digital == 3 and bau.aktiv_30_tage
    assert bau.akten_angelegt == 1 and bau.vorgaenge_angelegt == 1
    kommune = Tagesstand.alle.get(kommune=erbach, oe=None, tag=heute)
    assert kommune.aktive_personen_7_tage == 1 and kommune.aktenplaneinheiten_genutzt == 1
    gestern = Tagesstand.alle.filter(kommune=erbach, tag=heute - timedelta(days=1))
    assert not gestern.exists()


def test_zeitraum_von_zwanzig_jahren_wird_abgelehnt():
    heute = timezone.localdate()
    with pytest.raises(ValidationError) as fehler:
        selectors.zeitraum(str(heute.replace(year=heute.year - 20)), str(heute), heute=heute)
    assert "höchstens 5 Jahre" in str(fehler.value)
    with pytest.raises(ValidationError):
        selectors.zeitraum("gestern", None, heute=heute)


def test_mandantenregeln(
    client_als,
    erbach,
    michelstadt,
    kommunen_admin,
    fremder_kommunen_admin,
    verbund_admin,
    sachbearbeitung,
):
    heute = timezone.localdate()
    services.tag_verdichten(tag=heute, kommunen=[erbach, michelstadt])
    c = client_als(kommunen_admin)
    assert c.get(f"/cockpit/kommune/{erbach.slug}/").status_code == 200
    assert c.get(f"/cockpit/kommune/{michelstadt.slug}/").status_code == 404
    assert c.get(f"/cockpit/kommune/{michelstadt.slug}/csv/oes/").status_code == 404
    assert c.get("/cockpit/verbund/").status_code == 403
    assert (
        client_als(fremder_kommunen_admin).get(f"/cockpit/kommune/{erbach.slug}/").status_code
        == 404
    )
    assert client_als(sachbearbeitung).get(f"/cockpit/kommune/{erbach.slug}/").status_code == 404
    v = client_als(verbund_admin)
    antwort = v.get("/cockpit/verbund/")
    assert antwort.status_code == 200
    inhalt = antwort.content.decode()
    assert "Erbach" in inhalt and "Michelstadt" in inhalt and "Bauamt" not in inhalt
    assert v.get(f"/cockpit/kommune/{michelstadt.slug}/").status_code == 404  # no OE view
    zwanzig = v.get("/cockpit/verbund/?von=2000-01-01&bis=2020-01-01")
    assert zwanzig.status_code == 400 and "höchstens 5 Jahre" in zwanzig.content.decode()
    csv = v.get("/cockpit/verbund/csv/kennzahlen/").content.decode("utf-8-sig")
    assert "Erbach" in csv and "Bauamt" not in csv
    pdf = c.get(f"/cockpit/kommune/{erbach.slug}/bericht/{heute.year}/{heute.month}/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_nachberechnen_mit_fortschritt(erbach):
    import io

    from django.core.management import call_command

    ausgabe = io.StringIO()
    call_command(
        "cockpit_nachberechnen", "--von", "2026-01-01", "--bis", "2026-01-10", stdout=ausgabe
    )
    assert "10/10 Tage" in ausgabe.getvalue()
    assert Tagesstand.alle.filter(kommune=erbach, oe=None).count() == 10


def test_beat_aufgabe_verdichtet_gestern_und_heute(erbach):
    from eakte.cockpit.tasks import verdichten

    verdichten()
    heute = timezone.localdate()
    tage = set(Tagesstand.alle.filter(kommune=erbach, oe=None).values_list("tag", flat=True))
    assert tage == {heute, heute - timedelta(days=1)}


def test_seiten_mit_fester_zahl_von_abfragen(
    client_als, erbach, michelstadt, verbund_admin, django_assert_max_num_queries
):
    heute = timezone.localdate()
    services.zeitraum_verdichten(von=heute - timedelta(days=20), bis=heute)
    client = client_als(verbund_admin)
    client.get("/cockpit/verbund/")
    with django_assert_max_num_queries(16):
        assert client.get("/cockpit/verbund/").status_code == 200


def test_aktiv_aus_den_tagesstaenden_wie_aus_den_ablagen(erbach, bauamt, drei_dokumente):  # noqa: F811
    from eakte.akten.models import Version

    heute = timezone.localdate()
    # noon of the local day ten days ago: "now minus 240 hours" is day −11 shortly after
    # midnight in the ten days after the clocks go forward
    vor_zehn_tagen = datetime.combine(heute - timedelta(days=10), time(12))
    Version.alle.filter(kommune=erbach).update(hochgeladen_am=timezone.make_aware(vor_zehn_tagen))
    # first run of the day: no roll-ups before it, the filings are read
    services.tag_verdichten(tag=heute, kommunen=[erbach])
    direkt = Tagesstand.alle.get(kommune=erbach, oe=bauamt, tag=heute).aktiv_30_tage
    # backfill forward: from the 29 days before, the roll-ups are read
    services.zeitraum_verdichten(von=heute - timedelta(days=40), bis=heute, kommunen=[erbach])
    ueber_tage = Tagesstand.alle.get(kommune=erbach, oe=bauamt, tag=heute).aktiv_30_tage
    assert direkt is True and ueber_tage is True
    alt = Tagesstand.alle.get(kommune=erbach, oe=bauamt, tag=heute - timedelta(days=11))
    assert alt.aktiv_30_tage is False
