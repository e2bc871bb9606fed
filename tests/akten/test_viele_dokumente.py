"""An Akte with many Dokumente: its page lists the newest of each Vorgang and links to the
rest; the Vorgang page lists all of them, page by page."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eakte.akten import selectors, services
from eakte.akten.views import vorgang as vorgangsseiten
from tests.conftest import pdf_bytes
from tests.hilfen import akteur_von

pytestmark = pytest.mark.django_db


@pytest.fixture
def fuenf_briefe(vorgang, sachbearbeitung):
    return [
        services.dokument_hochladen(
            akteur=akteur_von(sachbearbeitung),
            vorgang=vorgang,
            datei=SimpleUploadedFile(f"Brief {n}.pdf", pdf_bytes(f"Brief {n}"), "application/pdf"),
            titel=f"Brief {n}",
        ).dokument
        for n in range(1, 6)
    ]


def _titel(inhalt: str) -> list[str]:
    """The titles in the page's list of documents (forms elsewhere on the page, e.g. to start a
    Geschäftsgang on one Dokument, name them too)."""
    if 'id="dokumente"' in inhalt:
        inhalt = inhalt.split('id="dokumente"', 1)[1].split("</section>", 1)[0]
    return [f"Brief {n}" for n in range(1, 6) if f">Brief {n}<" in inhalt]


def test_aktenseite_zeigt_die_neuesten_und_verweist_auf_alle(
    client_als, sachbearbeitung, vorgang, fuenf_briefe, monkeypatch
):
    monkeypatch.setattr(selectors, "DOKUMENTE_JE_VORGANG", 3)
    inhalt = (
        client_als(sachbearbeitung)
        .get(reverse("akten:detail", kwargs={"akte_uuid": vorgang.akte.uuid}))
        .content.decode()
    )
    assert _titel(inhalt) == ["Brief 3", "Brief 4", "Brief 5"]
    assert f"Alle 5 Dokumente von {vorgang.vorgangszeichen}" in inhalt


def test_vorgangsseite_blaettert(client_als, sachbearbeitung, vorgang, fuenf_briefe, monkeypatch):
    monkeypatch.setattr(vorgangsseiten, "DOKUMENTE_JE_SEITE", 2)
    client = client_als(sachbearbeitung)
    adresse = reverse("akten:vorgang", kwargs={"vorgang_uuid": vorgang.uuid})
    seiten = [client.get(adresse, {"seite": n}).content.decode() for n in (1, 2, 3)]
    assert [_titel(s) for s in seiten] == [
        ["Brief 4", "Brief 5"],
        ["Brief 2", "Brief 3"],
        ["Brief 1"],
    ]
    assert "Seite 2 von 3" in seiten[1]
