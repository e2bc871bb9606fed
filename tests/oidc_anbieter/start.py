"""Start the test OpenID Connect provider: create its database, people and the client of the
e-file, then serve on the given port (tests/identitaet/anbieter.py starts it)."""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def main() -> None:
    teile = argparse.ArgumentParser()
    teile.add_argument("--port", type=int, required=True)
    teile.add_argument(
        "--einrichtung", required=True, help="JSON: client, secret, redirects, personen"
    )
    argumente = teile.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.oidc_anbieter.einstellungen")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    einrichtung = json.loads(Path(argumente.einrichtung).read_text())
    for person in einrichtung["personen"]:
        benutzer = User.objects.create_user(
            username=person["name"],
            password=person["passwort"],
            email=person["email"],
            first_name=person["vorname"],
            last_name=person["nachname"],
        )
        for gruppe in person["gruppen"]:
            benutzer.groups.add(Group.objects.get_or_create(name=gruppe)[0])
    Application.objects.create(
        name="eAkte",
        client_id=einrichtung["client"],
        client_secret=einrichtung["secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=" ".join(einrichtung["redirects"]),
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    call_command("runserver", f"127.0.0.1:{argumente.port}", use_reloader=False, verbosity=0)


if __name__ == "__main__":
    main()
