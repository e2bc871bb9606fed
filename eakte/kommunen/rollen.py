"""The roles of the e-file. Each role is a Django group (membership only, no Django permissions).

What a role may do is decided by the named rules in `<app>/regeln.py` (the `rules` package),
nowhere else; `sync_rollen` makes sure a group exists for every role after each migration.
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


# Roles whose rights reach beyond the person's own Kommune (the shared Aktenplan, publishing for
# every Kommune, completion lists of all Kommunen, the Verbund itself). Only a Verbund-Admin grants
# or removes them (rule `kommunen.rolle_vergeben`).
VERBUNDWEITE_ROLLEN: frozenset[Rolle] = frozenset(
    {Rolle.VERBUND_ADMIN, Rolle.SCHULUNG, Rolle.DIGITALLOTSE, Rolle.DATENSCHUTZ}
)

ROLLEN_BESCHREIBUNG: dict[Rolle, str] = {
    Rolle.SACHBEARBEITUNG: "bearbeitet Vorgänge und legt Dokumente ab",
    Rolle.DIGITALLOTSE: "pflegt den gemeinsamen Aktenplan und hilft Kolleginnen und Kollegen",
    Rolle.KOMMUNEN_ADMIN: "verwaltet Benutzer und Organisationseinheiten der eigenen Kommune",
    Rolle.VERBUND_ADMIN: "nimmt Kommunen in den Verbund auf und verwaltet den Verbund",
    Rolle.SCHULUNG: "veröffentlicht Dienstanweisungen und Leitfäden und plant Schulungen",
    Rolle.DATENSCHUTZ: "liest das Protokoll der eigenen Kommune",
}


def sync_rollen() -> None:
    from django.contrib.auth.models import Group

    for rolle in Rolle:
        group, _ = Group.objects.get_or_create(name=rolle.value)
        # Rights come from the rules, not from Django permissions (see docs/architektur.md).
        group.permissions.clear()


def sync_after_migrate(sender, **kwargs) -> None:
    """post_migrate is sent once per app; the last one sees the permissions of all apps."""
    from django.apps import apps

    apps_with_models = [config for config in apps.get_app_configs() if config.models_module]
    if sender.label == apps_with_models[-1].label:
        sync_rollen()


# Said wherever someone tries to change a person with a role beyond the Kommune.
NUR_VERBUND_ADMIN_AENDERT = (
    "Personen mit einer Rolle für den ganzen Verbund (Verbund-Admin, Schulung, Digitallotse, "
    "Datenschutz) ändert nur ein Verbund-Admin."
)
