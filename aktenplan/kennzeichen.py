"""Rules for Kennzeichen: one number part per level, joined by the plan's separator.

A plan's numbering pattern is the number of digits per level, e.g. (1, 1, 2): `0`, `0.2`, `0.2.01`;
levels deeper than the pattern use its last value. Pure functions, so forms, the import and the
services all apply exactly the same rules.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import ngettext

SORT_WIDTH = 6


@dataclass(frozen=True)
class Nummerierung:
    trenner: str
    stellen: tuple[int, ...]

    @classmethod
    def aus_text(cls, trenner: str, stellen: str) -> "Nummerierung":
        return cls(trenner, tuple(int(teil) for teil in stellen.split(",")))

    def stellen_fuer_ebene(self, ebene: int) -> int:
        return self.stellen[min(ebene, len(self.stellen)) - 1]

    def teile(self, kennzeichen: str) -> list[str]:
        return kennzeichen.split(self.trenner) if self.trenner else [kennzeichen]

    def ebene(self, kennzeichen: str) -> int:
        return len(self.teile(kennzeichen))

    def eltern_kennzeichen(self, kennzeichen: str) -> str | None:
        teile = self.teile(kennzeichen)
        return self.trenner.join(teile[:-1]) if len(teile) > 1 else None

    def beispiel(self, ebene: int) -> str:
        return self.trenner.join("0" * self.stellen_fuer_ebene(n) for n in range(1, ebene + 1))

    def beispiel_fuer(self, kennzeichen: str) -> str:
        """A valid Kennzeichen as close as possible to a wrongly typed one ("6.2.1" → "6.2.01")."""
        teile = []
        for ebene, teil in enumerate(self.teile(kennzeichen), start=1):
            stellen = self.stellen_fuer_ebene(ebene)
            gut = teil.isascii() and teil.isdigit() and len(teil.lstrip("0") or "0") <= stellen
            teile.append(teil[-stellen:].zfill(stellen) if gut else "1".zfill(stellen))
        return self.trenner.join(teile)

    def naechstes(self, eltern: str | None, vorhandene: Iterable[str]) -> str | None:
        """The next free Kennzeichen under `eltern` (None: top level), given the Kennzeichen of
        all units already there (retired ones too: a number is never given twice). After the
        highest number; if that is the last one the digits allow, the first gap; None if full."""
        ebene = (self.ebene(eltern) if eltern else 0) + 1
        stellen = self.stellen_fuer_ebene(ebene)
        praefix = f"{eltern}{self.trenner}" if eltern else ""
        belegt = set()
        for kennzeichen in vorhandene:
            teil = kennzeichen[len(praefix) :] if kennzeichen.startswith(praefix) else ""
            if teil.isdigit() and self.ebene(kennzeichen) == ebene:
                belegt.add(int(teil))
        hoechste = 10**stellen - 1
        # Level 1 usually starts at 0 (0 Allgemeine Verwaltung), deeper levels at 1.
        start = 0 if ebene == 1 else 1
        kandidaten = [max(belegt) + 1] if belegt else [start]
        kandidaten += range(start, hoechste + 1)
        for nummer in kandidaten:
            if start <= nummer <= hoechste and nummer not in belegt:
                return praefix + str(nummer).zfill(stellen)
        return None

    def schema_text(self) -> str:
        """The numbering pattern in words, e.g. "Ebene 1: 1 Ziffer, Ebene 2: 1 Ziffer, ab Ebene
        3: 2 Ziffern"."""
        teile = []
        for ebene, stellen in enumerate(self.stellen, start=1):
            ab = "ab " if ebene == len(self.stellen) and ebene > 1 else ""
            ziffern = ngettext("%(n)d Ziffer", "%(n)d Ziffern", stellen) % {"n": stellen}
            teile.append(f"{ab}Ebene {ebene}: {ziffern}")
        return ", ".join(teile)

    def fehler(self, kennzeichen: str, eltern: str | None) -> list[str]:
        """German messages for everything wrong with `kennzeichen` under parent `eltern`."""
        if not kennzeichen:
            return ["Das Kennzeichen fehlt."]
        if eltern:
            if not kennzeichen.startswith(eltern + self.trenner):
                return [
                    f"Das Kennzeichen „{kennzeichen}“ muss das Kennzeichen der übergeordneten "
                    f"Einheit „{eltern}“ fortsetzen (z. B. „{self.naechstes(eltern, [])}“)."
                ]
            if self.ebene(kennzeichen) != self.ebene(eltern) + 1:
                return [
                    f"Das Kennzeichen „{kennzeichen}“ darf unter „{eltern}“ genau eine "
                    "Stelle mehr haben."
                ]
        elif self.ebene(kennzeichen) != 1:
            return [
                f"„{kennzeichen}“ ist kein Kennzeichen der obersten Ebene; "
                "bitte die übergeordnete Einheit angeben."
            ]
        for ebene, teil in enumerate(self.teile(kennzeichen), start=1):
            stellen = self.stellen_fuer_ebene(ebene)
            if not (teil.isascii() and teil.isdigit() and len(teil) == stellen):
                ziffern = ngettext("%(n)d Ziffer", "%(n)d Ziffern", stellen) % {"n": stellen}
                return [
                    f"Das Kennzeichen „{kennzeichen}“ passt nicht zum Nummernschema des "
                    f"Aktenplans: Ebene {ebene} hat {ziffern}, z. B. "
                    f"„{self.beispiel_fuer(kennzeichen)}“."
                ]
        return []

    def sortierschluessel(self, kennzeichen: str) -> str:
        """Zero-padded parts: sorting by this key gives the tree in numeric pre-order."""
        return "/".join(teil.zfill(SORT_WIDTH) for teil in self.teile(kennzeichen))

    def umnummerieren(self, kennzeichen: str, alt_praefix: str, neu_praefix: str) -> str:
        """Replace the leading `alt_praefix` of a Kennzeichen in a moved subtree."""
        return neu_praefix + kennzeichen[len(alt_praefix) :]
