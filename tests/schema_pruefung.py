"""Checks an API response against the OpenAPI schema that drf-spectacular generates (the one
served at /api/schema/), with jsonschema: what the schema promises is what clients get."""

from datetime import datetime
from functools import cache
from urllib.parse import urlsplit

import jsonschema
from drf_spectacular.generators import SchemaGenerator

_OHNE = {"readOnly", "writeOnly", "example", "examples", "discriminator", "xml", "deprecated"}


@cache
def api_schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


def _json_schema(knoten, *, eigenschaften: bool = False):
    """OpenAPI 3.0 → JSON Schema 2020-12: `nullable` becomes a null alternative."""
    if isinstance(knoten, list):
        return [_json_schema(k) for k in knoten]
    if not isinstance(knoten, dict):
        return knoten
    if eigenschaften:  # names of properties, not keywords
        return {name: _json_schema(wert) for name, wert in knoten.items()}
    neu = {
        name: _json_schema(wert, eigenschaften=name in ("properties", "$defs"))
        for name, wert in knoten.items()
        if name not in _OHNE and name != "nullable"
    }
    if "$ref" in neu:
        neu["$ref"] = neu["$ref"].replace("#/components/schemas/", "#/$defs/")
    if knoten.get("nullable"):
        return {"anyOf": [neu, {"type": "null"}]}
    return neu


_formate = jsonschema.FormatChecker()


@_formate.checks("uri")
def _uri(wert) -> bool:
    return not isinstance(wert, str) or bool(urlsplit(wert).scheme and urlsplit(wert).netloc)


@_formate.checks("date-time")
def _zeitpunkt(wert) -> bool:
    if not isinstance(wert, str):
        return True
    try:
        datetime.fromisoformat(wert.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


for _name in ("uuid", "date", "email"):
    _formate.checkers[_name] = jsonschema.FormatChecker().checkers[_name]


def antwort_pruefen(antwort, pfad: str, methode: str = "get") -> None:
    """Raises jsonschema.ValidationError if the response does not fit the schema of the
    operation (`pfad` as in the schema, e.g. "/api/v1/aktenplaene/{uuid}/baum/")."""
    schema = api_schema()
    antworten = schema["paths"][pfad][methode.lower()]["responses"]
    eintrag = antworten.get(str(antwort.status_code)) or antworten.get("default")
    assert eintrag is not None, f"{methode} {pfad}: Status {antwort.status_code} nicht im Schema"
    typ = antwort["Content-Type"].split(";")[0]
    teil = eintrag["content"][typ]["schema"]
    wurzel = {
        **_json_schema(teil),
        "$defs": _json_schema(schema["components"]["schemas"], eigenschaften=True),
    }
    jsonschema.Draft202012Validator(wurzel, format_checker=_formate).validate(antwort.json())
