"""Navigation entries depend on the rules the user passes; computed once per request."""

from dataclasses import dataclass

from django.urls import reverse

from eakte.common.regeln import darf


@dataclass(frozen=True)
class NavEintrag:
    titel: str
    url: str
    aktiv: bool


def _eintraege(user) -> list[tuple[str, str]]:
    eintraege = [
        ("Start", reverse("start:startseite")),
        ("Akten", reverse("akten:meine")),
        ("Aktenplan", reverse("aktenplan:baum")),
        ("Dienstanweisungen", reverse("schulung:liste")),
    ]
    if darf(user, "kommunen.verbund_verwalten"):
        eintraege.append(("Kommunen", reverse("kommunen:liste")))
    else:
        eintraege.append(
            ("Meine Kommune", reverse("kommunen:detail", kwargs={"slug": user.kommune.slug}))
        )
    if darf(user, "aussonderung.seite_sehen"):
        eintraege.append(("Aussonderung", reverse("aussonderung:uebersicht")))
    if darf(user, "aussonderung.datenschutz"):
        eintraege.append(("Datenschutz", reverse("aussonderung:anfragen")))
    if darf(user, "einsicht.alle_der_kommune_sehen"):  # issue 21
        eintraege.append(("Akteneinsichten", reverse("einsicht:liste")))
    if darf(user, "cockpit.verbund_sehen") or darf(user, "cockpit.kommune_sehen", user.kommune):
        eintraege.append(("Cockpit", reverse("cockpit:start")))
    if darf(user, "protokoll.lesen"):
        eintraege.append(("Protokoll", reverse("protokoll:liste")))
    if darf(user, "system.status_sehen"):
        eintraege.append(("Systemstatus", reverse("system:status")))
    return eintraege


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    pfad = request.path
    eintraege = [
        NavEintrag(titel, url, aktiv=(pfad == url if url == "/" else pfad.startswith(url)))
        for titel, url in _eintraege(user)
    ]
    return {"nav_eintraege": eintraege, "nav_verbund": user.kommune.verbund.name}
