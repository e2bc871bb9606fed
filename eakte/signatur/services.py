"""Writes of the signature app: the Kommune's certificate, signing at Schlusszeichnung, checks."""

import base64

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from eakte.akten import dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Datei, Version
from eakte.common.akteur import Akteur
from eakte.common.regeln import pruefen
from eakte.identitaet.geheimnis import entschluesseln, verschluesseln
from eakte.kommunen.models import Benutzer, Kommune
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import pdf
from .models import Signaturpruefung, Signaturzertifikat, Signierung

GROESSTE_P12 = 100 * 1024
GRUND = "Schlusszeichnung"


def _name(person: Benutzer) -> str:
    return person.get_full_name() or person.username


@transaction.atomic
def zertifikat_hinterlegen(
    *, akteur: Akteur, kommune: Kommune, pkcs12: bytes, passphrase: str
) -> Signaturzertifikat:
    """Store (or replace) the Kommune's signing certificate: readable with the passphrase,
    with a private key, valid now. Both are stored encrypted and never shown again."""
    pruefen(
        akteur.benutzer,
        "signatur.zertifikat_verwalten",
        kommune,
        meldung="Das Signaturzertifikat hinterlegt der Kommunen-Admin der Kommune.",
    )
    if not pkcs12:
        raise ValidationError({"pkcs12": "Bitte eine PKCS#12-Datei (.p12/.pfx) auswählen."})
    if len(pkcs12) > GROESSTE_P12:
        raise ValidationError({"pkcs12": "Die Zertifikatsdatei ist zu groß (höchstens 100 KB)."})
    try:
        _, _, _, angaben = pdf.pkcs12_lesen(pkcs12, passphrase)
    except ValidationError as fehler:
        raise ValidationError({"pkcs12": fehler.messages}) from fehler
    werte = {
        "pkcs12": verschluesseln(base64.b64encode(pkcs12).decode()),
        "passphrase": verschluesseln(passphrase),
        "inhaber": angaben.inhaber[:500],
        "aussteller": angaben.aussteller[:500],
        "gueltig_von": angaben.gueltig_von,
        "gueltig_bis": angaben.gueltig_bis,
        "fingerabdruck": angaben.fingerabdruck,
        "hinterlegt_von": akteur.benutzer,
    }
    zertifikat, neu = Signaturzertifikat.objects.update_or_create(kommune=kommune, defaults=werte)
    protokollieren(
        kommune_id=kommune.pk,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        akteur=akteur,
        beschreibung=f"Signaturzertifikat {'hinterlegt' if neu else 'ersetzt'}: "
        f"{angaben.inhaber}, gültig bis {timezone.localdate(angaben.gueltig_bis):%d.%m.%Y}",
        objekt=zertifikat,
        details={"fingerabdruck": angaben.fingerabdruck},
    )
    return zertifikat


def _pdf_der_version(version: Version) -> bytes:
    """The PDF to sign: the PDF/A rendition of the OCR if there is one, else the original PDF."""
    verarbeitung = getattr(version.datei, "verarbeitung", None)
    quelle: Datei = version.datei
    if verarbeitung is not None and verarbeitung.archiv_id:
        quelle = verarbeitung.archiv
    elif version.datei.mime_typ != "application/pdf":
        raise ValidationError(pdf.NUR_PDF)
    with dateien.oeffnen(quelle) as datei:
        return datei.read()


def version_signieren_ungeprueft(
    *, akteur: Akteur, version: Version, person: Benutzer
) -> Signierung:
    """Called inside the Schlusszeichnung (the step rule was asked there): sign the frozen
    Version's PDF with the Kommune's certificate; the result is the Dokument's next Version."""
    zertifikat = Signaturzertifikat.alle.filter(kommune_id=version.kommune_id).first()
    if zertifikat is None:
        raise ValidationError(
            "Für diese Kommune ist kein Signaturzertifikat hinterlegt: bitte ohne "
            "„elektronisch signieren“ schlusszeichnen oder den Kommunen-Admin fragen."
        )
    p12 = base64.b64decode(entschluesseln(zertifikat.pkcs12) or "")
    if not p12:
        raise ValidationError(
            "Das Signaturzertifikat lässt sich nicht mehr entschlüsseln: der Kommunen-Admin "
            "muss es neu hinterlegen."
        )
    inhalt = _pdf_der_version(version)
    signiert = pdf.signieren(
        inhalt,
        p12=p12,
        passphrase=entschluesseln(zertifikat.passphrase),
        name=_name(person),
        grund=GRUND,
    )
    name = version.dateiname.rsplit(".", 1)[0] + "_signiert.pdf"
    neu = akten_services.version_ablegen_ungeprueft(
        akteur=akteur,
        dokument=version.dokument,
        datei=ContentFile(signiert, name=name),
        kommentar=f"elektronisch signiert von {_name(person)} (Schlusszeichnung von "
        f"Version {version.nummer})",
    )
    return Signierung.objects.create(
        kommune_id=version.kommune_id,
        quelle=version,
        signiert=neu,
        signiert_von=person,
        zertifikat_inhaber=zertifikat.inhaber,
        fingerabdruck=zertifikat.fingerabdruck,
    )


def _pruefen_und_merken(datei: Datei) -> dict:
    """Check a stored PDF once and keep the result (a Datei never changes). Two views at once
    both check; the second insert is skipped (ON CONFLICT DO NOTHING)."""
    with dateien.oeffnen(datei) as offen:
        ergebnis = pdf.pruefen(offen.read())
    Signaturpruefung.alle.bulk_create(
        [Signaturpruefung(datei=datei, kommune_id=datei.kommune_id, ergebnis=ergebnis)],
        ignore_conflicts=True,
    )
    return ergebnis


def befunde_der_versionen(versionen: list[Version]) -> dict[int, list[dict]]:
    """{version id: signatures} of the PDF Versions given, with the trust statement: two
    queries whatever their number (cached checks, the Kommune's certificate); a Version seen
    for the first time is checked now."""
    pdfs = [v for v in versionen if v.datei.mime_typ == "application/pdf"]
    if not pdfs:
        return {}
    gemerkt = dict(
        Signaturpruefung.alle.filter(datei_id__in={v.datei_id for v in pdfs}).values_list(
            "datei_id", "ergebnis"
        )
    )
    eigene = dict(
        Signaturzertifikat.alle.filter(kommune_id__in={v.kommune_id for v in pdfs}).values_list(
            "kommune_id", "fingerabdruck"
        )
    )
    ausgabe = {}
    for version in pdfs:
        ergebnis = gemerkt.get(version.datei_id)
        if ergebnis is None:
            ergebnis = gemerkt[version.datei_id] = _pruefen_und_merken(version.datei)
        zeilen = []
        for befund in ergebnis.get("signaturen", []):
            eigen = befund["fingerabdruck"] == eigene.get(version.kommune_id)
            zeilen.append(
                {
                    **befund,
                    "eigenes_zertifikat": eigen,
                    "vertrauen": "hinterlegtes Zertifikat der Kommune"
                    if eigen
                    else "Zertifikat nicht aus einer vertrauenswürdigen Quelle geprüft",
                }
            )
        if ergebnis.get("meldung") and ergebnis["meldung"] != "keine PDF-Datei":
            zeilen.append({"meldung": ergebnis["meldung"], "intakt": False, "feld": ""})
        ausgabe[version.pk] = zeilen
    return ausgabe


def befunde(version: Version) -> list[dict]:
    """The signatures of one Version (see befunde_der_versionen)."""
    return befunde_der_versionen([version]).get(version.pk, [])
