"""Every write of the Geschäftsgang; each one asks the rules and writes the Protokoll.

Lock order (as in akten): the Akte row first (FOR UPDATE), then the route's steps, then the
shares and the Protokoll. Taking an OE item is a conditional UPDATE: of two people taking the same
item at once exactly one gets it.

For the intake (issue 19): `geschaeftsgang_aus_vorlage_starten(akteur=..., vorlage=...,
vorgang=...)` starts a template on a Vorgang, also for the system as actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from eakte.akten import selectors as akten_selectors
from eakte.akten import services as akten_services
from eakte.akten.models import Akte, AkteGruppenfreigabe, Dokument, Vorgang
from eakte.common.akteur import Akteur
from eakte.common.regeln import darf, pruefen
from eakte.kommunen.models import Benutzer, Kommune, Organisationseinheit
from eakte.kommunen.rollen import Rolle
from eakte.protokoll.models import Aktion
from eakte.protokoll.services import protokollieren

from . import selectors, signale
from .models import (
    Benachrichtigung,
    Benachrichtigungsart,
    Empfaengerart,
    Ergebnis,
    Gangstatus,
    Geschaeftsgang,
    Schritt,
    Schrittstatus,
    Verbundeinstellung,
    Verfuegung,
    Vertretung,
    Vorlage,
    Vorlageschritt,
)

NICHT_IHR_SCHRITT = "Dieser Schritt liegt nicht in Ihrem Postkorb."


def _heute() -> date:
    return timezone.localdate()


def _name(person: Benutzer | None) -> str:
    if person is None:
        return "System"
    return person.get_full_name() or person.username


# --- Angaben ---------------------------------------------------------------------------------


@dataclass
class SchrittAngabe:
    """One step as the caller describes it: exactly one of person, oe, rolle (rolle may come
    with an oe: the role within that OE). `gruppe`: steps with the same number that follow each
    other run in parallel; None is a group of its own."""

    verfuegung: str
    person: Benutzer | None = None
    oe: Organisationseinheit | None = None
    rolle: str = ""
    frist: date | None = None
    notiz: str = ""
    gruppe: int | None = None


@dataclass
class VorlageschrittAngabe:
    verfuegung: str
    art: str
    person: Benutzer | None = None
    oe: Organisationseinheit | None = None
    rolle: str = ""
    frist_tage: int | None = None
    notiz: str = ""
    gruppe: int | None = None
    felder: dict = field(default_factory=dict)


def _nummer(i: int) -> str:
    return f"Schritt {i + 1}"


def _positionen(gruppen: list[int | None]) -> list[int]:
    """Positions 1, 2, … for the steps; consecutive steps of the same group share one. A group
    that comes back after another one would make the route go round in a circle: refused."""
    positionen: list[int] = []
    gesehen: set[int] = set()
    vorherige: int | None = None
    for i, gruppe in enumerate(gruppen):
        if gruppe is not None and gruppe == vorherige:
            positionen.append(positionen[-1])
            continue
        if gruppe is not None and gruppe in gesehen:
            raise ValidationError(
                {
                    "schritte": f"{_nummer(i)}: die parallele Gruppe {gruppe} kommt nach einer "
                    "anderen Gruppe noch einmal vor (ein Kreis im Geschäftsgang). Schritte einer "
                    "Gruppe stehen direkt hintereinander."
                }
            )
        if gruppe is not None:
            gesehen.add(gruppe)
        positionen.append((positionen[-1] if positionen else 0) + 1)
        vorherige = gruppe
    return positionen


def _verfuegung_pruefen(i: int, verfuegung: str) -> None:
    if verfuegung not in Verfuegung.values:
        raise ValidationError({"schritte": f"{_nummer(i)}: unbekannte Verfügung „{verfuegung}“."})


def _rolle_pruefen(i: int, rolle: str) -> None:
    if rolle and rolle not in Rolle.values:
        raise ValidationError({"schritte": f"{_nummer(i)}: unbekannte Rolle „{rolle}“."})


def _empfaenger_pruefen(i: int, angabe: SchrittAngabe, akte: Akte) -> Kommune:
    """The recipient must be one active person or OE of the Akte's Verbund, or a role; returns
    the recipient's Kommune."""
    verbund_id = akte.kommune.verbund_id
    if angabe.person is not None:
        if angabe.oe is not None or angabe.rolle:
            raise ValidationError(
                {"schritte": f"{_nummer(i)}: an eine Person oder an eine OE/Rolle, nicht beides."}
            )
        person = angabe.person
        if not person.is_active or person.kommune.verbund_id != verbund_id:
            raise ValidationError(
                {
                    "schritte": f"{_nummer(i)}: {_name(person)} hat keinen Zugang zur eAkte "
                    f"dieser Kommune (nicht im Verbund oder deaktiviert)."
                }
            )
        return person.kommune
    _rolle_pruefen(i, angabe.rolle)
    if angabe.oe is not None:
        oe = angabe.oe
        if not oe.aktiv or oe.kommune.verbund_id != verbund_id:
            raise ValidationError(
                {"schritte": f"{_nummer(i)}: diese Organisationseinheit gibt es im Verbund nicht."}
            )
        return oe.kommune
    if angabe.rolle:
        return akte.kommune
    raise ValidationError(
        {"schritte": f"{_nummer(i)}: bitte eine Person, eine OE oder eine Rolle angeben."}
    )


def _schluessel(angabe: SchrittAngabe) -> tuple:
    return (
        getattr(angabe.person, "pk", None),
        getattr(angabe.oe, "pk", None),
        angabe.rolle,
    )


def _schritte_pruefen(angaben: list[SchrittAngabe], akte: Akte) -> list[tuple]:
    """Check every step (nothing is written before all are fine); returns (angabe, position,
    kommune) triples."""
    if not angaben:
        raise ValidationError({"schritte": "Ein Geschäftsgang braucht mindestens einen Schritt."})
    heute = _heute()
    kommunen = []
    for i, angabe in enumerate(angaben):
        _verfuegung_pruefen(i, angabe.verfuegung)
        kommunen.append(_empfaenger_pruefen(i, angabe, akte))
        if angabe.frist is not None and angabe.frist < heute:
            raise ValidationError(
                {
                    "schritte": f"{_nummer(i)}: die Frist {angabe.frist:%d.%m.%Y} liegt in der "
                    "Vergangenheit."
                }
            )
        if len(angabe.notiz) > 1000:
            raise ValidationError({"schritte": f"{_nummer(i)}: der Hinweis ist zu lang."})
    positionen = _positionen([a.gruppe for a in angaben])
    je_position: dict[int, set] = {}
    for i, (angabe, position) in enumerate(zip(angaben, positionen, strict=True)):
        schluessel = _schluessel(angabe)
        if schluessel in je_position.setdefault(position, set()):
            raise ValidationError(
                {
                    "schritte": f"{_nummer(i)}: derselbe Empfänger steht zweimal in einer "
                    "parallelen Gruppe."
                }
            )
        je_position[position].add(schluessel)
    return list(zip(angaben, positionen, kommunen, strict=True))


# --- Zugriff auf die Akte für offene Schritte ------------------------------------------------


def _personen_des_schritts(schritt: Schritt) -> list[Benutzer]:
    if schritt.empfaenger_person_id:
        return [schritt.empfaenger_person]
    if schritt.empfaenger_rolle:
        personen = Benutzer.objects.filter(
            is_active=True,
            kommune_id=schritt.empfaenger_kommune_id,
            groups__name=schritt.empfaenger_rolle,
        )
        if schritt.empfaenger_oe_id:
            personen = personen.filter(organisationseinheiten=schritt.empfaenger_oe_id)
        return list(personen.distinct())
    return []


def _vertreter_von(person: Benutzer) -> list[Benutzer]:
    heute = _heute()
    return list(
        Benutzer.objects.filter(
            is_active=True,
            vertretungen__abwesend=person,
            vertretungen__von__lte=heute,
            vertretungen__bis__gte=heute,
        ).distinct()
    )


def _oe_hat_akte(oe: Organisationseinheit, akte: Akte) -> bool:
    return (
        oe.pk == akte.federfuehrende_oe_id
        or AkteGruppenfreigabe.objects.filter(
            content_object=akte,
            group__freigabe_oe__oe=oe,
            permission__codename=akten_selectors.LESEN,
        ).exists()
    )


def _zugriff_gewaehren(schritt: Schritt, akte: Akte) -> None:
    """Read access to the Akte for the recipients of an open step (and the deputies of an
    absent recipient), through the Akte's shares; recorded only where it is new."""
    personen = _personen_des_schritts(schritt)
    if schritt.empfaenger_person_id:
        personen += _vertreter_von(schritt.empfaenger_person)
    for person in personen:
        if not akten_selectors.akten_fuer(person).filter(pk=akte.pk).exists():
            akten_services.freigaberechte_setzen(person, akte, schreiben=False)
            schritt.zugriffe.create(akte=akte, benutzer=person)
    if schritt.empfaenger_oe_id and not schritt.empfaenger_rolle:
        oe = schritt.empfaenger_oe
        if not _oe_hat_akte(oe, akte):
            akten_services.freigaberechte_setzen(
                akten_services.freigabegruppe(oe), akte, schreiben=False
            )
            schritt.zugriffe.create(akte=akte, oe=oe)


def _zugriff_entziehen(schritt: Schritt) -> None:
    """The shares granted for this step end, unless another open step still needs them."""
    for zugriff in schritt.zugriffe.filter(offen=True).select_related("benutzer", "oe"):
        zugriff.offen = False
        zugriff.save(update_fields=["offen"])
        noch_offen = type(zugriff).objects.filter(
            akte_id=zugriff.akte_id, offen=True, benutzer=zugriff.benutzer, oe=zugriff.oe
        )
        if noch_offen.exists():
            continue
        inhaber = zugriff.benutzer or akten_services.freigabegruppe(zugriff.oe)
        akten_services.freigaberechte_entziehen(inhaber, zugriff.akte)


# --- Ablauf ------------------------------------------------------------------------------------


def _log(akteur: Akteur, gang: Geschaeftsgang, aktion, text: str, *, objekt=None, details=None):
    protokollieren(
        kommune_id=gang.kommune_id,
        akteur=akteur,
        aktion=aktion,
        beschreibung=text[:1000],
        objekt=objekt or gang,
        akte=gang.akte,
        details={"geschaeftsgang": str(gang.uuid), **(details or {})},
    )


def _schritt_melden(schritt: Schritt) -> None:
    from celery import current_app

    transaction.on_commit(
        lambda: current_app.send_task("geschaeftsgang.schritt_melden", args=[schritt.pk])
    )


def _weiter(gang: Geschaeftsgang, absender: Benutzer | None) -> None:
    """Activate the next group when no step is open; close the route after the last one."""
    schritte = gang.schritte.all()
    if schritte.filter(status=Schrittstatus.AKTIV).exists():
        return
    position = (
        schritte.filter(status=Schrittstatus.WARTEND)
        .order_by("position")
        .values_list("position", flat=True)
        .first()
    )
    if position is None:
        gang.status, gang.abgeschlossen_am = Gangstatus.ABGESCHLOSSEN, timezone.now()
        gang.save(update_fields=["status", "abgeschlossen_am"])
        return
    jetzt = timezone.now()
    for schritt in schritte.filter(status=Schrittstatus.WARTEND, position=position).select_related(
        "empfaenger_person", "empfaenger_oe"
    ):
        schritt.status, schritt.aktiviert_am, schritt.absender = (
            Schrittstatus.AKTIV,
            jetzt,
            absender,
        )
        schritt.save(update_fields=["status", "aktiviert_am", "absender"])
        _zugriff_gewaehren(schritt, gang.akte)
        _schritt_melden(schritt)


def _schritt_anlegen(
    gang: Geschaeftsgang, angabe: SchrittAngabe, position: int, kommune
) -> Schritt:
    return Schritt.objects.create(
        kommune_id=gang.kommune_id,
        geschaeftsgang=gang,
        position=position,
        verfuegung=angabe.verfuegung,
        empfaenger_person=angabe.person,
        empfaenger_oe=angabe.oe,
        empfaenger_rolle=angabe.rolle,
        empfaenger_kommune=kommune,
        frist=angabe.frist,
        notiz=angabe.notiz.strip(),
    )


def _gesperrte_akte(akte_id: int) -> Akte:
    return Akte.objects.select_for_update().select_related("kommune").get(pk=akte_id)


@transaction.atomic
def geschaeftsgang_starten(
    *,
    akteur: Akteur,
    vorgang: Vorgang,
    schritte: list[SchrittAngabe],
    dokument: Dokument | None = None,
    betreff: str = "",
    vorlage: Vorlage | None = None,
) -> Geschaeftsgang:
    """Start a route on a Vorgang (or one of its Dokumente). The system may start one (the
    intake's routing rules); a person needs write access to the Akte."""
    akte = _gesperrte_akte(vorgang.akte_id)
    if not akteur.ist_system:
        pruefen(
            akteur.benutzer,
            "geschaeftsgang.starten",
            vorgang,
            meldung="Einen Geschäftsgang startet, wer in der Akte schreiben darf.",
        )
    akten_services.offen_pruefen(akte, vorgang)
    if dokument is not None and dokument.vorgang_id != vorgang.pk:
        raise ValidationError({"dokument": "Das Dokument gehört nicht zu diesem Vorgang."})
    geprueft = _schritte_pruefen(schritte, akte)
    betreff = (betreff.strip() or (dokument.titel if dokument else vorgang.betreff))[:500]
    gang = Geschaeftsgang.objects.create(
        kommune_id=akte.kommune_id,
        akte=akte,
        vorgang=vorgang,
        dokument=dokument,
        vorlage=vorlage,
        betreff=betreff,
        gestartet_von=akteur.benutzer,
    )
    for angabe, position, kommune in geprueft:
        _schritt_anlegen(gang, angabe, position, kommune)
    if dokument is not None and dokument.schlussgezeichnete_version_id is not None:
        akten_services.dokument_einfrieren_ungeprueft(dokument, None)
    route = " → ".join(
        f"{Verfuegung(a.verfuegung).label} an {_angabe_text(a)}" for a, _, _ in geprueft
    )
    _log(
        akteur,
        gang,
        Aktion.GESCHAEFTSGANG,
        f"Geschäftsgang „{gang.betreff}“ gestartet"
        + (f" (Vorlage „{vorlage.name}“)" if vorlage else "")
        + f": {route}",
        details={"vorgang": vorgang.vorgangszeichen, "schritte": len(geprueft)},
    )
    _weiter(gang, akteur.benutzer)
    return gang


def _angabe_text(angabe: SchrittAngabe) -> str:
    if angabe.person is not None:
        return _name(angabe.person)
    if angabe.rolle and angabe.oe is not None:
        return f"{angabe.rolle} in {angabe.oe.name}"
    if angabe.oe is not None:
        return f"Postkorb {angabe.oe.name}"
    return angabe.rolle


def vorlage_aufloesen(vorlage: Vorlage, *, starter: Benutzer | None) -> list[SchrittAngabe]:
    """The template's steps as SchrittAngaben: "Absender" becomes the starting person, a
    Frist in days a date from today."""
    angaben = []
    for schritt in vorlage.schritte.select_related("person", "oe").order_by("reihenfolge"):
        person = schritt.person
        if schritt.art == Empfaengerart.ABSENDER:
            if starter is None:
                raise ValidationError(
                    "Die Vorlage schickt einen Schritt an den Absender; das System kann ihn "
                    "nicht übernehmen."
                )
            person = starter
        angaben.append(
            SchrittAngabe(
                verfuegung=schritt.verfuegung,
                person=person,
                oe=schritt.oe,
                rolle=schritt.rolle,
                frist=(_heute() + timedelta(days=schritt.frist_tage))
                if schritt.frist_tage is not None
                else None,
                notiz=schritt.notiz,
                gruppe=schritt.gruppe,
            )
        )
    return angaben


def geschaeftsgang_aus_vorlage_starten(
    *,
    akteur: Akteur,
    vorlage: Vorlage,
    vorgang: Vorgang,
    dokument: Dokument | None = None,
    betreff: str = "",
) -> Geschaeftsgang:
    """Start `vorlage` on `vorgang`: the template must be one of the Vorgang's Kommune or of its
    Verbund, and active."""
    if (
        not vorlage.aktiv
        or vorlage.verbund_id != vorgang.kommune.verbund_id
        or (vorlage.kommune_id not in (None, vorgang.kommune_id))
    ):
        raise ValidationError({"vorlage": "Diese Vorlage gibt es für diese Kommune nicht."})
    return geschaeftsgang_starten(
        akteur=akteur,
        vorgang=vorgang,
        dokument=dokument,
        betreff=betreff,
        vorlage=vorlage,
        schritte=vorlage_aufloesen(vorlage, starter=akteur.benutzer),
    )


def _darf_bearbeiten(person: Benutzer, schritt: Schritt) -> bool:
    return darf(person, "geschaeftsgang.schritt_bearbeiten", schritt)


def _vertretung(person: Benutzer, schritt: Schritt) -> Benutzer | None:
    """The absent recipient when `person` acts as their deputy, else None."""
    if schritt.empfaenger_person_id and schritt.empfaenger_person_id != person.pk:
        return schritt.empfaenger_person
    return None


def _aktueller_schritt(akteur: Akteur, schritt: Schritt) -> Schritt:
    """The step locked (after its Akte), checked to be open and the person's."""
    if akteur.benutzer is None:
        raise PermissionDenied("Das System bearbeitet keine Schritte.")
    _gesperrte_akte(schritt.geschaeftsgang.akte_id)
    schritt = (
        Schritt.objects.select_for_update(of=("self",))
        .select_related("geschaeftsgang", "empfaenger_person", "empfaenger_oe", "bearbeiter")
        .get(pk=schritt.pk)
    )
    if schritt.status == Schrittstatus.ERLEDIGT:
        wer = _name(schritt.bearbeiter)
        raise ValidationError(f"Dieser Schritt ist bereits erledigt ({wer}).")
    if schritt.status != Schrittstatus.AKTIV:
        raise ValidationError(
            "Dieser Schritt ist nicht an der Reihe: er wartet auf frühere Schritte oder wurde "
            "abgebrochen."
        )
    if schritt.bearbeiter_id and schritt.bearbeiter_id != akteur.benutzer.pk:
        raise ValidationError(f"Diesen Schritt hat bereits {_name(schritt.bearbeiter)} übernommen.")
    if not _darf_bearbeiten(akteur.benutzer, schritt):
        raise PermissionDenied(NICHT_IHR_SCHRITT)
    return schritt


@transaction.atomic
def schritt_uebernehmen(*, akteur: Akteur, schritt: Schritt) -> Schritt:
    """Take an item of an OE (or role) Postkorb. A conditional UPDATE: of two people taking it
    at the same moment exactly one gets it, the other a German message."""
    person = akteur.benutzer
    if person is None:
        raise PermissionDenied("Das System übernimmt keine Schritte.")
    if not schritt.fuer_postkorb:
        raise ValidationError(
            "Dieser Schritt ist an eine Person gerichtet, nicht an einen Postkorb."
        )
    # addressed to the person (also if a colleague took it a moment ago: that one gets the
    # message below, not "not yours")
    if not selectors.schritte_an(person).filter(pk=schritt.pk).exists():
        raise PermissionDenied(NICHT_IHR_SCHRITT)
    getroffen = Schritt.objects.filter(
        pk=schritt.pk, status=Schrittstatus.AKTIV, bearbeiter__isnull=True
    ).update(bearbeiter=person, uebernommen_am=timezone.now())
    schritt.refresh_from_db()
    if not getroffen:
        if schritt.status != Schrittstatus.AKTIV:
            raise ValidationError("Dieser Schritt ist nicht mehr offen.")
        if schritt.bearbeiter_id == person.pk:
            return schritt
        raise ValidationError(f"Diesen Schritt hat bereits {_name(schritt.bearbeiter)} übernommen.")
    gang = schritt.geschaeftsgang
    _log(
        akteur,
        gang,
        Aktion.GESCHAEFTSGANG,
        f"{schritt.get_verfuegung_display()} aus dem Postkorb {schritt.empfaenger_text} "
        f"übernommen von {_name(person)}",
        objekt=schritt,
    )
    return schritt


ERGEBNISSE_JE_VERFUEGUNG = {
    Verfuegung.MITZEICHNUNG: {Ergebnis.MITGEZEICHNET},
    Verfuegung.SCHLUSSZEICHNUNG: {Ergebnis.SCHLUSSGEZEICHNET},
}


def erlaubte_ergebnisse(verfuegung: str) -> list[str]:
    positiv = ERGEBNISSE_JE_VERFUEGUNG.get(verfuegung, {Ergebnis.ERLEDIGT})
    return [*sorted(positiv), Ergebnis.ABGELEHNT, Ergebnis.WEITERGELEITET]


def _verschieben(gang: Geschaeftsgang, nach: int, um: int) -> None:
    """Make room: waiting steps after position `nach` move `um` positions on."""
    for schritt in gang.schritte.filter(status=Schrittstatus.WARTEND, position__gt=nach).order_by(
        "-position"
    ):
        schritt.position += um
        schritt.save(update_fields=["position"])


def _kopie(schritt: Schritt) -> SchrittAngabe:
    frist = schritt.frist if schritt.frist and schritt.frist >= _heute() else None
    return SchrittAngabe(
        verfuegung=schritt.verfuegung,
        person=schritt.empfaenger_person,
        oe=schritt.empfaenger_oe,
        rolle=schritt.empfaenger_rolle,
        frist=frist,
        notiz=schritt.notiz,
    )


def _zurueckgeben(
    gang: Geschaeftsgang, schritt: Schritt, grund: str, zurueck_an: Schritt | None
) -> str:
    """After a refusal: the route goes back to the sender (who revises, then the refusing step
    comes again) or to an earlier step (from which the route runs again)."""
    aktuell = schritt.position
    if zurueck_an is None:
        if gang.gestartet_von is None:
            raise ValidationError(
                {
                    "zurueck_an": "Der Geschäftsgang wurde vom System gestartet: bitte einen "
                    "früheren Schritt wählen."
                }
            )
        neu = [
            [
                (
                    SchrittAngabe(
                        verfuegung=Verfuegung.VERANLASSUNG,
                        person=gang.gestartet_von,
                        notiz=f"Abgelehnt: {grund}"[:1000],
                    ),
                    gang.gestartet_von.kommune,
                )
            ],
            [(_kopie(s), s.empfaenger_kommune) for s in _gruppe(gang, aktuell)],
        ]
        ziel = f"zurück an {_name(gang.gestartet_von)}"
    else:
        if zurueck_an.geschaeftsgang_id != gang.pk or zurueck_an.position >= aktuell:
            raise ValidationError(
                {"zurueck_an": "Bitte einen früheren Schritt dieses Geschäftsgangs wählen."}
            )
        positionen = sorted(
            set(
                gang.schritte.filter(
                    position__gte=zurueck_an.position, position__lte=aktuell
                ).values_list("position", flat=True)
            )
        )
        neu = [[(_kopie(s), s.empfaenger_kommune) for s in _gruppe(gang, p)] for p in positionen]
        ziel = f"zurück an Schritt {zurueck_an.position} ({zurueck_an.empfaenger_text})"
    _verschieben(gang, aktuell, len(neu))
    for versatz, gruppe in enumerate(neu, start=1):
        for angabe, kommune in gruppe:
            _schritt_anlegen(gang, angabe, aktuell + versatz, kommune)
    return ziel


def _gruppe(gang: Geschaeftsgang, position: int) -> list[Schritt]:
    """The steps of one position, once per recipient (copies of refused rounds left out)."""
    gesehen, schritte = set(), []
    for schritt in gang.schritte.filter(position=position).select_related(
        "empfaenger_person__kommune", "empfaenger_oe", "empfaenger_kommune"
    ):
        schluessel = (
            schritt.empfaenger_person_id,
            schritt.empfaenger_oe_id,
            schritt.empfaenger_rolle,
        )
        if schluessel not in gesehen:
            gesehen.add(schluessel)
            schritte.append(schritt)
    return schritte


def _eingabe_pruefen(schritt, gang, ergebnis: str, bemerkung: str, weiter_an):
    """The result must fit the Verfügung; a refusal needs a reason; forwarding a recipient
    (checked like a step of a new route). Returns (angabe, kommune) for forwarding."""
    if ergebnis not in erlaubte_ergebnisse(schritt.verfuegung):
        raise ValidationError(
            {
                "ergebnis": f"„{ergebnis}“ passt nicht zu einem Schritt "
                f"„{schritt.get_verfuegung_display()}“."
            }
        )
    if ergebnis == Ergebnis.ABGELEHNT and not bemerkung:
        raise ValidationError({"bemerkung": "Bitte begründen Sie die Ablehnung."})
    if len(bemerkung) > 2000:
        raise ValidationError({"bemerkung": "Die Bemerkung ist zu lang (höchstens 2000 Zeichen)."})
    if ergebnis != Ergebnis.WEITERGELEITET:
        return None
    if weiter_an is None:
        raise ValidationError({"weiter_an": "Bitte angeben, an wen weitergeleitet wird."})
    weiter_an.verfuegung = weiter_an.verfuegung or schritt.verfuegung
    ((angabe, _, kommune),) = _schritte_pruefen([weiter_an], gang.akte)
    return angabe, kommune


@transaction.atomic
def schritt_bearbeiten(
    *,
    akteur: Akteur,
    schritt: Schritt,
    ergebnis: str,
    bemerkung: str = "",
    zurueck_an: Schritt | None = None,
    weiter_an: SchrittAngabe | None = None,
    elektronisch_signieren: bool = False,
) -> Schritt:
    """Act on an open step of one's Postkorb (or as deputy, "i. V."): erledigt, mitgezeichnet,
    schlussgezeichnet (freezes the Dokument's current Version), abgelehnt with a reason (back to
    the sender or to `zurueck_an`), weitergeleitet (`weiter_an` is added as the next step)."""
    schritt = _aktueller_schritt(akteur, schritt)
    person = akteur.benutzer
    gang = Geschaeftsgang.objects.select_related("akte__kommune", "dokument", "gestartet_von").get(
        pk=schritt.geschaeftsgang_id
    )
    bemerkung = bemerkung.strip()
    weiter = _eingabe_pruefen(schritt, gang, ergebnis, bemerkung, weiter_an)
    vertreten = _vertretung(person, schritt)
    schritt.status, schritt.ergebnis = Schrittstatus.ERLEDIGT, ergebnis
    schritt.bemerkung, schritt.bearbeiter, schritt.erledigt_am = bemerkung, person, timezone.now()
    schritt.in_vertretung_fuer = vertreten
    schritt.save()
    _zugriff_entziehen(schritt)
    wer = _name(person) + (f" i. V. für {_name(vertreten)}" if vertreten else "")
    text = (
        f"{schritt.get_verfuegung_display()} ({schritt.empfaenger_text}): "
        f"{Ergebnis(ergebnis).label} von {wer}"
    )
    details = {"ergebnis": ergebnis, "position": schritt.position}
    if vertreten:
        details["in_vertretung_fuer"] = vertreten.username
    if elektronisch_signieren and ergebnis != Ergebnis.SCHLUSSGEZEICHNET:
        raise ValidationError("Elektronisch signiert wird nur bei der Schlusszeichnung.")
    if ergebnis == Ergebnis.SCHLUSSGEZEICHNET:
        text += _schlusszeichnen(gang, person, details, akteur, elektronisch_signieren)
    if ergebnis == Ergebnis.ABGELEHNT:
        for anderer in gang.schritte.filter(status=Schrittstatus.AKTIV, position=schritt.position):
            anderer.status, anderer.ergebnis = Schrittstatus.ABGEBROCHEN, Ergebnis.ABGEBROCHEN
            anderer.erledigt_am = timezone.now()
            anderer.save(update_fields=["status", "ergebnis", "erledigt_am"])
            _zugriff_entziehen(anderer)
        text += f" – {_zurueckgeben(gang, schritt, bemerkung, zurueck_an)}"
    if ergebnis == Ergebnis.WEITERGELEITET:
        weiter_angabe, weiter_kommune = weiter
        _verschieben(gang, schritt.position, 1)
        _schritt_anlegen(gang, weiter_angabe, schritt.position + 1, weiter_kommune)
        text += f" an {_angabe_text(weiter_angabe)}"
        details["weiter_an"] = _angabe_text(weiter_angabe)
    if bemerkung:
        text += f" – „{bemerkung}“"
    _log(akteur, gang, Aktion.GESCHAEFTSGANG, text, objekt=schritt, details=details)
    _weiter(gang, person)
    return schritt


def _schlusszeichnen(
    gang: Geschaeftsgang, person: Benutzer, details: dict, akteur: Akteur, signieren: bool
) -> str:
    """Record the signer; the Dokument's current Version is frozen; on request it is signed
    electronically (eakte.signatur, through the signal `schlussgezeichnet`)."""
    gang.schlussgezeichnet_von = person
    text = ""
    if gang.dokument is not None:
        dokument = Dokument.objects.select_for_update().get(pk=gang.dokument_id)
        version = dokument.versionen.order_by("-nummer").first()
        gang.schlussgezeichnete_version = version
        akten_services.dokument_einfrieren_ungeprueft(dokument, version)
        if version is not None:
            text = f"; Version {version.nummer} von „{dokument.titel}“ eingefroren"
            details["version"] = version.nummer
            details["sha256"] = version.datei.sha256
    if signieren:
        text += _signieren(gang, person, akteur, details)
    gang.save(
        update_fields=["schlussgezeichnet_von", "schlussgezeichnete_version", "signaturvermerk"]
    )
    return text


def _signieren(gang: Geschaeftsgang, person: Benutzer, akteur: Akteur, details: dict) -> str:
    if gang.schlussgezeichnete_version is None:
        raise ValidationError(
            "Elektronisch signiert wird ein Dokument: dieser Geschäftsgang hat keins."
        )
    antworten = signale.schlussgezeichnet.send(
        sender=Geschaeftsgang, akteur=akteur, version=gang.schlussgezeichnete_version, person=person
    )
    vermerke = [text for _, text in antworten if text]
    if not vermerke:
        raise ValidationError("Die elektronische Signatur ist nicht eingerichtet.")
    gang.signaturvermerk = "; ".join(vermerke)[:1000]
    details["elektronisch_signiert"] = True
    return f"; {gang.signaturvermerk}"


@transaction.atomic
def geschaeftsgang_abbrechen(*, akteur: Akteur, geschaeftsgang: Geschaeftsgang, grund: str) -> None:
    """Close a running route explicitly (its open steps end, shares granted for them too)."""
    gang = geschaeftsgang
    _gesperrte_akte(gang.akte_id)
    gang = Geschaeftsgang.objects.select_for_update().get(pk=gang.pk)
    pruefen(
        akteur.benutzer,
        "geschaeftsgang.abbrechen",
        gang,
        meldung="Einen Geschäftsgang bricht ab, wer ihn gestartet hat, oder der Kommunen-Admin.",
    )
    if gang.status != Gangstatus.LAUFEND:
        raise ValidationError("Dieser Geschäftsgang läuft nicht mehr.")
    if not grund.strip():
        raise ValidationError({"grund": "Bitte einen Grund für den Abbruch angeben."})
    offen = gang.schritte.filter(status__in=[Schrittstatus.AKTIV, Schrittstatus.WARTEND])
    for schritt in offen:
        schritt.status, schritt.ergebnis = Schrittstatus.ABGEBROCHEN, Ergebnis.ABGEBROCHEN
        schritt.erledigt_am = timezone.now()
        schritt.save(update_fields=["status", "ergebnis", "erledigt_am"])
        _zugriff_entziehen(schritt)
    gang.status, gang.abgeschlossen_am = Gangstatus.ABGEBROCHEN, timezone.now()
    gang.save(update_fields=["status", "abgeschlossen_am"])
    _log(
        akteur,
        gang,
        Aktion.GESCHAEFTSGANG,
        f"Geschäftsgang „{gang.betreff}“ abgebrochen: {grund.strip()}",
    )


def offene_geschaeftsgaenge_pruefen(akte: Akte, vorgang: Vorgang | None) -> None:
    """zdA is refused while a route on the Akte (or the Vorgang) is still running."""
    laufend = Geschaeftsgang.objects.filter(akte=akte, status=Gangstatus.LAUFEND)
    if vorgang is not None:
        laufend = laufend.filter(vorgang=vorgang)
    namen = list(laufend.values_list("betreff", flat=True)[:3])
    if namen:
        was = "Der Vorgang" if vorgang is not None else "Die Akte"
        raise ValidationError(
            f"{was} hat noch offene Geschäftsgänge ({', '.join(f'„{n}“' for n in namen)}): "
            "bitte erst alle Schritte erledigen oder den Geschäftsgang abbrechen, dann zdA."
        )


# --- Vorlagen ----------------------------------------------------------------------------------


def _vorlageschritt_pruefen(i: int, angabe: VorlageschrittAngabe, kommune, verbund_id) -> None:
    _verfuegung_pruefen(i, angabe.verfuegung)
    if angabe.art not in Empfaengerart.values:
        raise ValidationError({"schritte": f"{_nummer(i)}: bitte angeben, an wen."})
    if kommune is None and angabe.art in (Empfaengerart.PERSON, Empfaengerart.OE):
        raise ValidationError(
            {
                "schritte": f"{_nummer(i)}: eine Vorlage für den ganzen Verbund nennt Rollen "
                "oder den Absender, keine Personen oder OEs einer Kommune."
            }
        )
    fremde_oe = angabe.oe is not None and (kommune is None or angabe.oe.kommune_id != kommune.pk)
    if angabe.art == Empfaengerart.PERSON and (
        angabe.person is None or angabe.person.kommune.verbund_id != verbund_id
    ):
        raise ValidationError({"schritte": f"{_nummer(i)}: bitte eine Person wählen."})
    if angabe.art == Empfaengerart.OE and (angabe.oe is None or fremde_oe):
        raise ValidationError({"schritte": f"{_nummer(i)}: bitte eine OE Ihrer Kommune wählen."})
    if angabe.art == Empfaengerart.ROLLE:
        if not angabe.rolle:
            raise ValidationError({"schritte": f"{_nummer(i)}: bitte eine Rolle wählen."})
        _rolle_pruefen(i, angabe.rolle)
        if fremde_oe:
            raise ValidationError(
                {"schritte": f"{_nummer(i)}: bitte eine OE Ihrer Kommune wählen."}
            )
    if angabe.frist_tage is not None and not 0 <= angabe.frist_tage <= 3650:
        raise ValidationError({"schritte": f"{_nummer(i)}: die Frist in Tagen ist ungültig."})


def _vorlageschritte_pruefen(angaben: list[VorlageschrittAngabe], kommune, verbund_id) -> None:
    if not angaben:
        raise ValidationError({"schritte": "Eine Vorlage braucht mindestens einen Schritt."})
    for i, angabe in enumerate(angaben):
        _vorlageschritt_pruefen(i, angabe, kommune, verbund_id)
    _positionen([a.gruppe for a in angaben])


@transaction.atomic
def vorlage_anlegen(
    *,
    akteur: Akteur,
    name: str,
    schritte: list[VorlageschrittAngabe],
    verbundweit: bool = False,
    beschreibung: str = "",
) -> Vorlage:
    """A route template of the actor's Kommune (Kommunen-Admin) or of the Verbund (Digitallotse)."""
    person = akteur.benutzer
    if person is None:
        raise PermissionDenied("Vorlagen legt eine Person an.")
    kommune = None if verbundweit else person.kommune
    if verbundweit:
        pruefen(
            person,
            "geschaeftsgang.verbund_vorlagen",
            meldung="Vorlagen für den ganzen Verbund veröffentlichen Digitallotsen.",
        )
    else:
        pruefen(
            person,
            "geschaeftsgang.vorlage_verwalten",
            None,
            meldung="Vorlagen der Kommune pflegt der Kommunen-Admin.",
        )
    name = name.strip()
    if not name:
        raise ValidationError({"name": "Bitte einen Namen angeben."})
    verbund_id = person.kommune.verbund_id
    _vorlageschritte_pruefen(schritte, kommune, verbund_id)
    vorlage = Vorlage.objects.create(
        verbund_id=verbund_id,
        kommune=kommune,
        name=name[:200],
        beschreibung=beschreibung.strip()[:1000],
        angelegt_von=person,
    )
    for i, angabe in enumerate(schritte):
        Vorlageschritt.objects.create(
            vorlage=vorlage,
            reihenfolge=i + 1,
            gruppe=angabe.gruppe if angabe.gruppe is not None else 1000 + i,
            verfuegung=angabe.verfuegung,
            art=angabe.art,
            person=angabe.person if angabe.art == Empfaengerart.PERSON else None,
            oe=angabe.oe if angabe.art in (Empfaengerart.OE, Empfaengerart.ROLLE) else None,
            rolle=angabe.rolle if angabe.art == Empfaengerart.ROLLE else "",
            frist_tage=angabe.frist_tage,
            notiz=angabe.notiz.strip()[:1000],
        )
    wo = "den Verbund" if verbundweit else f"die Kommune {person.kommune.name}"
    protokollieren(
        kommune_id=person.kommune_id,
        akteur=akteur,
        aktion=Aktion.ANGELEGT,
        beschreibung=f"Vorlage für Geschäftsgänge „{vorlage.name}“ für {wo} angelegt",
        objekt=vorlage,
        details={"schritte": len(schritte), "verbundweit": verbundweit},
    )
    return vorlage


@transaction.atomic
def vorlage_deaktivieren(*, akteur: Akteur, vorlage: Vorlage) -> None:
    pruefen(akteur.benutzer, "geschaeftsgang.vorlage_verwalten", vorlage)
    vorlage.aktiv = False
    vorlage.save(update_fields=["aktiv", "geaendert_am"])
    protokollieren(
        kommune_id=akteur.benutzer.kommune_id,
        akteur=akteur,
        aktion=Aktion.GEAENDERT,
        beschreibung=f"Vorlage für Geschäftsgänge „{vorlage.name}“ gelöscht",
        objekt=vorlage,
    )


# --- Vertretung -------------------------------------------------------------------------------


@transaction.atomic
def vertretung_setzen(
    *,
    akteur: Akteur,
    abwesend: Benutzer,
    von: date,
    bis: date,
    vertreter: list[Benutzer],
    grund: str = "",
) -> Vertretung:
    """An absence with its deputies. Deputies of another Kommune of the Verbund only where the
    Verbund allows it; a deputy who is absent at the same time is refused."""
    pruefen(
        akteur.benutzer,
        "geschaeftsgang.vertretung_setzen",
        abwesend,
        meldung="Eine Abwesenheit trägt die Person selbst oder ihr Kommunen-Admin ein.",
    )
    if bis < von:
        raise ValidationError({"bis": "Das Ende der Abwesenheit liegt vor ihrem Beginn."})
    if bis < _heute():
        raise ValidationError({"bis": "Die Abwesenheit liegt ganz in der Vergangenheit."})
    if not vertreter:
        raise ValidationError({"vertreter": "Bitte mindestens eine Vertretung angeben."})
    uebergreifend = selectors.vertretung_kommunenuebergreifend(abwesend.kommune.verbund_id)
    for person in vertreter:
        if person.pk == abwesend.pk:
            raise ValidationError({"vertreter": "Niemand vertritt sich selbst."})
        if not person.is_active or person.kommune.verbund_id != abwesend.kommune.verbund_id:
            raise ValidationError({"vertreter": f"{_name(person)} gibt es im Verbund nicht."})
        if person.kommune_id != abwesend.kommune_id and not uebergreifend:
            raise ValidationError(
                {
                    "vertreter": f"{_name(person)} gehört zu einer anderen Kommune; Vertretungen "
                    "über Kommunen hinweg hat der Verbund nicht freigegeben."
                }
            )
        if Vertretung.alle.filter(abwesend=person, von__lte=bis, bis__gte=von).exists():
            raise ValidationError(
                {"vertreter": f"{_name(person)} ist in diesem Zeitraum selbst abwesend."}
            )
    vertretung = Vertretung.objects.create(
        kommune_id=abwesend.kommune_id,
        abwesend=abwesend,
        von=von,
        bis=bis,
        grund=grund.strip()[:200],
        angelegt_von=akteur.benutzer,
    )
    vertretung.vertreter.set(vertreter)
    namen = ", ".join(_name(p) for p in vertreter)
    protokollieren(
        kommune_id=abwesend.kommune_id,
        akteur=akteur,
        aktion=Aktion.VERTRETUNG,
        beschreibung=f"{_name(abwesend)} abwesend vom {von:%d.%m.%Y} bis {bis:%d.%m.%Y}; "
        f"Vertretung: {namen}",
        objekt=vertretung,
        details={"vertreter": [p.username for p in vertreter]},
    )
    return vertretung


@transaction.atomic
def vertretung_beenden(*, akteur: Akteur, vertretung: Vertretung) -> None:
    pruefen(akteur.benutzer, "geschaeftsgang.vertretung_setzen", vertretung.abwesend)
    gestern = _heute() - timedelta(days=1)
    if vertretung.von > gestern:
        vertretung.delete()
    else:
        vertretung.bis = gestern
        vertretung.save(update_fields=["bis"])
    protokollieren(
        kommune_id=vertretung.kommune_id,
        akteur=akteur,
        aktion=Aktion.VERTRETUNG,
        beschreibung=f"Abwesenheit von {_name(vertretung.abwesend)} beendet",
        details={},
    )


@transaction.atomic
def verbund_einstellen(*, akteur: Akteur, vertretung_kommunenuebergreifend: bool) -> None:
    pruefen(akteur.benutzer, "geschaeftsgang.verbund_einstellen")
    verbund_id = akteur.benutzer.kommune.verbund_id
    Verbundeinstellung.objects.update_or_create(
        verbund_id=verbund_id,
        defaults={"vertretung_kommunenuebergreifend": vertretung_kommunenuebergreifend},
    )
    protokollieren(
        kommune_id=akteur.benutzer.kommune_id,
        akteur=akteur,
        aktion=Aktion.EINSTELLUNG_GEAENDERT,
        beschreibung="Vertretung über Kommunen des Verbunds hinweg "
        + ("erlaubt" if vertretung_kommunenuebergreifend else "nicht erlaubt"),
    )


@transaction.atomic
def benachrichtigung_einstellen(*, akteur: Akteur, art: str) -> Benachrichtigung:
    if akteur.benutzer is None:
        raise PermissionDenied("Nur eine Person stellt ihre E-Mails ein.")
    if art not in Benachrichtigungsart.values:
        raise ValidationError({"art": "Bitte sofort, täglich oder aus wählen."})
    vorher = Benachrichtigung.objects.filter(benutzer=akteur.benutzer).first()
    eintrag, _ = Benachrichtigung.objects.update_or_create(
        benutzer=akteur.benutzer, defaults={"art": art}
    )
    if vorher is None or vorher.art != art:
        protokollieren(
            kommune_id=akteur.benutzer.kommune_id,
            aktion=Aktion.EINSTELLUNG_GEAENDERT,
            akteur=akteur,
            beschreibung=f"E-Mails zum Postkorb: {eintrag.get_art_display()}",
            objekt=akteur.benutzer,
            details={"postkorb_mail": art},
        )
    return eintrag
