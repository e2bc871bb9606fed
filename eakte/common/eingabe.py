"""Bad input ends in a 400 with a German message, never in a 500.

- `NullzeichenMiddleware`: PostgreSQL cannot store NUL in text ("A string literal cannot contain
  NUL"), so a NUL in the path (slugs), a query parameter or a form value is refused at the door.
- The API's parsers (`JsonObjektParser`, `FormularParser`, `MultipartParser`): a JSON body must
  be an object (every action reads it with `.get`), not nested deeper than `MAX_TIEFE`, and
  without NUL in any key or value; form and multipart values without NUL.
- `daten_pruefen` / `json_laden` do the same for uploaded JSON/YAML files (imports).
- `ausnahme_behandeln` (DRF) and the middleware's `process_exception` turn a Django
  `ValidationError` that reached the top (e.g. `filter(uuid="kein-uuid")`) into a 400.
"""

import json
from collections.abc import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.template import loader
from rest_framework import parsers
from rest_framework.exceptions import ParseError, Throttled
from rest_framework.exceptions import ValidationError as DrfValidationError

NUL = "\x00"
MAX_TIEFE = 32
MELDUNG_NUL = "Die Anfrage enthält ein Nullzeichen (NUL); das ist in keinem Feld erlaubt."
MELDUNG_KEIN_OBJEKT = "Der Inhalt der Anfrage muss ein JSON-Objekt sein ({{…}}), nicht: {art}."
MELDUNG_ZU_TIEF = "Die Daten sind zu tief verschachtelt (höchstens {tiefe} Ebenen)."


class Eingabefehler(ValueError):
    """Input that cannot be processed; the message is German and meant for the person."""


def _art(daten) -> str:
    if daten is None:
        return "leere Angabe (null)"
    if isinstance(daten, list):
        return "Liste"
    if isinstance(daten, str):
        return "Zeichenkette"
    if isinstance(daten, bool):
        return "Wahrheitswert"
    return "Zahl"


def daten_pruefen(daten, *, max_tiefe: int = MAX_TIEFE) -> None:
    """Refuses decoded JSON/YAML that is nested deeper than `max_tiefe` or holds a NUL in any
    key or text. Iterative, so that a deep document cannot exhaust the stack here."""
    offen = [(daten, 1)]
    while offen:
        wert, tiefe = offen.pop()
        if isinstance(wert, str):
            if NUL in wert:
                raise Eingabefehler(MELDUNG_NUL)
            continue
        if not isinstance(wert, dict | list | tuple):
            continue
        if tiefe > max_tiefe:
            raise Eingabefehler(MELDUNG_ZU_TIEF.format(tiefe=max_tiefe))
        if isinstance(wert, dict):
            for schluessel, kind in wert.items():
                if isinstance(schluessel, str) and NUL in schluessel:
                    raise Eingabefehler(MELDUNG_NUL)
                offen.append((kind, tiefe + 1))
        else:
            offen.extend((kind, tiefe + 1) for kind in wert)


def json_laden(text: str, *, max_tiefe: int = MAX_TIEFE):
    """`json.loads` that answers deep nesting and NUL with an `Eingabefehler` (a JSONDecodeError
    still comes as such)."""
    try:
        daten = json.loads(text)
    except RecursionError as fehler:
        raise Eingabefehler(MELDUNG_ZU_TIEF.format(tiefe=max_tiefe)) from fehler
    daten_pruefen(daten, max_tiefe=max_tiefe)
    return daten


def hat_nul(werte: Iterable[str]) -> bool:
    return any(NUL in wert for wert in werte if isinstance(wert, str))


def _querydict_hat_nul(daten) -> bool:
    return any(NUL in schluessel or hat_nul(werte) for schluessel, werte in daten.lists())


# --- API parsers -----------------------------------------------------------------------------


class JsonObjektParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            daten = super().parse(stream, media_type, parser_context)
        except RecursionError as fehler:
            raise ParseError(MELDUNG_ZU_TIEF.format(tiefe=MAX_TIEFE)) from fehler
        if not isinstance(daten, dict):
            raise ParseError(MELDUNG_KEIN_OBJEKT.format(art=_art(daten)))
        try:
            daten_pruefen(daten)
        except Eingabefehler as fehler:
            raise ParseError(str(fehler)) from fehler
        return daten


class FormularParser(parsers.FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        daten = super().parse(stream, media_type, parser_context)
        if _querydict_hat_nul(daten):
            raise ParseError(MELDUNG_NUL)
        return daten


class MultipartParser(parsers.MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        ergebnis = super().parse(stream, media_type, parser_context)
        if _querydict_hat_nul(ergebnis.data) or any(
            NUL in (datei.name or "") for datei in ergebnis.files.values()
        ):
            raise ParseError(MELDUNG_NUL)
        return ergebnis


def textwert(daten, name: str, standard: str = "") -> str:
    """A text field read by hand from `request.data`: it must be text (not a list or object)."""
    wert = daten.get(name, standard)
    if wert is None:
        return standard
    if isinstance(wert, bool) or not isinstance(wert, str | int | float):
        raise DrfValidationError({name: ["Erwartet wird ein Text."]})
    return str(wert)


def ausnahme_behandeln(exc, context):
    """DRF's handler, plus: a Django ValidationError that escaped a view is bad input (400);
    429 (rate limit) in German."""
    # Imported here: rest_framework.views reads DEFAULT_PARSER_CLASSES, which point at this module.
    from rest_framework.views import exception_handler

    if isinstance(exc, Throttled):
        from .drosseln import gedrosselt

        exc = gedrosselt(exc)
    if isinstance(exc, DjangoValidationError):
        exc = DrfValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    return exception_handler(exc, context)


# --- middleware ------------------------------------------------------------------------------


def _ist_api(request) -> bool:
    return request.path_info.startswith("/api/")


def fehlerhafte_anfrage(request, meldung: str):
    """A 400: JSON for the API, the error page for the browser."""
    if _ist_api(request):
        return JsonResponse({"detail": meldung}, status=400)
    inhalt = loader.render_to_string("400.html", {"meldung": meldung}, request)
    return HttpResponseBadRequest(inhalt)


class NullzeichenMiddleware:
    FORMULAR = "application/x-www-form-urlencoded"
    MULTIPART = "multipart/form-data"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._hat_nul(request):
            return fehlerhafte_anfrage(request, MELDUNG_NUL)
        return self.get_response(request)

    def _hat_nul(self, request) -> bool:
        if NUL in request.path or _querydict_hat_nul(request.GET):
            return True
        if request.method != "POST":
            return False
        if request.content_type == self.FORMULAR:
            return _querydict_hat_nul(request.POST)  # the CSRF check reads it anyway
        # Multipart forms of the pages are read here only for signed-in people (the parsed body
        # is kept for the view), so nobody can make the server parse uploads without logging
        # in; the API checks its own bodies in MultipartParser.
        if request.content_type == self.MULTIPART and not _ist_api(request):
            if not request.user.is_authenticated:
                return False
            try:
                daten = request.POST
            except MultiPartParserError:
                return False  # the view meets the same error and answers it
            return _querydict_hat_nul(daten) or any(
                NUL in (datei.name or "") for datei in request.FILES.values()
            )
        return False

    def process_exception(self, request, exception):
        if isinstance(exception, DjangoValidationError):
            return fehlerhafte_anfrage(request, " ".join(exception.messages))
        return None
