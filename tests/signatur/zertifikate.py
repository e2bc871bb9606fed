"""A certificate + key generated for the test (never a fixed file), as PKCS#12, and a small PDF."""

import io
from datetime import UTC, datetime, timedelta

import pikepdf
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


def pkcs12_erzeugen(
    name: str = "Gemeinde Testdorf Siegel", *, passwort: str = "geheim", abgelaufen: bool = False
) -> bytes:
    schluessel = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    jetzt = datetime.now(UTC)
    von, bis = (
        (jetzt - timedelta(days=400), jetzt - timedelta(days=1))
        if abgelaufen
        else (jetzt - timedelta(days=1), jetzt + timedelta(days=365))
    )
    inhaber = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Testverbund"),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"),
        ]
    )
    zertifikat = (
        x509.CertificateBuilder()
        .subject_name(inhaber)
        .issuer_name(inhaber)
        .public_key(schluessel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(von)
        .not_valid_after(bis)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),  # fmt: skip
            critical=True,
        )
        .sign(schluessel, hashes.SHA256())
    )
    return serialization.pkcs12.serialize_key_and_certificates(
        b"siegel",
        schluessel,
        zertifikat,
        None,
        serialization.BestAvailableEncryption(passwort.encode()),
    )


def pdf_erzeugen(text: str = "Bescheid Schlusszeichnung", *, verschluesselt: bool = False) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    seite = pdf.pages[0]
    seite.obj.Resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(
            F1=pikepdf.Dictionary(
                Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
            )  # fmt: skip
        )
    )
    seite.obj.Contents = pdf.make_stream(f"BT /F1 14 Tf 72 760 Td ({text}) Tj ET".encode())
    ausgabe = io.BytesIO()
    if verschluesselt:
        pdf.save(ausgabe, encryption=pikepdf.Encryption(owner="o", user="u"))
    else:
        pdf.save(ausgabe, compress_streams=False)
    return ausgabe.getvalue()
