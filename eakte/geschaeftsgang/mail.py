"""E-mails about new Postkorb items: at once (per step) or as a daily summary (Celery beat).

Each person chooses (Benachrichtigung): sofort (default), täglich, aus. The summary lists the
items that became current since the last summary; `gemeldet_bis` moves on in the transaction that
sends, so a second run does not repeat them.
"""

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from eakte.kommunen.models import Benutzer

from . import selectors
from .models import Benachrichtigung, Benachrichtigungsart, Schritt, Schrittstatus

logger = logging.getLogger(__name__)


def _link(schritt: Schritt) -> str:
    pfad = reverse("geschaeftsgang:schritt", kwargs={"schritt_uuid": schritt.uuid})
    return settings.SITE_URL.rstrip("/") + pfad


def _zeilen(schritt: Schritt) -> list[str]:
    gang = schritt.geschaeftsgang
    zeilen = [
        f"- {schritt.get_verfuegung_display()}: {gang.betreff}",
        f"  Vorgang: {gang.vorgang.vorgangszeichen}",
    ]
    if schritt.frist:
        zeilen.append(f"  Frist: {schritt.frist:%d.%m.%Y}")
    zeilen.append(f"  {_link(schritt)}")
    return zeilen


def empfaenger(schritt: Schritt) -> list[Benutzer]:
    """Who sees the step in their Postkorb: the person (and their deputies today), the members
    of the OE, the people with the role."""
    heute = timezone.localdate()
    if schritt.empfaenger_person_id:
        bedingung = Q(pk=schritt.empfaenger_person_id) | Q(
            vertretungen__abwesend_id=schritt.empfaenger_person_id,
            vertretungen__von__lte=heute,
            vertretungen__bis__gte=heute,
        )
    else:
        bedingung = Q()
        if schritt.empfaenger_oe_id:
            bedingung &= Q(organisationseinheiten=schritt.empfaenger_oe_id)
        if schritt.empfaenger_rolle:
            bedingung &= Q(
                groups__name=schritt.empfaenger_rolle, kommune_id=schritt.empfaenger_kommune_id
            )
    return list(Benutzer.objects.filter(bedingung, is_active=True).exclude(email="").distinct())


def _art(person: Benutzer) -> str:
    eintrag = Benachrichtigung.objects.filter(benutzer=person).first()
    return eintrag.art if eintrag else Benachrichtigungsart.SOFORT


def schritt_melden(*, schritt_id: int) -> int:
    schritt = (
        Schritt.objects.filter(pk=schritt_id, status=Schrittstatus.AKTIV)
        .select_related("geschaeftsgang__vorgang")
        .first()
    )
    if schritt is None:
        return 0
    gesendet = 0
    for person in empfaenger(schritt):
        if _art(person) != Benachrichtigungsart.SOFORT:
            continue
        try:
            send_mail(
                subject=f"eAkte Postkorb: {schritt.get_verfuegung_display()} – "
                f"{schritt.geschaeftsgang.betreff}"[:200],
                message="\n".join(
                    [
                        f"Guten Tag {person.get_full_name() or person.username},",
                        "",
                        "in Ihrem Postkorb liegt ein neuer Eintrag:",
                        "",
                        *_zeilen(schritt),
                        "",
                        "Diese Nachricht wurde automatisch versandt; die Art der Benachrichtigung "
                        "stellen Sie in Ihrem Postkorb ein.",
                    ]
                )
                + "\n",
                from_email=None,
                recipient_list=[person.email],
            )
            gesendet += 1
        except Exception:  # one unreachable mailbox must not stop the others
            logger.exception("Postkorb-Mail an %s fehlgeschlagen", person.username)
    return gesendet


def _zusammenfassen_fuer(eintrag: Benachrichtigung) -> bool:
    with transaction.atomic():
        eintrag = Benachrichtigung.objects.select_for_update().get(pk=eintrag.pk)
        person = eintrag.benutzer
        jetzt = timezone.now()
        neu = selectors.postkorb_liste(person)
        if eintrag.gemeldet_bis is not None:
            neu = neu.filter(aktiviert_am__gt=eintrag.gemeldet_bis)
        neu = list(neu[:200])
        eintrag.gemeldet_bis = jetzt
        eintrag.save(update_fields=["gemeldet_bis"])
        if not neu:
            return False
        zeilen = [
            f"Guten Tag {person.get_full_name() or person.username},",
            "",
            ngettext(
                "seit der letzten Zusammenfassung ist %(n)d Eintrag in Ihren Postkorb gekommen:",
                "seit der letzten Zusammenfassung sind %(n)d Einträge in Ihren Postkorb gekommen:",
                len(neu),
            )
            % {"n": len(neu)},
            "",
        ]
        for schritt in neu:
            zeilen += _zeilen(schritt)
        send_mail(
            subject=ngettext(
                "eAkte Postkorb: %(n)d neuer Eintrag",
                "eAkte Postkorb: %(n)d neue Einträge",
                len(neu),
            )
            % {"n": len(neu)},
            message="\n".join([*zeilen, "", "Diese Nachricht wurde automatisch versandt."]) + "\n",
            from_email=None,
            recipient_list=[person.email],
        )
    return True


def postkorb_zusammenfassen() -> int:
    gesendet = 0
    for eintrag in (
        Benachrichtigung.objects.filter(art=Benachrichtigungsart.TAEGLICH, benutzer__is_active=True)
        .exclude(benutzer__email="")
        .select_related("benutzer")
        .order_by("pk")
    ):
        try:
            gesendet += _zusammenfassen_fuer(eintrag)
        except Exception:
            logger.exception("Postkorb-Zusammenfassung an %s fehlgeschlagen", eintrag.benutzer_id)
    return gesendet
