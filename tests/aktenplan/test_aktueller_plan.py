"""The plan in force, asked by the ORM (`aktueller_aktenplan`) and as the SQL subquery the search
uses (`aktueller_aktenplan_sql`): the same plan in every case."""

from datetime import timedelta

from django.db import connection
from django.utils import timezone

from aktenplan import selectors
from aktenplan.models import Aktenplan


def _per_sql(person, heute=None):
    with connection.cursor() as cursor:
        cursor.execute(
            selectors.aktueller_aktenplan_sql(),
            {"kommune": person.kommune_id, "heute": heute or timezone.localdate()},
        )
        zeile = cursor.fetchone()
    return zeile[0] if zeile else None


def _per_orm(person):
    plan = selectors.aktueller_aktenplan(person)
    return plan.pk if plan else None


def test_gleicher_plan_per_orm_und_sql(verbund, sachbearbeitung, fremder_verbund_admin):
    heute = timezone.localdate()
    assert _per_sql(sachbearbeitung) is None and _per_orm(sachbearbeitung) is None
    ohne_datum = Aktenplan.objects.create(verbund=verbund, name="Ohne Datum")
    assert _per_sql(sachbearbeitung) == _per_orm(sachbearbeitung) == ohne_datum.pk
    alt = Aktenplan.objects.create(verbund=verbund, name="Alt", gueltig_ab=heute - timedelta(400))
    neu = Aktenplan.objects.create(verbund=verbund, name="Neu", gueltig_ab=heute)
    Aktenplan.objects.create(verbund=verbund, name="Künftig", gueltig_ab=heute + timedelta(1))
    # PostgreSQL sorts NULL first in a descending order, as the ORM's "-gueltig_ab" does
    assert _per_sql(sachbearbeitung) == _per_orm(sachbearbeitung) == ohne_datum.pk
    ohne_datum.delete()
    assert _per_sql(sachbearbeitung) == _per_orm(sachbearbeitung) == neu.pk
    assert _per_sql(sachbearbeitung, heute - timedelta(1)) == alt.pk
    # another Verbund's person gets none of these plans
    assert _per_sql(fremder_verbund_admin) is None and _per_orm(fremder_verbund_admin) is None
