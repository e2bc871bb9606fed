"""Throw-away PostgreSQL servers for tests that must stop, restart or replicate a server: a
primary made with initdb and a streaming replica made with pg_basebackup -R, each on a free port
(/usr/lib/postgresql/15/bin, the machine's version). The machine's shared PostgreSQL is never
touched (its pg_hba.conf allows no replication, and other work runs on it).
"""

import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

from tests.hilfen import freier_port

BIN = Path("/usr/lib/postgresql/15/bin")


def _als_postgres(befehl: list[str], **kwargs) -> subprocess.CompletedProcess:
    """initdb and postgres refuse to run as root."""
    if os.geteuid() == 0:
        befehl = ["runuser", "-u", "postgres", "--", *befehl]
    return subprocess.run(befehl, capture_output=True, text=True, check=False, **kwargs)


@dataclass
class Server:
    ordner: Path
    port: int

    @property
    def daten(self) -> Path:
        return self.ordner / "daten"

    def url(self, datenbank: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{datenbank}"

    def starten(self, frist: float = 30) -> None:
        lauf = _als_postgres(
            [str(BIN / "pg_ctl"), "-D", str(self.daten), "-l", str(self.ordner / "log")]
            + ["-o", f"-p {self.port} -k {self.ordner} -c listen_addresses=127.0.0.1", "start"]
        )
        if lauf.returncode != 0:
            raise RuntimeError(lauf.stdout + lauf.stderr + self.log())
        ende = time.monotonic() + frist
        while time.monotonic() < ende:
            try:
                psycopg.connect(self.url(), connect_timeout=2).close()
                return
            except psycopg.OperationalError:
                time.sleep(0.2)
        raise RuntimeError(f"PostgreSQL auf Port {self.port} startet nicht:\n{self.log()}")

    def anhalten(self, modus: str = "fast") -> None:
        _als_postgres([str(BIN / "pg_ctl"), "-D", str(self.daten), "-m", modus, "stop"])

    def laeuft(self) -> bool:
        return _als_postgres([str(BIN / "pg_ctl"), "-D", str(self.daten), "status"]).returncode == 0

    def log(self) -> str:
        pfad = self.ordner / "log"
        return pfad.read_text()[-3000:] if pfad.exists() else ""


def _ordner(name: str) -> Path:
    ordner = Path(tempfile.mkdtemp(prefix=f"eakte-pg-{name}-"))
    shutil.chown(ordner, "postgres", "postgres") if os.geteuid() == 0 else None
    return ordner


def primaer_anlegen() -> Server:
    server = Server(_ordner("primaer"), freier_port())
    lauf = _als_postgres(
        [str(BIN / "initdb"), "-D", str(server.daten), "-U", "postgres", "--auth=trust"]
        + ["--encoding=UTF8", "--locale=C.UTF-8", "--no-sync"]
    )
    if lauf.returncode != 0:
        raise RuntimeError(lauf.stdout + lauf.stderr)
    with (server.daten / "postgresql.conf").open("a") as konf:
        # small and fast: a test server, not a production one
        konf.write("wal_level = replica\nmax_wal_senders = 5\nfsync = off\n")
        konf.write("synchronous_commit = off\nfull_page_writes = off\nshared_buffers = 32MB\n")
    server.starten()
    return server


def replik_anlegen(primaer: Server) -> Server:
    """pg_basebackup -R: the copy starts as a hot standby streaming from the primary."""
    replik = Server(_ordner("replik"), freier_port())
    lauf = _als_postgres(
        [str(BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(primaer.port), "-U", "postgres"]
        + ["-D", str(replik.daten), "-R", "-X", "stream", "--checkpoint=fast"]
    )
    if lauf.returncode != 0:
        raise RuntimeError(lauf.stdout + lauf.stderr)
    replik.starten()
    return replik


def entfernen(*server: Server) -> None:
    for s in server:
        if s.laeuft():
            s.anhalten("immediate")
        shutil.rmtree(s.ordner, ignore_errors=True)
