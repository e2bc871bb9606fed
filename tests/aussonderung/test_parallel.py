"""Two approvers press "genehmigen" on the same Löschlauf at the same moment: exactly one run
happens, the other gets the German refusal (the run row is locked in the service)."""

import contextvars
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from eakte.aussonderung import services
from eakte.aussonderung.models import Aussonderungsvermerk, Loeschlauf
from eakte.kommunen.models import Benutzer
from tests.hilfen import akteur_von

pytestmark = [pytest.mark.timeout(120), pytest.mark.django_db(transaction=True)]


def test_zwei_gleichzeitige_genehmigungen_ergeben_einen_lauf(welt, datenschutz):
    lauf = services.loeschlauf_vorschlagen(akteur=akteur_von(welt.admin), akten=[welt.vernichten])
    genehmigende = [welt.zweite_admin.pk, datenschutz.pk]
    sperre = threading.Barrier(2, timeout=60)
    ergebnisse: list = []

    def genehmigen(benutzer_pk):
        try:
            benutzer = Benutzer.objects.select_related("kommune").get(pk=benutzer_pk)
            benutzer.rollen  # noqa: B018 - read before the race
            sperre.wait()
            try:
                services.loeschlauf_genehmigen(
                    akteur=akteur_von(benutzer), lauf=Loeschlauf.objects.get(pk=lauf.pk)
                )
                ergebnisse.append("ok")
            except ValidationError as fehler:
                ergebnisse.append(" ".join(fehler.messages))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=contextvars.copy_context().run, args=(genehmigen, pk))
        for pk in genehmigende
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert sorted(ergebnisse) == [
        "Dieser Löschlauf ist bereits genehmigt und durchgeführt.",
        "ok",
    ]
    assert Aussonderungsvermerk.objects.filter(akte=welt.vernichten).count() == 1
