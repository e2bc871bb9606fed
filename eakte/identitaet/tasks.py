import logging

from celery import shared_task

logger = logging.getLogger("eakte.identitaet")


@shared_task(name="eakte.identitaet.verzeichnisse_abgleichen")
def verzeichnisse_abgleichen() -> dict:
    """Nightly: roles and OEs of every directory account follow the directory; people gone from
    it are deactivated. A directory that cannot be asked is skipped (nobody is deactivated)."""
    from .models import Identitaetsquelle, Quellenart
    from .verzeichnis import Verzeichnisfehler, abgleichen

    ergebnisse = {}
    for quelle in Identitaetsquelle.objects.filter(art=Quellenart.LDAP).select_related("kommune"):
        try:
            ergebnisse[quelle.kommune.slug] = abgleichen(quelle)
        except Verzeichnisfehler as fehler:
            logger.error("Abgleich %s nicht möglich: %s", quelle.kommune.slug, fehler)
            ergebnisse[quelle.kommune.slug] = {"fehler": str(fehler)}
    return ergebnisse
