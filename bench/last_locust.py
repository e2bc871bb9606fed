"""Locust mix of bench/last.py: clerks who log in once, then open the start page, their list, an
Akte, search, upload a small PDF and download a file, with a think time of 1–3 s.

Reads the people and their Akten from the JSON file named by LAST_DATEN (written by last.py).
The site runs with production settings (secure cookies, HTTPS assumed): the requests say
`X-Forwarded-Proto: https` as the TLS proxy would, and the cookie jar sends secure cookies
over the loopback connection.

One Locust run for all stages: the load shape `Stufen` raises the number of clerks stage by stage
(LAST_STUFEN, e.g. "5:60,10:60,25:60,50:300" = clerks:seconds), so every clerk logs in exactly
once, when it is started, and stays logged in for the rest of the run. Every request is written
with its stage and its time since the stage began to LAST_ERGEBNIS (JSON lines) when the run
ends; last.py computes the figures of each stage from that file (exact percentiles, not Locust's
rolling window).
"""

import itertools
import json
import os
import random
import re
import time
import uuid
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

from locust import HttpUser, LoadTestShape, between, events, task

DATEN = json.loads(Path(os.environ["LAST_DATEN"]).read_text())
PDF = Path(DATEN["pdf"]).read_bytes()
WOERTER = ["Bauantrag", "Genehmigung", "Straße", "Gebühr", "Antrag", "Bescheid", "Widerspruch"]
PERSONEN = itertools.cycle(DATEN["personen"])
TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')
STUFEN = [
    (int(nutzer), int(dauer))
    for nutzer, dauer in (
        teil.split(":") for teil in os.environ.get("LAST_STUFEN", "5:60").split(",") if teil
    )
]
# Index of the running stage and when it began (set by the shape, read by the request listener).
JETZT = {"stufe": 0, "beginn": time.monotonic()}
AUFZEICHNUNG: list[tuple[int, float, str, float, str | None]] = []


class Stufen(LoadTestShape):
    """Stage by stage, never fewer clerks than before: nobody logs out and in again."""

    def tick(self):
        laufzeit = self.get_run_time()
        ende = 0
        for index, (nutzer, dauer) in enumerate(STUFEN):
            ende += dauer
            if laufzeit < ende:
                if JETZT["stufe"] != index:
                    JETZT.update(stufe=index, beginn=time.monotonic())
                return nutzer, max(nutzer, 1)  # all new clerks of a stage within about a second
        return None


@events.test_start.add_listener
def _beginn(**_kwargs):
    JETZT.update(stufe=0, beginn=time.monotonic())


@events.request.add_listener
def _aufzeichnen(name, response_time, exception, **_kwargs):
    AUFZEICHNUNG.append(
        (JETZT["stufe"], round(time.monotonic() - JETZT["beginn"], 2), name,
         round(response_time, 1), str(exception)[:160] if exception else None)
    )  # fmt: skip


@events.quitting.add_listener
def _schreiben(**_kwargs):
    ziel = os.environ.get("LAST_ERGEBNIS")
    if ziel:
        with open(ziel, "w") as datei:
            for eintrag in AUFZEICHNUNG:
                datei.write(json.dumps(eintrag) + "\n")


# Secure cookies are sent over the loopback connection too. requests builds a new cookie jar
# (with the default policy) for every request, so the policy class itself is changed, in this
# load-generating process only.
DefaultCookiePolicy.return_ok_secure = lambda self, cookie, request: True


class Sachbearbeitung(HttpUser):
    wait_time = between(1, 3)

    def on_start(self):
        self.client.headers.update({"X-Forwarded-Proto": "https"})
        self.person = next(PERSONEN)
        seite = self.client.get("/anmelden/", name="Anmelden (Formular)")
        self._anmelden(seite.content)

    def _anmelden(self, html: bytes):
        token = TOKEN.search(html).group(1).decode()
        with self.client.post(
            "/anmelden/",
            data={
                "username": self.person["username"],
                "password": DATEN["passwort"],
                "csrfmiddlewaretoken": token,
            },
            headers={"Referer": f"https://{self._host()}/anmelden/"},
            name="Anmelden",
            allow_redirects=False,
            catch_response=True,
        ) as antwort:
            if antwort.status_code != 302:
                antwort.failure(f"Anmelden: {antwort.status_code}")

    def _host(self) -> str:
        return self.host.split("://", 1)[1].rstrip("/")

    def _csrf(self) -> str:
        return self.client.cookies.get("csrftoken", "")

    @task(3)
    def startseite(self):
        self.client.get("/", name="Startseite")

    @task(3)
    def meine_akten(self):
        self.client.get("/akten/", name="Meine Akten")

    @task(3)
    def akte(self):
        self.client.get(f"/akten/{random.choice(self.person['akten'])}/", name="Akte")

    @task(2)
    def suche(self):
        self.client.get(f"/suche/?q={random.choice(WOERTER)}", name="Suche")

    @task(1)
    def hochladen(self):
        vorgang = random.choice(self.person["vorgaenge"])
        inhalt = PDF + f"\n% {uuid.uuid4().hex}\n".encode()
        with self.client.post(
            f"/akten/vorgaenge/{vorgang}/hochladen/",
            data={"typ": "eingang", "csrfmiddlewaretoken": self._csrf()},
            files={"dateien": ("Lastprobe.pdf", inhalt, "application/pdf")},
            headers={"Referer": f"https://{self._host()}/akten/"},
            name="Hochladen",
            allow_redirects=False,
            catch_response=True,
        ) as antwort:
            if antwort.status_code == 302:
                antwort.success()
            else:
                antwort.failure(f"Hochladen: {antwort.status_code}")

    @task(2)
    def herunterladen(self):
        version = random.choice(self.person["versionen"])
        with self.client.get(
            f"/akten/versionen/{version}/datei/", name="Herunterladen", stream=True,
            catch_response=True,
        ) as antwort:  # fmt: skip
            laenge = sum(len(stueck) for stueck in antwort.iter_content(64 * 1024))
            if antwort.status_code != 200 or laenge == 0:
                antwort.failure(f"Herunterladen: {antwort.status_code}, {laenge} Bytes")
