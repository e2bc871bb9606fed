"""The roles of the e-file. Each role is a Django group with a fixed set of permissions.

The mapping below is the single source of truth; `sync_rollen` brings the groups in the database
in line with it after every migration, so the admin site and DRF see the same rights.
"""

from collections.abc import Iterable

from django.db import models


class Rolle(models.TextChoices):
    SACHBEARBEITUNG = "Sachbearbeitung", "Sachbearbeitung"
    DIGITALLOTSE = "Digitallotse", "Digitallotse"
    KOMMUNEN_ADMIN = "Kommunen-Admin", "Kommunen-Admin"
    VERBUND_ADMIN = "Verbund-Admin", "Verbund-Admin"
    SCHULUNG = "Schulung", "Schulung"
    DATENSCHUTZ = "Datenschutz", "Datenschutz"

    @classmethod
    def from_group_names(cls, names: Iterable[str]) -> frozenset["Rolle"]:
        known = set(cls.values)
        return frozenset(cls(name) for name in names if name in known)


# Permissions are "app_label.codename". Later apps add theirs here.
BERECHTIGUNGEN: dict[Rolle, list[str]] = {
    Rolle.SACHBEARBEITUNG: [],
    Rolle.DIGITALLOTSE: ["aktenplan.aktenplan_bearbeiten"],
    Rolle.KOMMUNEN_ADMIN: ["kommunen.benutzer_verwalten"],
    Rolle.VERBUND_ADMIN: [
        "kommunen.verbund_verwalten",
        "kommunen.benutzer_verwalten",
        "aktenplan.aktenplan_bearbeiten",
        "schulung.schulung_verwalten",
    ],
    Rolle.SCHULUNG: ["schulung.schulung_verwalten"],
    Rolle.DATENSCHUTZ: ["kommunen.protokoll_lesen"],
}

ROLLEN_BESCHREIBUNG: dict[Rolle, str] = {
    Rolle.SACHBEARBEITUNG: "bearbeitet Vorgänge und legt Dokumente ab",
    Rolle.DIGITALLOTSE: "pflegt den gemeinsamen Aktenplan und hilft Kolleginnen und Kollegen",
    Rolle.KOMMUNEN_ADMIN: "verwaltet Benutzer und Organisationseinheiten der eigenen Kommune",
    Rolle.VERBUND_ADMIN: "nimmt Kommunen in den Verbund auf und verwaltet den Verbund",
    Rolle.SCHULUNG: "veröffentlicht Dienstanweisungen und Leitfäden und plant Schulungen",
    Rolle.DATENSCHUTZ: "liest das Protokoll der eigenen Kommune",
}


def sync_rollen() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for rolle, codes in BERECHTIGUNGEN.items():
        group, _ = Group.objects.get_or_create(name=rolle.value)
        wanted = Q(pk__in=[])
        for code in codes:
            app_label, codename = code.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))


def sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate is sent once per app; the last one sees the permissions of all apps."""
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == apps_with_models[-1].label:
        sync_rollen()
