"""Demo data: the IKZ Odenwald with its four Kommunen, OEs and one user per role.

Idempotent: what exists already (by slug or user name) is left as it is.
AGS after the Hessian Gemeindeverzeichnis (Odenwaldkreis 06437); check before production use.
"""

from dataclasses import dataclass

from django.conf import settings

from . import services
from .models import Benutzer, Kommune, Organisationseinheit, Verbund
from .rollen import Rolle

VERBUND = {"name": "IKZ Odenwald", "slug": "odenwald"}

KOMMUNEN = [
    {"name": "Erbach", "slug": "erbach", "ags": "06437006", "aktenzeichen_praefix": "ERB"},
    {
        "name": "Michelstadt",
        "slug": "michelstadt",
        "ags": "06437011",
        "aktenzeichen_praefix": "MIC",
    },
    {"name": "Oberzent", "slug": "oberzent", "ags": "06437020", "aktenzeichen_praefix": "OBZ"},
    {
        "name": "Brombachtal",
        "slug": "brombachtal",
        "ags": "06437005",
        "aktenzeichen_praefix": "BRO",
    },
]

# (Kürzel, Name, Kürzel der übergeordneten Einheit)
OES = [
    ("HA", "Hauptamt", None),
    ("HA-PO", "Personal und Organisation", "HA"),
    ("HA-IT", "IT und Digitalisierung", "HA"),
    ("OA", "Ordnungsamt", None),
    ("BA", "Bauamt", None),
    ("KAE", "Kämmerei", None),
]


@dataclass(frozen=True)
class DemoPerson:
    kennung: str
    rollen: tuple[Rolle, ...]
    oe: str


PERSONEN = [
    DemoPerson("sachbearbeitung", (Rolle.SACHBEARBEITUNG,), "BA"),
    DemoPerson("sachbearbeitung2", (Rolle.SACHBEARBEITUNG,), "OA"),
    DemoPerson("digitallotse", (Rolle.DIGITALLOTSE, Rolle.SACHBEARBEITUNG), "HA-IT"),
    DemoPerson("kommunenadmin", (Rolle.KOMMUNEN_ADMIN,), "HA"),
    DemoPerson("verbundadmin", (Rolle.VERBUND_ADMIN,), "HA-IT"),
    DemoPerson("schulung", (Rolle.SCHULUNG,), "HA-PO"),
    DemoPerson("datenschutz", (Rolle.DATENSCHUTZ,), "HA"),
]

VORNAMEN = [
    "Anna",
    "Jonas",
    "Lea",
    "Lukas",
    "Marie",
    "Felix",
    "Sophie",
    "Paul",
    "Laura",
    "Tim",
    "Julia",
    "David",
    "Katharina",
    "Stefan",
    "Sabine",
    "Thomas",
    "Petra",
    "Michael",
    "Claudia",
    "Andreas",
    "Monika",
    "Jürgen",
    "Birgit",
    "Uwe",
    "Heike",
    "Frank",
    "Ute",
    "Ralf",
]
NACHNAMEN = [
    "Schäfer",
    "Müller",
    "Weber",
    "Becker",
    "Hofmann",
    "Wagner",
    "Schmitt",
    "Koch",
    "Bauer",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hartmann",
    "Lange",
    "Schmitz",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Köhler",
    "Walter",
    "Fuchs",
]


def _verbund() -> Verbund:
    return Verbund.objects.filter(slug=VERBUND["slug"]).first() or services.verbund_anlegen(
        **VERBUND
    )


def _kommune(verbund: Verbund, daten: dict) -> Kommune:
    return Kommune.objects.filter(
        slug=daten["slug"]
    ).first() or services.kommune_anlegen_ungeprueft(verbund=verbund, **daten)


def _oes(kommune: Kommune) -> dict[str, Organisationseinheit]:
    einheiten = {oe.kuerzel: oe for oe in kommune.organisationseinheiten.all()}
    for kuerzel, name, eltern in OES:
        if kuerzel not in einheiten:
            einheiten[kuerzel] = services.organisationseinheit_anlegen_ungeprueft(
                kommune=kommune, name=name, kuerzel=kuerzel, parent=einheiten.get(eltern or "")
            )
    return einheiten


def _personen(kommune: Kommune, einheiten: dict, nummer: int) -> list[str]:
    angelegt = []
    for index, person in enumerate(PERSONEN):
        username = f"{person.kennung}.{kommune.slug}"
        if Benutzer.objects.filter(username__iexact=username).exists():
            continue
        name_index = nummer * len(PERSONEN) + index
        services.benutzer_anlegen_ungeprueft(
            kommune=kommune,
            username=username,
            email=f"{username}@demo.invalid",
            first_name=VORNAMEN[name_index % len(VORNAMEN)],
            last_name=NACHNAMEN[name_index % len(NACHNAMEN)],
            password=settings.DEMO_PASSWORT,
            rollen=person.rollen,
            organisationseinheiten=[einheiten[person.oe]],
        )
        angelegt.append(username)
    return angelegt


def laden() -> list[str]:
    """Create what is missing; return a line per thing created."""
    verbund = _verbund()
    bericht = []
    for nummer, daten in enumerate(KOMMUNEN):
        kommune = _kommune(verbund, daten)
        einheiten = _oes(kommune)
        for username in _personen(kommune, einheiten, nummer):
            bericht.append(f"Benutzer {username} angelegt")
    return bericht
