"""Every write of the Antragseingang: registering platforms and their Kommunen, the routing
rules, accepting a submission (idempotent), the Rückmeldungen (webhooks) to the platform.

A submission is filed in the name of the Kommune's Eingangskonto named in the platform's
Zulassung (the system creates no records of its own), recorded as "Antragseingang <Plattform>".
Routing that fails (no rule applies, the OE is gone, the account may not write, the key is
missing) is no refusal: the files go to the Kommune's Posteingang with the reason.
"""

import json
import logging
import re
import secrets
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from aktenplan.models import Aktenplaneinheit
from eakte.akten import aktenzeichen, dateien
from eakte.akten import services as akten_services
from eakte.akten.models import Datei, Dokument, Dokumenttyp, Vorgang
from eakte.common.akteur import Akteur, Anmeldeart
from eakte.common.regeln import pruefen
from eakte.geschaeftsgang import services as geschaeftsgang_services
from eakte.geschaeftsgang.models import Empfaengerart, Vorlage
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit, Verbund
from eakte.posteingang import services as posteingang_services
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import geheimnis, signale
from .einreichung import Ablehnung, Einreichung, ungueltig
from .models import (
    Ablage,
    Aktenschluessel,
    Antrag,
    Antragsstatus,
    Antwortkennung,
    Ereignis,
    Plattform,
    Postfach,
    Regel,
    Rueckmeldung,
    Verschluesselung,
    Zulassung,
    Zustellpunkt,
    Zustellstatus,
)

logger = logging.getLogger(__name__)

# --- Plattformen und Zulassungen -----------------------------------------------------------


@transaction.atomic
def plattform_registrieren(
    *, akteur: Akteur, verbund: Verbund, name: str, kennung: str, webhook_url: str = ""
) -> tuple[Plattform, str]:
    """A new platform client; returns it with its secret (shown once, stored encrypted)."""
    if akteur.benutzer is not None:
        pruefen(akteur.benutzer, "eingang.plattform_verwalten", verbund)
    name, kennung, webhook_url = name.strip(), kennung.strip(), webhook_url.strip()
    _plattform_pruefen(name=name, webhook_url=webhook_url, kennung=kennung)
    if Plattform.objects.filter(kennung=kennung).exists():
        raise ValidationError({"kennung": "Diese Client-Kennung ist schon vergeben."})
    wert = geheimnis.neues_geheimnis()
    plattform = Plattform.objects.create(
        verbund=verbund,
        name=name.strip(),
        kennung=kennung,
        webhook_url=webhook_url,
        geheimnis=geheimnis.verschluesseln(wert),
    )
    for kommune in verbund.kommunen.all():
        protokollieren(
            kommune_id=kommune.pk,
            akteur=akteur,
            aktion=Aktion.ANGELEGT,
            beschreibung=f"Antragseingang: Plattform „{plattform.name}“ ({kennung}) registriert",
            objekt=plattform,
        )
    return plattform, wert


def _plattform_pruefen(*, name: str, webhook_url: str, kennung: str | None = None) -> None:
    fehler = {}
    if not name:
        fehler["name"] = "Bitte den Namen der Plattform angeben."
    if kennung is not None and not re.fullmatch(r"[a-z0-9][a-z0-9-]{1,79}", kennung):
        fehler["kennung"] = (
            "Die Client-Kennung besteht aus 2 bis 80 Kleinbuchstaben, Ziffern und Bindestrichen."
        )
    if webhook_url:
        try:
            URLValidator(schemes=["http", "https"])(webhook_url)
        except ValidationError:
            fehler["webhook_url"] = "Bitte eine gültige Webhook-Adresse (https://…) angeben."
    if fehler:
        raise ValidationError(fehler)


def _plattform_protokollieren(akteur: Akteur, plattform: Plattform, text: str) -> None:
    for kommune_id in plattform.verbund.kommunen.values_list("pk", flat=True):
        protokollieren(
            kommune_id=kommune_id,
            akteur=akteur,
            aktion=Aktion.GEAENDERT,
            beschreibung=f"Antragseingang: Plattform „{plattform.name}“ ({plattform.kennung}) "
            + text,
            objekt=plattform,
        )


@transaction.atomic
def plattform_aendern(
    *, akteur: Akteur, plattform: Plattform, name: str, webhook_url: str = "", aktiv: bool = True
) -> Plattform:
    """Change name, webhook address or switch a platform off (Verbund-Admin of its Verbund);
    an inactive platform is refused at the intake."""
    pruefen(akteur.benutzer, "eingang.plattform_verwalten", plattform.verbund)
    name, webhook_url = name.strip(), webhook_url.strip()
    _plattform_pruefen(name=name, webhook_url=webhook_url)
    plattform = Plattform.objects.select_for_update().get(pk=plattform.pk)
    geaendert = [
        feld
        for feld, wert in (("name", name), ("webhook_url", webhook_url), ("aktiv", aktiv))
        if getattr(plattform, feld) != wert
    ]
    plattform.name, plattform.webhook_url, plattform.aktiv = name, webhook_url, aktiv
    plattform.save()
    _plattform_protokollieren(
        akteur, plattform, f"geändert ({', '.join(geaendert) or 'keine Änderung'})"
    )
    return plattform


@transaction.atomic
def plattform_deaktivieren(*, akteur: Akteur, plattform: Plattform) -> Plattform:
    pruefen(akteur.benutzer, "eingang.plattform_verwalten", plattform.verbund)
    plattform.aktiv = False
    plattform.save(update_fields=["aktiv"])
    _plattform_protokollieren(akteur, plattform, "deaktiviert (keine Zustellung mehr)")
    return plattform


@transaction.atomic
def zulassung_erteilen(
    *, akteur: Akteur, plattform: Plattform, kommune: Kommune, konto: Benutzer
) -> Zulassung:
    if akteur.benutzer is not None:
        pruefen(akteur.benutzer, "eingang.zulassung_erteilen", kommune)
    if kommune.verbund_id != plattform.verbund_id or not plattform.aktiv:
        raise ValidationError(
            {"plattform": "Bitte eine aktive Plattform des Verbunds der Kommune wählen."}
        )
    if konto.kommune_id != kommune.pk or not konto.is_active:
        raise ValidationError({"konto": "Bitte ein aktives Konto dieser Kommune wählen."})
    zulassung, _ = Zulassung.alle.update_or_create(
        plattform=plattform, kommune=kommune, defaults={"konto": konto}
    )
    protokollieren(
        kommune_id=kommune.pk,
        akteur=akteur,
        aktion=Aktion.FREIGEGEBEN,
        beschreibung=f"Antragseingang: Plattform „{plattform.name}“ darf Anträge zustellen "
        f"(abgelegt im Namen von {konto.username})",
        objekt=zulassung,
    )
    return zulassung


@transaction.atomic
def zulassung_entziehen(*, akteur: Akteur, zulassung: Zulassung) -> None:
    """The platform may no longer deliver to the Kommune; its Anträge stay."""
    pruefen(akteur.benutzer, "eingang.zulassung_erteilen", zulassung.kommune)
    protokollieren(
        kommune_id=zulassung.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"Antragseingang: Plattform „{zulassung.plattform.name}“ darf keine Anträge "
        "mehr zustellen (Zulassung entzogen)",
        objekt=zulassung,
    )
    zulassung.delete()


# --- Regeln --------------------------------------------------------------------------------


def _regel_pruefen(
    *, verbund, kommune, leistung, bezeichnung, aktenplaneinheit, oe, oe_kuerzel, ablage,
    schluesselfeld, vorlage,
) -> None:  # fmt: skip
    fehler = {}
    if vorlage is not None and (meldung := vorlage_unbrauchbar(vorlage, verbund, kommune)):
        fehler["vorlage"] = meldung
    if not leistung:
        fehler["leistung"] = "Bitte den Leistungsschlüssel oder die Prozesskennung angeben."
    if not bezeichnung:
        fehler["bezeichnung"] = "Bitte eine Bezeichnung angeben."
    if aktenplaneinheit.aktenplan.verbund_id != verbund.pk:
        fehler["aktenplaneinheit"] = "Bitte eine Einheit des Aktenplans Ihres Verbunds wählen."
    if kommune is not None and (oe is None or oe.kommune_id != kommune.pk or not oe.aktiv):
        fehler["oe"] = "Bitte eine aktive Organisationseinheit der Kommune wählen."
    if kommune is None and not oe_kuerzel.strip():
        fehler["oe_kuerzel"] = "Bitte das Kürzel der federführenden OE angeben (z. B. BA)."
    if ablage not in Ablage.values:
        fehler["ablage"] = "Unbekannte Art der Ablage."
    elif ablage == Ablage.AKTE_JE_SCHLUESSEL and not schluesselfeld.strip():
        fehler["schluesselfeld"] = "Bitte das Feld der Antragsdaten nennen, das die Akte bestimmt."
    if fehler:
        raise ValidationError(fehler)


@transaction.atomic
def regel_speichern(
    *,
    akteur: Akteur,
    verbund: Verbund,
    kommune: Kommune | None,
    leistung: str,
    bezeichnung: str,
    aktenplaneinheit: Aktenplaneinheit,
    oe: Organisationseinheit | None = None,
    oe_kuerzel: str = "",
    ablage: str = Ablage.NEUE_AKTE,
    schluesselfeld: str = "",
    vorlage: Vorlage | None = None,
    regel: Regel | None = None,
) -> Regel:
    """Create or change a rule: with `kommune` for that Kommune (Kommunen-Admin), without it a
    default of the Verbund (Digitallotse)."""
    ziel = kommune if kommune is not None else verbund
    pruefen(akteur.benutzer, "eingang.regel_verwalten", ziel)
    if regel is not None and (regel.kommune_id != (kommune.pk if kommune else None)):
        raise ValidationError("Eine Regel bleibt bei ihrer Kommune bzw. beim Verbund.")
    leistung, bezeichnung = leistung.strip(), bezeichnung.strip()
    if kommune is not None:
        oe_kuerzel = ""
    else:
        oe = None
    _regel_pruefen(
        verbund=verbund, kommune=kommune, leistung=leistung, bezeichnung=bezeichnung,
        aktenplaneinheit=aktenplaneinheit, oe=oe, oe_kuerzel=oe_kuerzel, ablage=ablage,
        schluesselfeld=schluesselfeld, vorlage=vorlage,
    )  # fmt: skip
    werte = {
        "leistung": leistung,
        "bezeichnung": bezeichnung,
        "aktenplaneinheit": aktenplaneinheit,
        "oe": oe,
        "oe_kuerzel": oe_kuerzel.strip(),
        "ablage": ablage,
        "schluesselfeld": schluesselfeld.strip(),
        "vorlage": vorlage,
    }
    neu = regel is None
    regel = regel or Regel(verbund=verbund, kommune=kommune)
    for name, wert in werte.items():
        setattr(regel, name, wert)
    regel.validate_constraints()
    regel.save()
    for kommune_id in [kommune.pk] if kommune else verbund.kommunen.values_list("pk", flat=True):
        protokollieren(
            kommune_id=kommune_id,
            akteur=akteur,
            aktion=Aktion.ANGELEGT if neu else Aktion.GEAENDERT,
            beschreibung=f"Antragseingang: Regel „{regel}“ "
            + ("angelegt" if neu else "geändert")
            + ("" if kommune else " (Vorgabe des Verbunds)"),
            objekt=regel,
        )
    return regel


@transaction.atomic
def vorlage_unbrauchbar(vorlage: Vorlage, verbund: Verbund, kommune: Kommune | None) -> str:
    """Why a rule of `kommune` (None: a default of the Verbund) cannot start `vorlage`, or "".
    A default may only name a Verbund-wide template; no template may send a step to the
    "Absender": the intake has no person who could take it."""
    if (
        not vorlage.aktiv
        or vorlage.verbund_id != verbund.pk
        or vorlage.kommune_id not in (None, kommune.pk if kommune else None)
    ):
        if kommune is None:
            return "Eine Vorgabe des Verbunds kann nur eine Vorlage des ganzen Verbunds starten."
        return "Bitte eine aktive Vorlage Ihrer Kommune oder des Verbunds wählen."
    if vorlage.schritte.filter(art=Empfaengerart.ABSENDER).exists():
        return (
            f"Die Vorlage „{vorlage.name}“ schickt einen Schritt an den Absender; beim "
            "Antragseingang gibt es keinen Absender, der ihn übernehmen könnte. Bitte eine "
            "Vorlage ohne Absender-Schritt wählen."
        )
    return ""


@transaction.atomic
def regel_loeschen(*, akteur: Akteur, regel: Regel) -> None:
    ziel = regel.kommune if regel.kommune_id else regel.verbund
    pruefen(akteur.benutzer, "eingang.regel_verwalten", ziel)
    kommunen = (
        [regel.kommune_id]
        if regel.kommune_id
        else list(regel.verbund.kommunen.values_list("pk", flat=True))
    )
    for kommune_id in kommunen:
        protokollieren(
            kommune_id=kommune_id,
            akteur=akteur,
            aktion=Aktion.GEAENDERT,
            beschreibung=f"Antragseingang: Regel „{regel}“ gelöscht",
            objekt=regel,
        )
    regel.delete()


def regel_fuer(kommune: Kommune, leistung: str) -> Regel | None:
    """The Kommune's own rule for the Leistung, else the Verbund's default."""
    regeln = Regel.objects.filter(
        Q(kommune=kommune) | Q(kommune__isnull=True, verbund_id=kommune.verbund_id),
        leistung=leistung,
    ).select_related("aktenplaneinheit", "oe", "vorlage")
    return min(regeln, key=lambda regel: regel.kommune_id is None, default=None)


# --- Annehmen ------------------------------------------------------------------------------


@dataclass
class Annahme:
    antrag: Antrag
    neu: bool


def _zulassung(plattform: Plattform, einreichung: Einreichung) -> Zulassung:
    zulassung = (
        Zulassung.alle.filter(
            plattform=plattform,
            kommune__ags=einreichung.kommune_ags,
            kommune__verbund_id=plattform.verbund_id,
        )
        .select_related("kommune", "konto")
        .first()
    )
    if zulassung is not None:
        return zulassung
    # refused: which of the two reasons (asked only now, the common case needs one statement)
    kommune = Kommune.objects.filter(ags=einreichung.kommune_ags).first()
    if kommune is None or kommune.verbund_id != plattform.verbund_id:
        raise ungueltig(
            f"Eine Kommune mit dem AGS „{einreichung.kommune_ags}“ gibt es in diesem Verbund "
            "nicht.",
            art="kommune-unbekannt",
            feld="kommune_ags",
        )
    raise Ablehnung(
        403,
        "kommune-nicht-zugelassen",
        "Kommune nicht zugelassen",
        f"Die Plattform „{plattform.name}“ darf keine Anträge an {kommune.name} zustellen.",
    )


def _vorhanden(plattform: Plattform, einreichung: Einreichung) -> Antrag | None:
    bedingung = Q(referenz=einreichung.referenz)
    if einreichung.idempotenz_schluessel:
        bedingung |= Q(idempotenz_schluessel=einreichung.idempotenz_schluessel)
    return Antrag.alle.filter(bedingung, plattform=plattform).select_related("vorgang").first()


def antrag_annehmen(*, plattform: Plattform, einreichung: Einreichung) -> Annahme:
    """Accept a checked submission exactly once per platform reference / Idempotency-Key.

    A duplicate (also a concurrent one: the unique constraints decide, the loser waits for the
    winner's commit and then reads its row) returns the existing Antrag. Raises `Ablehnung`
    for an unknown Kommune or Leistung and a Kommune the platform may not deliver to."""
    zulassung = _zulassung(plattform, einreichung)
    kommune = zulassung.kommune
    vorhanden = _vorhanden(plattform, einreichung)
    if vorhanden is not None:
        return Annahme(vorhanden, False)
    regel = regel_fuer(kommune, einreichung.leistung)
    if regel is None:
        raise ungueltig(
            f"Die Leistung „{einreichung.leistung}“ ist für {kommune.name} nicht eingerichtet "
            "(keine Zuordnungsregel).",
            art="leistung-unbekannt",
            feld="leistungsschluessel",
        )
    gespeichert = _dateien_ablegen(kommune, einreichung)
    try:
        # a new Akte's number and the Protokoll entries are given at the end of the block: the
        # counter row and the Kommune's Protokoll lock are held from there to the commit, not
        # through the whole intake
        with transaction.atomic(), aktenzeichen.am_ende_vergeben():
            antrag = Antrag.objects.create(
                kommune=kommune,
                plattform=plattform,
                referenz=einreichung.referenz,
                idempotenz_schluessel=einreichung.idempotenz_schluessel,
                leistung=einreichung.leistung,
                prozess_id=einreichung.prozess_id,
                antragsteller_name=einreichung.antragsteller_name,
                antragsteller_anschrift=einreichung.antragsteller_anschrift,
                eingereicht_am=einreichung.eingereicht_am,
                daten=einreichung.daten,
                datenformat=einreichung.datenformat,
                regel=regel,
            )
            _einordnen(antrag, zulassung, regel, einreichung, gespeichert)
    except IntegrityError:
        vorhanden = _vorhanden(plattform, einreichung)
        if vorhanden is None:
            raise
        return Annahme(vorhanden, False)
    transaction.on_commit(
        lambda: (
            signale.antrag_zugeordnet.send(sender=Antrag, vorgang=antrag.vorgang, regel=regel)
            if antrag.vorgang_id
            else None
        )
    )
    return Annahme(antrag, True)


def _dateien_ablegen(kommune: Kommune, einreichung: Einreichung) -> dict[int, Datei]:
    """Store the checked attachments before the transaction: hashing and writing the files then
    happens outside the Kommune's Protokoll lock. The store is content-addressed per Kommune, so
    a submission that is refused or lost to a concurrent duplicate leaves no second copy."""
    ergebnis = {}
    for nummer, anlage in enumerate(einreichung.anlagen):
        datei = ContentFile(anlage.inhalt, name=anlage.name)
        pruefung = anlage.pruefung or dateien.pruefen(datei)
        ergebnis[nummer], _ = dateien.ablegen(kommune=kommune, datei=datei, pruefung=pruefung)
    return ergebnis


def _eingangsakteur(zulassung: Zulassung, plattform: Plattform) -> Akteur:
    return Akteur(
        benutzer=zulassung.konto,
        art=Anmeldeart.SYSTEM,
        grund=f"Antragseingang {plattform.name}",
    )


def _einordnen(
    antrag: Antrag,
    zulassung: Zulassung,
    regel: Regel,
    einreichung: Einreichung,
    gespeichert: dict[int, Datei],
) -> None:
    akteur = _eingangsakteur(zulassung, antrag.plattform)
    try:
        with transaction.atomic():  # a failed routing leaves no Akte or Vorgang behind
            vorgang = _vorgang(akteur, antrag, regel, einreichung)
            _dokumente_ablegen(akteur, antrag, vorgang, einreichung, gespeichert)
    except (ValidationError, PermissionDenied) as fehler:
        grund = _grund(fehler)
        _in_den_posteingang(antrag, einreichung, grund)
        return
    antrag.vorgang = vorgang
    antrag.save(update_fields=["vorgang"])
    protokollieren(
        kommune_id=antrag.kommune_id,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"Antrag {antrag.referenz} von {antrag.plattform.name} eingegangen und "
        f"dem Vorgang {vorgang.vorgangszeichen} zugeordnet (Regel „{regel}“)",
        objekt=antrag,
        akte=vorgang.akte,
    )
    if regel.vorlage_id is not None:
        _geschaeftsgang_starten(akteur, antrag, regel, vorgang)


def _geschaeftsgang_starten(akteur: Akteur, antrag: Antrag, regel: Regel, vorgang: Vorgang):
    """Start the rule's route template on the new Vorgang, in the intake's transaction (a
    savepoint): if it cannot start, the Vorgang stays and the Antrag and the Protokoll say why."""
    vorlage = regel.vorlage
    try:
        with transaction.atomic():
            meldung = vorlage_unbrauchbar(
                vorlage, antrag.kommune.verbund, antrag.kommune if regel.kommune_id else None
            )
            if meldung:
                raise ValidationError(meldung)
            geschaeftsgang_services.geschaeftsgang_aus_vorlage_starten(
                akteur=akteur, vorlage=vorlage, vorgang=vorgang
            )
    except (ValidationError, PermissionDenied) as fehler:
        grund = _grund(fehler)
        antrag.geschaeftsgang_hinweis = grund
        antrag.save(update_fields=["geschaeftsgang_hinweis"])
        protokollieren(
            kommune_id=antrag.kommune_id,
            akteur=akteur,
            aktion=Aktion.GEAENDERT,
            beschreibung=f"Geschäftsgang „{vorlage.name}“ für Antrag {antrag.referenz} nicht "
            f"gestartet: {grund}",
            objekt=antrag,
            akte=vorgang.akte,
        )


def _grund(fehler: Exception) -> str:
    return " ".join(getattr(fehler, "messages", None) or [str(fehler)])


def _oe(regel: Regel, kommune: Kommune) -> Organisationseinheit:
    if regel.oe_id:
        oe = regel.oe
    else:
        oe = Organisationseinheit.objects.filter(
            kommune=kommune, kuerzel__iexact=regel.oe_kuerzel
        ).first()
    if oe is None or not oe.aktiv:
        raise ValidationError(
            f"Die federführende OE der Regel „{regel}“ "
            f"({regel.oe_kuerzel or regel.oe}) gibt es in {kommune.name} nicht (mehr)."
        )
    return oe


def schluesselwert(antrag: Antrag, feld: str) -> str:
    """The value of a top-level field (or dotted path) of the JSON data, or of an XML element."""
    if antrag.datenformat == "json":
        wert = json.loads(antrag.daten or "{}")
        for teil in feld.split("."):
            wert = wert.get(teil) if isinstance(wert, dict) else None
        return str(wert).strip() if isinstance(wert, (str, int)) else ""
    from defusedxml.minidom import parseString

    knoten = parseString(antrag.daten.encode(), forbid_dtd=True).getElementsByTagName(feld)
    if not knoten:
        return ""
    return "".join(k.data for k in knoten[0].childNodes if k.nodeType == k.TEXT_NODE).strip()


def _vorgang(akteur: Akteur, antrag: Antrag, regel: Regel, einreichung: Einreichung) -> Vorgang:
    kommune = antrag.kommune
    oe = _oe(regel, kommune)
    betreff = einreichung.betreff or f"{regel.bezeichnung}: {antrag.antragsteller_name}"
    akte = None
    if regel.ablage == Ablage.AKTE_JE_SCHLUESSEL:
        wert = schluesselwert(antrag, regel.schluesselfeld)
        if not wert:
            raise ValidationError(
                f"Die Antragsdaten enthalten das Schlüsselfeld „{regel.schluesselfeld}“ nicht; "
                "die Akte kann nicht bestimmt werden."
            )
        schluessel = (
            Aktenschluessel.alle.select_for_update()
            .filter(kommune=kommune, leistung=regel.leistung, wert=wert)
            .select_related("akte")
            .first()
        )
        if schluessel is not None:
            akte = schluessel.akte
        else:
            akte = akten_services.akte_anlegen(
                akteur=akteur,
                aktenplaneinheit=regel.aktenplaneinheit,
                betreff=f"{regel.bezeichnung} {wert}",
                federfuehrende_oe=oe,
            )
            Aktenschluessel.objects.create(
                kommune=kommune, leistung=regel.leistung, wert=wert, akte=akte
            )
    else:
        akte = akten_services.akte_anlegen(
            akteur=akteur,
            aktenplaneinheit=regel.aktenplaneinheit,
            betreff=betreff,
            federfuehrende_oe=oe,
        )
    return akten_services.vorgang_anlegen(akteur=akteur, akte=akte, betreff=betreff)


def _dokumente_ablegen(
    akteur: Akteur,
    antrag: Antrag,
    vorgang: Vorgang,
    einreichung: Einreichung,
    gespeichert: dict[int, Datei],
) -> None:
    datum = timezone.localdate(einreichung.eingereicht_am)
    gemeinsam = {
        "akteur": akteur,
        "vorgang": vorgang,
        "posteingangsdatum": datum,
        "absender": antrag.antragsteller_name,
        "wie": f"über die Plattform {antrag.plattform.name} eingegangen",
        "details": {"antrag": str(antrag.uuid), "referenz": antrag.referenz},
    }
    haupt = einreichung.antrag_pdf
    akten_services.dokumente_ablegen(
        haupt={
            "gespeichert": gespeichert[einreichung.anlagen.index(haupt)],
            "dateiname": haupt.name,
            "titel": f"Antrag {antrag.referenz}",
            "bemerkung": f"Online-Antrag über {antrag.plattform.name}.",
        },
        anlagen=[
            {
                "gespeichert": gespeichert[nummer],
                "dateiname": anlage.name,
                "bemerkung": f"Anlage zum Online-Antrag {antrag.referenz}.",
            }
            for nummer, anlage in enumerate(einreichung.anlagen)
            if anlage is not haupt
        ],
        **gemeinsam,
    )


def _in_den_posteingang(antrag: Antrag, einreichung: Einreichung, grund: str) -> None:
    system = Akteur.system(f"Antragseingang {antrag.plattform.name}")
    antrag.nicht_zugeordnet_grund = grund
    antrag.save(update_fields=["nicht_zugeordnet_grund"])
    for anlage in einreichung.anlagen:
        posteingang_services.eintrag_anlegen(
            akteur=system,
            kommune=antrag.kommune,
            datei=ContentFile(anlage.inhalt, name=anlage.name),
            quelle=f"Antrag {antrag.referenz} ({antrag.plattform.name})"[:200],
            bemerkung=f"Nicht automatisch zugeordnet: {grund}",
        )
    protokollieren(
        kommune_id=antrag.kommune_id,
        akteur=system,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"Antrag {antrag.referenz} von {antrag.plattform.name} eingegangen, "
        f"nicht zugeordnet (im Posteingang): {grund}"[:1000],
        objekt=antrag,
    )


# --- Status und Rückmeldungen --------------------------------------------------------------


def status_ermitteln(antrag: Antrag) -> str:
    """eingegangen → in Bearbeitung (a clerk filed something or sent something back) →
    abgeschlossen (the Vorgang is zdA)."""
    vorgang = antrag.vorgang
    if vorgang is None:
        return antrag.status
    if vorgang.ist_zda:
        return Antragsstatus.ABGESCHLOSSEN
    zulassung_konto = Zulassung.alle.filter(
        plattform_id=antrag.plattform_id, kommune_id=antrag.kommune_id
    ).values_list("konto_id", flat=True)
    bearbeitet = (
        Dokument.alle.filter(vorgang=vorgang).exclude(angelegt_von__in=zulassung_konto).exists()
        or antrag.rueckmeldungen.exists()
    )
    return Antragsstatus.IN_BEARBEITUNG if bearbeitet else Antragsstatus.EINGEGANGEN


def _status_setzen(antrag: Antrag) -> None:
    neu = status_ermitteln(antrag)
    if neu != antrag.status:
        antrag.status = neu
        antrag.save(update_fields=["status"])


def _rueckmeldung_senden(rueckmeldung: Rueckmeldung) -> None:
    from celery import current_app

    transaction.on_commit(
        lambda: current_app.send_task(
            "eakte.eingang.rueckmeldung_zustellen", args=[rueckmeldung.pk]
        )
    )


@transaction.atomic
def dokument_uebermitteln(*, akteur: Akteur, antrag: Antrag, dokument: Dokument) -> Rueckmeldung:
    """A clerk sends an outgoing Dokument of the Antrag's Vorgang to the applicant (webhook)."""
    pruefen(akteur.benutzer, "eingang.uebermitteln", antrag)
    if antrag.vorgang_id is None or dokument.vorgang_id != antrag.vorgang_id:
        raise ValidationError("Das Dokument gehört nicht zum Vorgang dieses Antrags.")
    if not antrag.plattform.webhook_url:
        raise ValidationError(
            f"Für die Plattform „{antrag.plattform.name}“ ist keine Webhook-Adresse eingetragen."
        )
    if dokument.typ == Dokumenttyp.EINGANG:
        raise ValidationError(
            "Nur ausgehende Dokumente (z. B. ein Bescheid) können an den Antragsteller "
            "übermittelt werden."
        )
    rueckmeldung = Rueckmeldung.objects.create(
        kommune_id=antrag.kommune_id,
        antrag=antrag,
        ereignis=Ereignis.DOKUMENT,
        dokument=dokument,
        angelegt_von=akteur.benutzer,
    )
    _status_setzen(antrag)
    protokollieren(
        kommune_id=antrag.kommune_id,
        akteur=akteur,
        aktion=Aktion.EXPORTIERT,
        beschreibung=f"„{dokument.titel}“ an den Antragsteller von Antrag {antrag.referenz} "
        f"übermittelt ({antrag.plattform.name})",
        objekt=dokument,
        akte=dokument.akte,
    )
    _rueckmeldung_senden(rueckmeldung)
    return rueckmeldung


def vorgang_abgeschlossen(*, vorgang_id: int) -> None:
    """Receiver of akten's `vorgang_zda_verfuegt`: tell the platform (in that transaction)."""
    for antrag in Antrag.alle.filter(vorgang_id=vorgang_id).select_related("plattform"):
        antrag.status = Antragsstatus.ABGESCHLOSSEN
        antrag.save(update_fields=["status"])
        if antrag.plattform.webhook_url:
            _rueckmeldung_senden(
                Rueckmeldung.alle.create(
                    kommune_id=antrag.kommune_id, antrag=antrag, ereignis=Ereignis.ABGESCHLOSSEN
                )
            )


@transaction.atomic
def rueckmeldung_wiederholen(*, akteur: Akteur, rueckmeldung: Rueckmeldung) -> Rueckmeldung:
    pruefen(akteur.benutzer, "eingang.uebermitteln", rueckmeldung.antrag)
    if rueckmeldung.status == Zustellstatus.ZUGESTELLT:
        raise ValidationError("Diese Rückmeldung wurde bereits zugestellt.")
    rueckmeldung.status, rueckmeldung.letzter_fehler = Zustellstatus.OFFEN, ""
    rueckmeldung.save(update_fields=["status", "letzter_fehler"])
    protokollieren(
        kommune_id=rueckmeldung.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"Rückmeldung zu Antrag {rueckmeldung.antrag.referenz} erneut gesendet",
        objekt=rueckmeldung,
    )
    _rueckmeldung_senden(rueckmeldung)
    return rueckmeldung


# --- Funktionspostfächer -------------------------------------------------------------------


POSTFACHFELDER = [
    "name", "oe", "konto", "host", "port", "verschluesselung", "benutzername", "ordner",
    "erledigt_ordner",
]  # fmt: skip


def _postfach_pruefen(kommune: Kommune, werte: dict, *, passwort_noetig: bool) -> None:
    fehler = {}
    for feld, text in (
        ("name", "Bitte die Adresse des Postfachs angeben (z. B. bauamt@erbach.de)."),
        ("host", "Bitte den IMAP-Server angeben."),
        ("benutzername", "Bitte den Benutzernamen für den IMAP-Server angeben."),
    ):
        if not str(werte.get(feld) or "").strip():
            fehler[feld] = text
    if passwort_noetig and not werte.get("passwort"):
        fehler["passwort"] = "Bitte das Passwort des Postfachs angeben."
    if not 1 <= int(werte.get("port") or 0) <= 65535:
        fehler["port"] = "Der Port muss zwischen 1 und 65535 liegen (IMAPS: 993, STARTTLS: 143)."
    if werte.get("verschluesselung") not in Verschluesselung.values:
        fehler["verschluesselung"] = "Bitte IMAPS oder STARTTLS wählen; ohne TLS geht es nicht."
    konto, oe = werte.get("konto"), werte.get("oe")
    if konto is None or konto.kommune_id != kommune.pk or not konto.is_active:
        fehler["konto"] = "Bitte ein aktives Konto Ihrer Kommune wählen."
    if oe is not None and (oe.kommune_id != kommune.pk or not oe.aktiv):
        fehler["oe"] = "Bitte eine aktive Organisationseinheit Ihrer Kommune wählen."
    if fehler:
        raise ValidationError(fehler)


@transaction.atomic
def postfach_anlegen(
    *,
    akteur: Akteur,
    kommune: Kommune,
    name: str,
    konto: Benutzer,
    host: str,
    benutzername: str,
    passwort: str,
    port: int = 993,
    verschluesselung: str = "ssl",
    oe: Organisationseinheit | None = None,
    ordner: str = "INBOX",
    erledigt_ordner: str = "",
) -> Postfach:
    """Register a functional mailbox of the Kommune (its administrators); the password is stored
    encrypted (geheimnis.py) and never shown again."""
    if akteur.benutzer is not None:
        pruefen(akteur.benutzer, "eingang.postfach_verwalten", kommune)
    werte = {
        "name": name.strip(), "konto": konto, "host": host.strip(), "port": port,
        "verschluesselung": verschluesselung, "benutzername": benutzername.strip(), "oe": oe,
        "ordner": ordner.strip() or "INBOX", "erledigt_ordner": erledigt_ordner.strip(),
    }  # fmt: skip
    _postfach_pruefen(kommune, {**werte, "passwort": passwort}, passwort_noetig=True)
    postfach = Postfach.objects.create(
        kommune=kommune, passwort=geheimnis.verschluesseln(passwort), **werte
    )
    protokollieren(
        kommune_id=kommune.pk,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"E-Mail-Eingang: Funktionspostfach {postfach.name} eingerichtet",
        objekt=postfach,
    )
    return postfach


@transaction.atomic
def postfach_aendern(
    *, akteur: Akteur, postfach: Postfach, passwort: str = "", **werte
) -> Postfach:
    """Change a mailbox's settings (the fields of POSTFACHFELDER; missing ones stay). An empty
    password keeps the stored one. Also switches it on again (`aktiv`)."""
    pruefen(akteur.benutzer, "eingang.postfach_verwalten", postfach.kommune)
    # the stored row, locked (a bound ModelForm has already changed the object it was given)
    postfach = Postfach.objects.select_for_update().get(pk=postfach.pk)
    unbekannt = set(werte) - set(POSTFACHFELDER) - {"aktiv"}
    if unbekannt:
        raise ValidationError(f"Unbekannte Angaben: {', '.join(sorted(unbekannt))}.")
    neu = {name: getattr(postfach, name) for name in POSTFACHFELDER} | werte
    for feld in ("name", "host", "benutzername", "ordner", "erledigt_ordner"):
        neu[feld] = str(neu[feld] or "").strip()
    neu["ordner"] = neu["ordner"] or "INBOX"
    _postfach_pruefen(postfach.kommune, neu, passwort_noetig=False)
    return _kanal_speichern(
        akteur, postfach, POSTFACHFELDER, neu, {"passwort": passwort}, werte,
        f"E-Mail-Eingang: Funktionspostfach {postfach.name} geändert",
    )  # fmt: skip


def _kanal_speichern(akteur, kanal, felder, neu, geheimnisse, werte, text):
    """Take the checked values `neu` of `felder` into a channel (mailbox, Zustellpunkt), the
    non-empty secrets encrypted, `aktiv` if given; clear its last error if anything changed;
    save and write the Protokoll entry naming the changed fields (never a secret's value)."""
    geaendert = [name for name in felder if getattr(kanal, name) != neu[name]]
    for name in felder:
        setattr(kanal, name, neu[name])
    for feld, wert in geheimnisse.items():
        if wert:
            setattr(kanal, feld, geheimnis.verschluesseln(wert))
            geaendert.append(feld)
    if "aktiv" in werte and bool(werte["aktiv"]) != kanal.aktiv:
        kanal.aktiv = bool(werte["aktiv"])
        geaendert.append("aktiv")
    kanal.letzter_fehler = "" if geaendert else kanal.letzter_fehler
    kanal.save()
    protokollieren(
        kommune_id=kanal.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=text + (f" ({', '.join(geaendert)})" if geaendert else " (keine Änderung)"),
        objekt=kanal,
    )
    return kanal


def _kanal_abschalten(akteur: Akteur, kanal, regel: str, text: str):
    """Stop polling a channel (mailbox, Zustellpunkt); what it delivered stays."""
    pruefen(akteur.benutzer, regel, kanal.kommune)
    kanal.aktiv = False
    kanal.save(update_fields=["aktiv"])
    protokollieren(
        kommune_id=kanal.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"{text} deaktiviert (wird nicht mehr abgerufen)",
        objekt=kanal,
    )
    return kanal


@transaction.atomic
def postfach_deaktivieren(*, akteur: Akteur, postfach: Postfach) -> Postfach:
    """Stop polling the mailbox; its Mails and their Dokumente stay."""
    return _kanal_abschalten(
        akteur,
        postfach,
        "eingang.postfach_verwalten",
        f"E-Mail-Eingang: Funktionspostfach {postfach.name}",
    )


# --- Antwortkennungen ----------------------------------------------------------------------

_KENNUNGSZEICHEN = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud or retyped
ANTWORTKENNUNG_MUSTER = re.compile(r"\[#(V-[a-z0-9]{12})\]", re.IGNORECASE)


def antwortkennung_vergeben(*, vorgang: Vorgang) -> Antwortkennung:
    """The Vorgang's reply token, given when the Vorgang is created (signal, empfaenger.py):
    "V-" and 12 random characters (about 59 bits; a guess is never confirmed: an unknown token
    and one of another Kommune read alike). No Protokoll entry: it changes nothing in the
    records and names no person."""
    vorhanden = Antwortkennung.alle.filter(vorgang=vorgang).first()
    if vorhanden is not None:
        return vorhanden
    for _ in range(5):
        kennung = "V-" + "".join(secrets.choice(_KENNUNGSZEICHEN) for _ in range(12))
        try:
            with transaction.atomic():
                return Antwortkennung.alle.create(
                    kommune_id=vorgang.kommune_id, vorgang=vorgang, kennung=kennung
                )
        except IntegrityError:  # the same Vorgang at the same moment, or (never) the same token
            vorhanden = Antwortkennung.alle.filter(vorgang=vorgang).first()
            if vorhanden is not None:
                return vorhanden
    raise RuntimeError("Keine freie Antwortkennung gefunden.")


def antwortkennung_im_betreff(betreff: str) -> str:
    """The reply token in a subject ("V-…", lower case), or ""."""
    treffer = ANTWORTKENNUNG_MUSTER.search(betreff or "")
    return treffer.group(1).lower().replace("v-", "V-", 1) if treffer else ""


# --- FIT-Connect-Zustellpunkte -------------------------------------------------------------

ZUSTELLPUNKTFELDER = ["plattform", "destination_id", "token_url", "api_url", "client_id"]
ZUSTELLPUNKTGEHEIMNISSE = {
    "client_secret": "das Client-Secret",
    "entschluesselungsschluessel": "den privaten Entschlüsselungsschlüssel (JWK)",
    "signaturschluessel": "den privaten Signaturschlüssel (JWK)",
}


def _jwk_fehler(text: str) -> str:
    """Why `text` is no private JWK, or ""."""
    from jwcrypto import jwk
    from jwcrypto.common import JWException

    try:
        schluessel = jwk.JWK.from_json(text)
    except (JWException, ValueError, TypeError) as fehler:
        return f"Das ist kein gültiger JSON Web Key (JWK): {fehler}"
    if not schluessel.has_private:
        return "Der JWK enthält keinen privaten Schlüssel; bitte den privaten Schlüssel angeben."
    return ""


def _zustellpunkt_pruefen(
    kommune: Kommune, werte: dict, geheimnisse: dict, *, neu: bool, pk: int | None = None
) -> None:
    fehler = _geheimnisse_pruefen(geheimnisse, neu=neu)
    plattform = werte.get("plattform")
    if (
        plattform is None
        or plattform.verbund_id != kommune.verbund_id
        or not plattform.aktiv
        or not Zulassung.alle.filter(plattform=plattform, kommune=kommune).exists()
    ):
        fehler["plattform"] = (
            "Bitte eine aktive Plattform wählen, die an Ihre Kommune zustellen darf (ihre Regeln "
            "und ihr Eingangskonto gelten auch für FIT-Connect)."
        )
    if not werte.get("destination_id"):
        fehler["destination_id"] = "Bitte die Destination-ID (UUID) des Zustellpunkts angeben."
    elif Zustellpunkt.alle.filter(destination_id=werte["destination_id"]).exclude(pk=pk).exists():
        fehler["destination_id"] = "Dieser Zustellpunkt ist bereits eingerichtet."
    for feld, text in (("token_url", "die Token-URL"), ("api_url", "die Submission-API-URL")):
        try:
            URLValidator(schemes=["https", "http"])(str(werte.get(feld) or ""))
        except ValidationError:
            fehler[feld] = f"Bitte {text} als vollständige Adresse (https://…) angeben."
    if not str(werte.get("client_id") or "").strip():
        fehler["client_id"] = "Bitte die Client-ID angeben."
    if fehler:
        raise ValidationError(fehler)


def _geheimnisse_pruefen(geheimnisse: dict, *, neu: bool) -> dict:
    """Missing (when new) or invalid secrets and keys: {field: German message}."""
    fehler = {}
    for feld, text in ZUSTELLPUNKTGEHEIMNISSE.items():
        wert = geheimnisse.get(feld) or ""
        if not wert:
            if neu:
                fehler[feld] = f"Bitte {text} angeben."
            continue
        if feld != "client_secret" and (meldung := _jwk_fehler(wert)):
            fehler[feld] = meldung
    return fehler


@transaction.atomic
def zustellpunkt_anlegen(
    *,
    akteur: Akteur,
    kommune: Kommune,
    plattform: Plattform,
    destination_id,
    token_url: str,
    api_url: str,
    client_id: str,
    client_secret: str,
    entschluesselungsschluessel: str,
    signaturschluessel: str,
) -> Zustellpunkt:
    """Register a FIT-Connect destination of the Kommune (its administrators). Client secret
    and the private keys are stored encrypted (geheimnis.py) and never shown again."""
    if akteur.benutzer is not None:
        pruefen(akteur.benutzer, "eingang.zustellpunkt_verwalten", kommune)
    werte = {
        "plattform": plattform, "destination_id": destination_id,
        "token_url": token_url.strip(), "api_url": api_url.strip(), "client_id": client_id.strip(),
    }  # fmt: skip
    geheimnisse = {
        "client_secret": client_secret,
        "entschluesselungsschluessel": entschluesselungsschluessel.strip(),
        "signaturschluessel": signaturschluessel.strip(),
    }
    _zustellpunkt_pruefen(kommune, werte, geheimnisse, neu=True)
    punkt = Zustellpunkt.objects.create(
        kommune=kommune,
        **werte,
        **{feld: geheimnis.verschluesseln(wert) for feld, wert in geheimnisse.items()},
    )
    protokollieren(
        kommune_id=kommune.pk,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"FIT-Connect: Zustellpunkt {punkt.destination_id} eingerichtet "
        f"(Plattform „{plattform.name}“)",
        objekt=punkt,
    )
    return punkt


@transaction.atomic
def zustellpunkt_aendern(*, akteur: Akteur, zustellpunkt: Zustellpunkt, **werte) -> Zustellpunkt:
    """Change a destination (the fields of ZUSTELLPUNKTFELDER, `aktiv`; missing ones stay). An
    empty secret or key keeps the stored one."""
    pruefen(akteur.benutzer, "eingang.zustellpunkt_verwalten", zustellpunkt.kommune)
    punkt = Zustellpunkt.objects.select_for_update().get(pk=zustellpunkt.pk)
    geheimnisse = {feld: werte.pop(feld, "") or "" for feld in ZUSTELLPUNKTGEHEIMNISSE}
    unbekannt = set(werte) - set(ZUSTELLPUNKTFELDER) - {"aktiv"}
    if unbekannt:
        raise ValidationError(f"Unbekannte Angaben: {', '.join(sorted(unbekannt))}.")
    neu = {name: getattr(punkt, name) for name in ZUSTELLPUNKTFELDER} | werte
    for feld in ("token_url", "api_url", "client_id"):
        neu[feld] = str(neu[feld] or "").strip()
    geheimnisse = {feld: wert.strip() if feld != "client_secret" else wert
                   for feld, wert in geheimnisse.items()}  # fmt: skip
    _zustellpunkt_pruefen(punkt.kommune, neu, geheimnisse, neu=False, pk=punkt.pk)
    return _kanal_speichern(
        akteur, punkt, ZUSTELLPUNKTFELDER, neu, geheimnisse, werte,
        f"FIT-Connect: Zustellpunkt {punkt.destination_id} geändert",
    )  # fmt: skip


@transaction.atomic
def zustellpunkt_deaktivieren(*, akteur: Akteur, zustellpunkt: Zustellpunkt) -> Zustellpunkt:
    """Stop polling the destination; its Anträge stay."""
    return _kanal_abschalten(
        akteur,
        zustellpunkt,
        "eingang.zustellpunkt_verwalten",
        f"FIT-Connect: Zustellpunkt {zustellpunkt.destination_id}",
    )
