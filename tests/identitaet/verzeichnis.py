"""A real OpenLDAP server (Debian's slapd) for the sign-in tests: a throw-away slapd.conf and mdb
database in a temporary folder, on a free port, seeded with people and nested groups of the
Kommune Erbach. `Verzeichnis.ldif(...)` changes it while tests run (ldapmodify)."""

import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.hilfen import freier_port

BASIS = "dc=erbach,dc=example"
ADMIN_DN = f"cn=admin,{BASIS}"
ADMIN_PASSWORT = "verzeichnis-geheim"
DIENST_DN = f"cn=eakte,ou=dienste,{BASIS}"
DIENST_PASSWORT = "dienst-geheim"
PERSONEN_PASSWORT = "Rathaus-Erbach-2026"
GRUPPEN = f"ou=gruppen,{BASIS}"

SLAPD_CONF = """\
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
{tls}pidfile {ordner}/slapd.pid
database mdb
maxsize 10485760
suffix "{basis}"
rootdn "{admin}"
rootpw {passwort}
directory {ordner}/daten
access to attrs=userPassword by self auth by anonymous auth by * none
access to * by * read
"""


def _person(uid, vorname, nachname, abteilung=""):
    zeilen = [
        f"dn: uid={uid},ou=personen,{BASIS}",
        "objectClass: inetOrgPerson",
        f"uid: {uid}",
        f"cn: {vorname} {nachname}",
        f"givenName: {vorname}",
        f"sn: {nachname}",
        f"mail: {uid}@erbach.example",
        f"userPassword: {PERSONEN_PASSWORT}",
    ]
    if abteilung:
        zeilen.append(f"departmentNumber: {abteilung}")
    return "\n".join(zeilen) + "\n"


def _gruppe(cn, mitglieder):
    zeilen = [f"dn: cn={cn},{GRUPPEN}", "objectClass: groupOfNames", f"cn: {cn}"]
    zeilen += [f"member: {m}" for m in mitglieder]
    return "\n".join(zeilen) + "\n"


def person_dn(uid):
    return f"uid={uid},ou=personen,{BASIS}"


def gruppe_dn(cn):
    return f"cn={cn},{GRUPPEN}"


def saat() -> str:
    """People and nested groups: GG-Bauamt (members: mmuster, ppeters) is itself a member of
    GG-Sachbearbeitung; kkeiner is in no mapped group; ppeters also carries the OE attribute."""
    teile = [
        f"dn: {BASIS}\nobjectClass: dcObject\nobjectClass: organization\ndc: erbach\no: Erbach\n",
        f"dn: ou=personen,{BASIS}\nobjectClass: organizationalUnit\nou: personen\n",
        f"dn: ou=gruppen,{BASIS}\nobjectClass: organizationalUnit\nou: gruppen\n",
        f"dn: ou=dienste,{BASIS}\nobjectClass: organizationalUnit\nou: dienste\n",
        f"dn: {DIENST_DN}\nobjectClass: person\ncn: eakte\nsn: Dienstkonto\n"
        f"userPassword: {DIENST_PASSWORT}\n",
        _person("mmuster", "Maria", "Muster"),
        _person("kkeiner", "Karl", "Keiner"),
        _person("ppeters", "Paul", "Peters", "BA"),
        _gruppe("GG-Bauamt", [person_dn("mmuster"), person_dn("ppeters")]),
        _gruppe("GG-Sachbearbeitung", [gruppe_dn("GG-Bauamt")]),
        _gruppe("GG-Sonstige", [person_dn("kkeiner")]),
    ]
    return "\n".join(teile)


@dataclass
class Verzeichnis:
    uri: str
    ordner: Path
    prozess: subprocess.Popen | None = None
    ca: str = ""

    def ldif(self, text: str, *, hinzufuegen: bool = False) -> None:
        befehl = ["ldapmodify", "-x", "-H", self.uri, "-D", ADMIN_DN, "-w", ADMIN_PASSWORT]
        if hinzufuegen:
            befehl.append("-a")
        subprocess.run(befehl, input=text, text=True, check=True, capture_output=True)

    def stoppen(self) -> None:
        if self.prozess and self.prozess.poll() is None:
            self.prozess.terminate()
            try:
                self.prozess.wait(10)
            except subprocess.TimeoutExpired:
                self.prozess.kill()


def zertifikate(ordner: Path) -> str:
    """A CA and a server certificate for 127.0.0.1 made here; returns the CA in PEM."""
    import datetime

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    jetzt = datetime.datetime.now(datetime.UTC)
    ca_schluessel = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test-CA Rathaus Erbach")])
    ca = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_schluessel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(jetzt - datetime.timedelta(hours=1))
        .not_valid_after(jetzt + datetime.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(ca_schluessel, hashes.SHA256())
    )
    schluessel = ec.generate_private_key(ec.SECP256R1())
    server = (
        x509.CertificateBuilder()
        .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
        .issuer_name(ca_name)
        .public_key(schluessel.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(jetzt - datetime.timedelta(hours=1))
        .not_valid_after(jetzt + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.IPAddress(__import__("ipaddress").ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .sign(ca_schluessel, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    (ordner / "ca.pem").write_bytes(ca.public_bytes(pem))
    (ordner / "server.pem").write_bytes(server.public_bytes(pem))
    (ordner / "server.key").write_bytes(
        schluessel.private_bytes(
            pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return ca.public_bytes(pem).decode()


def starten(ordner: Path, *, tls: bool = False) -> Verzeichnis:
    """slapd on a free port; with `tls` it offers StartTLS with a certificate of its own CA
    (`verzeichnis.ca` then holds the CA in PEM)."""
    slapd = shutil.which("slapd") or "/usr/sbin/slapd"
    (ordner / "daten").mkdir(parents=True)
    conf = ordner / "slapd.conf"
    ca = zertifikate(ordner) if tls else ""
    tls_zeilen = (
        f"TLSCACertificateFile {ordner}/ca.pem\nTLSCertificateFile {ordner}/server.pem\n"
        f"TLSCertificateKeyFile {ordner}/server.key\n"
        if tls
        else ""
    )
    conf.write_text(
        SLAPD_CONF.format(
            ordner=ordner, basis=BASIS, admin=ADMIN_DN, passwort=ADMIN_PASSWORT, tls=tls_zeilen
        )
    )
    subprocess.run(
        [slapd.replace("slapd", "slapadd"), "-f", str(conf), "-b", BASIS],
        input=saat(),
        text=True,
        check=True,
        capture_output=True,
    )
    port = freier_port()
    uri = f"ldap://127.0.0.1:{port}"
    prozess = subprocess.Popen(
        [slapd, "-f", str(conf), "-h", uri, "-d", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    verzeichnis = Verzeichnis(uri=uri, ordner=ordner, prozess=prozess, ca=ca)
    for _ in range(100):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return verzeichnis
        except OSError:
            time.sleep(0.1)
    verzeichnis.stoppen()
    raise RuntimeError("slapd ist nicht gestartet")
