import pytest
from django.core.management import CommandError, call_command

from eakte.eingang import geheimnis
from eakte.eingang.models import Plattform, Zulassung


def test_plattform_registrieren(verbund, erbach, sachbearbeitung, capsys):
    call_command(
        "plattform_registrieren", "--verbund", verbund.slug, "--name", "Civento",
        "--kennung", "civento", "--kommune", f"{erbach.ags}={sachbearbeitung.username}",
    )  # fmt: skip
    ausgabe = capsys.readouterr().out
    wert = ausgabe.rsplit(": ", 1)[-1].strip()
    plattform = Plattform.objects.get(kennung="civento")
    assert geheimnis.entschluesseln(plattform.geheimnis) == wert
    assert wert not in plattform.geheimnis  # stored encrypted only
    assert Zulassung.alle.get(plattform=plattform).kommune == erbach


def test_unbekannte_kommune(verbund):
    with pytest.raises(CommandError, match="unbekannt"):
        call_command(
            "plattform_registrieren", "--verbund", verbund.slug, "--name", "X", "--kennung", "x",
            "--kommune", "00000000=niemand",
        )  # fmt: skip
    assert not Plattform.objects.exists()
