"""Writes for Dienstanweisungen and Leitfäden: draft, publish, retire, confirm."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from eakte.kommunen.models import Benutzer, Kommune
from eakte.kommunen.rollen import Rolle

from . import darstellung, selectors
from .models import Dokument, Fassung, Fassungsstatus, Kenntnisnahme


def _nur_redaktion(benutzer: Benutzer, dokument_verbund_id: int) -> None:
    if not (
        selectors.ist_redaktion(benutzer) and benutzer.kommune.verbund_id == dokument_verbund_id
    ):
        raise PermissionDenied("Nur die Schulungsredaktion bearbeitet Dienstanweisungen.")


def _geltung_pruefen(dokument: Dokument, kommunen: list[Kommune], rollen: list[str]) -> None:
    if any(k.verbund_id != dokument.verbund_id for k in kommunen):
        raise ValidationError({"kommunen": "Eine Kommune gehört nicht zum Verbund."})
    if not dokument.alle_kommunen and not kommunen:
        raise ValidationError({"kommunen": "Bitte mindestens eine Kommune wählen."})
    if any(r not in Rolle.values for r in rollen):
        raise ValidationError({"rollen": "Unbekannte Rolle."})


@transaction.atomic
def dokument_create(
    *,
    benutzer: Benutzer,
    art: str,
    titel: str,
    text: str,
    kategorie: str = "",
    erfordert_kenntnisnahme: bool = False,
    alle_kommunen: bool = True,
    kommunen: list[Kommune] = (),
    rollen: list[str] = (),
) -> Dokument:
    verbund_id = benutzer.kommune.verbund_id
    _nur_redaktion(benutzer, verbund_id)
    dokument = Dokument(
        verbund_id=verbund_id,
        art=art,
        titel=titel.strip(),
        kategorie=kategorie.strip(),
        erfordert_kenntnisnahme=erfordert_kenntnisnahme,
        alle_kommunen=alle_kommunen,
        rollen=list(rollen),
    )
    _geltung_pruefen(dokument, list(kommunen), list(rollen))
    dokument.full_clean()
    dokument.save()
    dokument.kommunen.set(kommunen)
    Fassung.objects.create(
        dokument=dokument,
        nummer=1,
        text=text,
        html=darstellung.als_html(text),
        erstellt_von=benutzer,
    )
    return dokument


@transaction.atomic
def entwurf_speichern(*, benutzer: Benutzer, dokument: Dokument, text: str) -> Fassung:
    """Change the draft, or start a new draft from the current text after publication."""
    _nur_redaktion(benutzer, dokument.verbund_id)
    Dokument.objects.select_for_update().get(pk=dokument.pk)
    entwurf = dokument.fassungen.filter(status=Fassungsstatus.ENTWURF).first()
    if entwurf is None:
        nummer = (dokument.fassungen.aggregate(n=Max("nummer"))["n"] or 0) + 1
        entwurf = Fassung(dokument=dokument, nummer=nummer, erstellt_von=benutzer)
    entwurf.text, entwurf.html = text, darstellung.als_html(text)
    entwurf.save()
    return entwurf


@transaction.atomic
def entwurf_veroeffentlichen(
    *, benutzer: Benutzer, dokument: Dokument, gueltig_ab: date | None = None
) -> Fassung:
    """The draft becomes the Fassung in force; the previous one goes außer Kraft (stays readable).
    A new Fassung of a document that requires it asks everyone to confirm again."""
    _nur_redaktion(benutzer, dokument.verbund_id)
    Dokument.objects.select_for_update().get(pk=dokument.pk)
    entwurf = dokument.fassungen.filter(status=Fassungsstatus.ENTWURF).first()
    if entwurf is None:
        raise ValidationError("Es gibt keinen Entwurf zum Veröffentlichen.")
    dokument.fassungen.filter(status=Fassungsstatus.VEROEFFENTLICHT).update(
        status=Fassungsstatus.AUSSER_KRAFT
    )
    entwurf.status = Fassungsstatus.VEROEFFENTLICHT
    entwurf.gueltig_ab = gueltig_ab or date.today()
    entwurf.veroeffentlicht_am, entwurf.veroeffentlicht_von = timezone.now(), benutzer
    entwurf.save()
    return entwurf


@transaction.atomic
def dokument_ausser_kraft_setzen(*, benutzer: Benutzer, dokument: Dokument) -> None:
    _nur_redaktion(benutzer, dokument.verbund_id)
    dokument.fassungen.filter(status=Fassungsstatus.VEROEFFENTLICHT).update(
        status=Fassungsstatus.AUSSER_KRAFT
    )


@transaction.atomic
def kenntnis_nehmen(*, benutzer: Benutzer, fassung: Fassung) -> Kenntnisnahme:
    if fassung.status != Fassungsstatus.VEROEFFENTLICHT:
        raise ValidationError("Diese Fassung gilt nicht mehr; bitte die aktuelle bestätigen.")
    if not selectors.dokumente_for(benutzer).filter(pk=fassung.dokument_id).exists():
        raise PermissionDenied
    kenntnisnahme, _ = Kenntnisnahme.objects.get_or_create(fassung=fassung, benutzer=benutzer)
    return kenntnisnahme
