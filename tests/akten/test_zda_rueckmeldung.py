"""After zdA of an Akte its Vorgänge say "zdA" too; the zdA confirmation lists the open
Wiedervorlagen and shares it affects."""

from datetime import date

from django.utils import timezone

from eakte.akten import services
from tests.hilfen import akteur_von


def test_zda_bestaetigung_nennt_wiedervorlagen_und_freigaben(
    client_als, sachbearbeitung, akte, vorgang, kollege_michelstadt
):
    akteur = akteur_von(sachbearbeitung)
    services.wiedervorlage_setzen(akteur=akteur, akte=akte, datum=date(2031, 5, 4), vorgang=vorgang)
    services.akte_freigeben(
        akteur=akteur, akte=akte, empfaenger=kollege_michelstadt, schreiben=False
    )
    seite = client_als(sachbearbeitung).get(f"/akten/{akte.uuid}/zda/").content.decode()
    assert "Offene Wiedervorlagen (1)" in seite
    assert f"04.05.2031 für {sachbearbeitung} (Vorgang {vorgang.vorgangszeichen})" in seite
    assert "Freigaben (1)" in seite and "Michelstadt): nur lesen" in seite


def test_nach_zda_der_akte_zeigen_die_vorgaenge_zda(client_als, sachbearbeitung, akte, vorgang):
    services.akte_zda(akteur=akteur_von(sachbearbeitung), akte=akte)
    client = client_als(sachbearbeitung)
    heute = timezone.localdate().strftime("%d.%m.%Y")
    for adresse in (f"/akten/{akte.uuid}/", f"/akten/vorgaenge/{vorgang.uuid}/"):
        seite = client.get(adresse).content.decode()
        assert f'<span class="marke-klein marke-klein--inaktiv">zdA {heute}</span>' in seite
    vorgang_seite = client.get(f"/akten/vorgaenge/{vorgang.uuid}/").content.decode()
    assert '<span class="marke-klein">offen</span>' not in vorgang_seite


def test_neue_freigabe_auf_der_startseite_und_per_mail(
    client_als, sachbearbeitung, akte, kollege_michelstadt, django_capture_on_commit_callbacks
):
    from django.core import mail

    from eakte.akten.services import freigabe_mail

    with django_capture_on_commit_callbacks() as rueckrufe:
        services.akte_freigeben(
            akteur=akteur_von(sachbearbeitung), akte=akte, empfaenger=kollege_michelstadt
        )
    assert len(rueckrufe) == 1  # the e-mail notice goes to Celery
    seite = client_als(kollege_michelstadt).get("/").content.decode()
    assert "Neu für Sie freigegeben" in seite and akte.aktenzeichen in seite
    assert "Neu für Sie freigegeben" not in client_als(sachbearbeitung).get("/").content.decode()
    from eakte.common.mandantenbereich import systembereich

    with systembereich("Test"):
        assert freigabe_mail.freigabe_melden(
            akte_id=akte.pk, empfaenger_id=kollege_michelstadt.pk, von_id=sachbearbeitung.pk
        )
    assert mail.outbox[-1].to == [kollege_michelstadt.email]
    assert f"Akte {akte.aktenzeichen} für Sie freigegeben" in mail.outbox[-1].subject
    # changing the right of an existing share sends no second notice
    with django_capture_on_commit_callbacks() as rueckrufe:
        services.akte_freigeben(
            akteur=akteur_von(sachbearbeitung),
            akte=akte,
            empfaenger=kollege_michelstadt,
            schreiben=True,
        )
    assert rueckrufe == []
