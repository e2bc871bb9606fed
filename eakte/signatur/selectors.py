"""Reads of the signature app."""

from eakte.akten.models import Dokument

from .models import Signaturzertifikat, Signierung


def zertifikat_fuer(user) -> Signaturzertifikat | None:
    """The certificate of the person's own Kommune (subject, validity; never the secret)."""
    return Signaturzertifikat.objects.filter(kommune_id=user.kommune_id).first()


def signierungen_von(dokument: Dokument):
    return (
        Signierung.objects.filter(signiert__dokument=dokument)
        .select_related("signiert", "quelle", "signiert_von")
        .order_by("signiert__nummer")
    )
