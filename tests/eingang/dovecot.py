"""A throw-away Dovecot (Debian's dovecot-imapd) for the e-mail intake tests: IMAPS on a free
port, a self-signed certificate made here, maildirs and a passwd-file under a temporary folder."""

import datetime
import imaplib
import os
import shutil
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.hilfen import freier_port

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"


def zertifikat(ordner: Path) -> tuple[Path, Path]:
    schluessel = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    jetzt = datetime.datetime.now(datetime.UTC)
    zert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(schluessel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(jetzt - datetime.timedelta(minutes=5))
        .not_valid_after(jetzt + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(schluessel, hashes.SHA256())
    )
    zert_pfad, schluessel_pfad = ordner / "cert.pem", ordner / "key.pem"
    zert_pfad.write_bytes(zert.public_bytes(serialization.Encoding.PEM))
    schluessel_pfad.write_bytes(
        schluessel.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    schluessel_pfad.chmod(0o600)
    return zert_pfad, schluessel_pfad


@dataclass
class Dovecot:
    port: int
    ca: Path
    prozess: subprocess.Popen
    log: Path

    def imap(self, benutzer: str, passwort: str) -> imaplib.IMAP4_SSL:
        kontext = ssl.create_default_context(cafile=str(self.ca))
        verbindung = imaplib.IMAP4_SSL("localhost", self.port, ssl_context=kontext)
        verbindung.login(benutzer, passwort)
        return verbindung

    def einliefern(self, benutzer: str, passwort: str, nachricht: bytes, ordner="INBOX") -> None:
        verbindung = self.imap(benutzer, passwort)
        try:
            status, _ = verbindung.append(ordner, None, None, nachricht)
            assert status == "OK"
        finally:
            verbindung.logout()


def starten(ordner: Path, benutzer: dict[str, str]) -> Dovecot:
    """`ordner` and every parent must be traversable by the user `dovecot` (mail processes do
    not run as root): use a folder made by tempfile.mkdtemp and chmod 755, not pytest's tmp_path."""
    ordner.mkdir(parents=True, exist_ok=True)
    os.chmod(ordner, 0o755)  # noqa: S103 - the dovecot user must enter
    for unter in ("mail", "home"):
        (ordner / unter).mkdir(exist_ok=True)
        shutil.chown(ordner / unter, "dovecot", "dovecot")
    zert, schluessel = zertifikat(ordner)
    (ordner / "passwd").write_text(
        "".join(f"{name}:{{PLAIN}}{pw}::::::\n" for name, pw in benutzer.items())
    )
    port = freier_port()
    log = ordner / "dovecot.log"
    konfiguration = ordner / "dovecot.conf"
    konfiguration.write_text(
        f"""
protocols = imap
listen = 127.0.0.1
base_dir = {ordner}/run
state_dir = {ordner}/state
instance_name = eakte-test-{port}
log_path = {log}
ssl = required
ssl_cert = <{zert}
ssl_key = <{schluessel}
disable_plaintext_auth = yes
auth_mechanisms = plain
first_valid_uid = 0
default_internal_user = root
default_internal_group = root
default_login_user = dovenull
mail_location = maildir:{ordner}/mail/%u
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {ordner}/passwd
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={ordner}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    port = 0
  }}
  inet_listener imaps {{
    port = {port}
    ssl = yes
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
"""
    )
    prozess = subprocess.Popen(
        [DOVECOT, "-F", "-c", str(konfiguration)],
        stdout=subprocess.DEVNULL,
        stderr=open(ordner / "stderr.log", "wb"),  # noqa: SIM115
        start_new_session=True,
    )
    server = Dovecot(port=port, ca=zert, prozess=prozess, log=log)
    frist = time.monotonic() + 20
    while time.monotonic() < frist:
        if prozess.poll() is not None:
            raise RuntimeError(
                "Dovecot startet nicht: "
                + (ordner / "stderr.log").read_text()[-2000:]
                + (log.read_text()[-2000:] if log.exists() else "")
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    beenden(server)
    raise RuntimeError("Dovecot antwortet nicht")


def beenden(server: Dovecot) -> None:
    try:
        os.killpg(server.prozess.pid, signal.SIGTERM)
        server.prozess.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(server.prozess.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
