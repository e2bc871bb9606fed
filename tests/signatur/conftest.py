import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from eakte.signatur import services
from tests.geschaeftsgang.conftest import (  # noqa: F401 - the people of the Geschäftsgang
    amtsleitung,
    buergermeister,
    entwurf,
    stellvertreter,
)
from tests.hilfen import akteur_von
from tests.signatur.zertifikate import pdf_erzeugen, pkcs12_erzeugen


@pytest.fixture(scope="session")
def p12():
    return pkcs12_erzeugen("Gemeinde Erbach Dienstsiegel")


@pytest.fixture
def zertifikat(kommunen_admin, erbach, p12):
    return services.zertifikat_hinterlegen(
        akteur=akteur_von(kommunen_admin), kommune=erbach, pkcs12=p12, passphrase="geheim"
    )


@pytest.fixture
def signierbare_pdf():
    def erzeugen(name="Bescheid.pdf", **weiteres):
        return SimpleUploadedFile(name, pdf_erzeugen(**weiteres), content_type="application/pdf")

    return erzeugen
