import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.akten import services as akten_services
from eakte.common.pdf import text_pdf
from tests.hilfen import akteur_von

NAME = "Mustermann"


def hochladen(person, vorgang, titel, zeilen):
    return akten_services.dokument_hochladen(
        akteur=akteur_von(person),
        vorgang=vorgang,
        datei=SimpleUploadedFile(f"{titel}.pdf", text_pdf(zeilen, titel=titel), "application/pdf"),
        titel=titel,
    )


@pytest.fixture
def drei_dokumente(sachbearbeitung, vorgang):
    """Three PDFs with a text layer; the second names a third party."""
    return [
        hochladen(
            sachbearbeitung, vorgang, "Bauantrag", ["Bauantrag für das Grundstück", "Lindenweg 3"]
        ),
        hochladen(
            sachbearbeitung,
            vorgang,
            "Einwendung Nachbar",
            ["Einwendung gegen den Bauantrag", f"Herr Erwin {NAME} wohnt nebenan.", "Ende"],
        ),
        hochladen(sachbearbeitung, vorgang, "Stellungnahme", ["Stellungnahme des Bauamts"]),
    ]
