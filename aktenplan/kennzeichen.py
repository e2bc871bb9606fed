"""Rules for Kennzeichen: one number part per level, joined by the plan's separator.

A plan's numbering pattern is the number of digits per level, e.g. (1, 1, 2): `0`, `0.2`, `0.2.01`;
levels deeper than the pattern use its last value. Pure functions, so forms, the import and the
services all apply exactly the same rules.
"""

from dataclasses import dataclass

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

    def fehler(self, kennzeichen: str, eltern: str | None) -> list[str]:
        """German messages for everything wrong with `kennzeichen` under parent `eltern`."""
        if not kennzeichen:
            return ["Das Kennzeichen fehlt."]
        if eltern:
            if not kennzeichen.startswith(eltern + self.trenner):
                return [
                    f"Das Kennzeichen „{kennzeichen}“ muss das Kennzeichen der übergeordneten "
                    f"Einheit „{eltern}“ fortsetzen (z. B. „{eltern}{self.trenner}1“)."
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
                return [
                    f"Das Kennzeichen „{kennzeichen}“ passt nicht zum Nummernschema des "
                    f"Aktenplans: Ebene {ebene} hat {stellen} Ziffer(n), z. B. "
                    f"„{self.beispiel(ebene)}“."
                ]
        return []

    def sortierschluessel(self, kennzeichen: str) -> str:
        """Zero-padded parts: sorting by this key gives the tree in numeric pre-order."""
        return "/".join(teil.zfill(SORT_WIDTH) for teil in self.teile(kennzeichen))

    def umnummerieren(self, kennzeichen: str, alt_praefix: str, neu_praefix: str) -> str:
        """Replace the leading `alt_praefix` of a Kennzeichen in a moved subtree."""
        return neu_praefix + kennzeichen[len(alt_praefix) :]
