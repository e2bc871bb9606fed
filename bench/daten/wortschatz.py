"""A Zipf-like German administrative vocabulary for generated search data (benchmarks).

Rank 1 is the most frequent word; the probability of rank r is proportional to 1 / r**1.05.
The list starts with the very common words of municipal letters ("Gemeinde", "Antrag", "Stadt"),
then compounds built from a modifier and a head ("Förderbescheid", "Bauantrag"), then rare
words (surnames, street and place names, synthetic technical terms).
"""

import itertools
import random

HAEUFIG = """
Gemeinde Antrag Stadt Bescheid Verwaltung Bürgermeister Schreiben Straße Frist Gebühr Anlage
Beschluss Sitzung Gemeindevertretung Magistrat Verfahren Genehmigung Widerspruch Zuständigkeit
Haushalt Mittel Kosten Vertrag Grundstück Eigentümer Bürger Einwohner Verordnung Satzung Amt
Abteilung Auskunft Mitteilung Unterlagen Prüfung Stellungnahme Termin Zahlung Rechnung Betrag
Erlaubnis Anzeige Bauamt Ordnungsamt Hauptamt Kämmerei Landkreis Kreis Land Hessen Behörde
Förderung Zuschuss Maßnahme Planung Bebauungsplan Flächennutzungsplan Baugenehmigung Gutachten
Nachweis Bestätigung Erklärung Vollmacht Unterschrift Datum Aktenzeichen Bearbeitung Eingang
Ausgang Ablehnung Zustimmung Auflage Bedingung Gebäude Wohnung Schule Kindergarten Kita
Feuerwehr Friedhof Wasser Abwasser Straßenbau Grünfläche Spielplatz Sportplatz Veranstaltung
Vereinbarung Kooperation Zusammenarbeit Digitalisierung Verwaltungsleistung Online Formular
""".split()

BESTIMMUNGSWORTE = """
Förder Bau Gebühren Zuwendungs Abgaben Steuer Grund Gewerbe Hunde Wasser Abwasser Kita Schul
Friedhofs Straßen Sonder Nutzungs Miet Pacht Erschließungs Ausbau Kanal Park Markt Wahl Jugend
Senioren Vereins Sport Kultur Brandschutz Natur Umwelt Verkehrs Personal Haushalts Feststellungs
""".split()

GRUNDWORTE = """
bescheid antrag satzung vertrag plan ordnung gebühr beitrag zuschuss genehmigung anzeige
verfahren konzept bericht nachweis vermerk stelle maßnahme fläche anlage verzeichnis
""".split()

SILBEN = """
ba be bi bo bu da de di do du fa fe fi fo ga ge gi go ha he hi ho ka ke ki ko la le li lo ma
me mi mo na ne ni no pa pe pi po ra re ri ro sa se si so ta te ti to wa we wi wo ze zi zu
""".split()
ENDUNGEN = ["ung", "heit", "keit", "schaft", "tum", "ling", "nis", "er", "en", "el"]

PHRASEN = [
    "Widerspruch gegen den Bescheid",
    "mit freundlichen Grüßen",
    "Antrag auf Erteilung einer Baugenehmigung",
    "Beschluss der Gemeindevertretung",
    "Satzung über die Erhebung von Gebühren",
    "interkommunale Zusammenarbeit",
]


def wortschatz(anzahl: int = 20_000, seed: int = 2026) -> list[str]:
    """`anzahl` distinct words, most frequent first."""
    zufall = random.Random(seed)
    woerter = list(dict.fromkeys(HAEUFIG))
    komposita = [b + g for b, g in itertools.product(BESTIMMUNGSWORTE, GRUNDWORTE)]
    zufall.shuffle(komposita)
    woerter += [w[0].upper() + w[1:] for w in komposita]
    gesehen = set(woerter)
    while len(woerter) < anzahl:
        wort = "".join(zufall.choice(SILBEN) for _ in range(zufall.randint(2, 4)))
        wort = (wort + zufall.choice(ENDUNGEN)).capitalize()
        if wort not in gesehen:
            gesehen.add(wort)
            woerter.append(wort)
    return woerter[:anzahl]


class Textgenerator:
    def __init__(self, woerter: list[str], seed: int = 2026, exponent: float = 1.05):
        self.woerter = woerter
        self.zufall = random.Random(seed)
        gewichte = [1 / (rang**exponent) for rang in range(1, len(woerter) + 1)]
        self.kumuliert = list(itertools.accumulate(gewichte))

    def text(self, mittel: int = 300) -> str:
        laenge = max(20, int(self.zufall.gauss(mittel, mittel / 3)))
        woerter = self.zufall.choices(self.woerter, cum_weights=self.kumuliert, k=laenge)
        if self.zufall.random() < 0.2:
            woerter.insert(self.zufall.randrange(len(woerter)), self.zufall.choice(PHRASEN))
        return " ".join(woerter)
