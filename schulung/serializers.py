"""Serializers of the Schulung API (Dienstanweisungen, Schulungen, Termine, Anmeldungen)."""

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers
from rest_framework.reverse import reverse

from eakte.kommunen.rollen import Rolle

from . import selectors
from .models import (
    Anhang,
    Anmeldestatus,
    Anmeldung,
    Dokument,
    Dokumentart,
    Fassung,
    Schulung,
    Schulungstermin,
)


class FassungSerializer(serializers.ModelSerializer):
    class Meta:
        model = Fassung
        fields = ["nummer", "status", "gueltig_ab", "text", "html", "veroeffentlicht_am"]
        read_only_fields = fields


class DokumentSerializer(serializers.ModelSerializer):
    kommunen = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    organisationseinheiten = serializers.SerializerMethodField()
    gueltige_fassung = serializers.SerializerMethodField()

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_organisationseinheiten(self, dokument) -> list[str]:
        return [str(oe.uuid) for oe in selectors.oes_des_dokuments(dokument)]

    class Meta:
        model = Dokument
        fields = [
            "uuid",
            "art",
            "titel",
            "kategorie",
            "erfordert_kenntnisnahme",
            "alle_kommunen",
            "kommunen",
            "rollen",
            "organisationseinheiten",
            "gueltige_fassung",
        ]
        read_only_fields = fields

    def get_gueltige_fassung(self, obj) -> dict | None:
        fassung = selectors.gueltige_fassung(obj)
        return FassungSerializer(fassung).data if fassung else None


class DokumentAnlegenSerializer(serializers.Serializer):
    art = serializers.ChoiceField(choices=Dokumentart.choices)
    titel = serializers.CharField(max_length=300)
    kategorie = serializers.CharField(max_length=100, required=False, default="")
    text = serializers.CharField()
    erfordert_kenntnisnahme = serializers.BooleanField(default=False)
    alle_kommunen = serializers.BooleanField(default=True)
    kommunen = serializers.ListField(child=serializers.SlugField(), required=False, default=list)
    organisationseinheiten = serializers.ListField(
        child=serializers.UUIDField(), required=False, default=list, help_text="leer: alle OEs"
    )
    rollen = serializers.ListField(child=serializers.CharField(), required=False, default=list)


class AnhangSerializer(serializers.ModelSerializer):
    download = serializers.SerializerMethodField()

    class Meta:
        model = Anhang
        fields = ["uuid", "dateiname", "groesse", "sha256", "hochgeladen_am", "download"]
        read_only_fields = fields

    def get_download(self, obj) -> str:
        return reverse(
            "api:schulungsdokument-anhang",
            kwargs={"uuid": obj.dokument.uuid, "anhang_uuid": obj.uuid},
            request=self.context.get("request"),
        )


class AnhangHochladenSerializer(serializers.Serializer):
    datei = serializers.FileField(help_text="PDF, höchstens 20 MB")


class SuchtrefferSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(source="dokument.uuid")
    titel = serializers.CharField(source="dokument.titel")
    art = serializers.CharField(source="dokument.art")
    fassung = serializers.IntegerField(source="fassung.nummer")
    rang = serializers.FloatField()
    ausschnitt = serializers.CharField(help_text="HTML; Treffer in <mark>")


class SchulungSerializer(serializers.ModelSerializer):
    class Meta:
        model = Schulung
        fields = ["uuid", "titel", "beschreibung", "beschreibung_html", "rollen"]
        read_only_fields = fields


class SchulungAnlegenSerializer(serializers.Serializer):
    titel = serializers.CharField(max_length=300)
    beschreibung = serializers.CharField(required=False, default="", allow_blank=True)
    rollen = serializers.ListField(
        child=serializers.ChoiceField(choices=Rolle.choices), required=False, default=list
    )


class TerminSerializer(serializers.ModelSerializer):
    schulung = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    # Text, not URLField: a Termin with a place only has an empty link, which is no URI.
    online_link = serializers.CharField(
        read_only=True, help_text="Link zur Online-Teilnahme (leer: nur vor Ort)"
    )
    belegt = serializers.SerializerMethodField()
    frei = serializers.SerializerMethodField()
    wartend = serializers.SerializerMethodField()
    anmeldestatus = serializers.SerializerMethodField(
        help_text="Ihr eigener Stand für diesen Termin (null: nicht angemeldet)"
    )

    class Meta:
        model = Schulungstermin
        fields = [
            "uuid",
            "schulung",
            "beginn",
            "ende",
            "ort",
            "online_link",
            "kapazitaet",
            "anmeldeschluss",
            "abgesagt",
            "belegt",
            "frei",
            "wartend",
            "anmeldestatus",
        ]
        read_only_fields = fields

    def get_belegt(self, obj) -> int:
        return obj.kapazitaet - selectors.freie_plaetze(obj)

    def get_frei(self, obj) -> int:
        return selectors.freie_plaetze(obj)

    def get_wartend(self, obj) -> int:
        wartend = getattr(obj, "wartend", None)
        if wartend is None:
            wartend = obj.anmeldungen.filter(status=Anmeldestatus.WARTELISTE).count()
        return wartend

    @extend_schema_field(serializers.ChoiceField(choices=Anmeldestatus.choices, allow_null=True))
    def get_anmeldestatus(self, obj) -> str | None:
        return getattr(obj, "mein_status", None)


class TerminAnlegenSerializer(serializers.Serializer):
    schulung = serializers.UUIDField()
    beginn = serializers.DateTimeField()
    ende = serializers.DateTimeField()
    ort = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    online_link = serializers.URLField(max_length=500, required=False, default="", allow_blank=True)
    kapazitaet = serializers.IntegerField(min_value=1)
    anmeldeschluss = serializers.DateTimeField(required=False, allow_null=True, default=None)


class AnmeldungSerializer(serializers.ModelSerializer):
    termin = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    schulung = serializers.SerializerMethodField()
    anmeldestatus = serializers.ChoiceField(
        source="status", choices=Anmeldestatus.choices, read_only=True
    )
    platz = serializers.SerializerMethodField()
    bescheinigung = serializers.SerializerMethodField()

    class Meta:
        model = Anmeldung
        fields = [
            "uuid",
            "termin",
            "schulung",
            "anmeldestatus",
            "platz",
            "zeitpunkt",
            "teilgenommen",
            "bescheinigungsnummer",
            "bescheinigung",
        ]
        read_only_fields = fields

    @extend_schema_field(
        inline_serializer(
            "AnmeldungSchulung",
            {"uuid": serializers.UUIDField(), "titel": serializers.CharField()},
        )
    )
    def get_schulung(self, obj):
        schulung = obj.termin.schulung
        return {"uuid": schulung.uuid, "titel": schulung.titel}

    def get_platz(self, obj) -> int | None:
        if hasattr(obj, "platz"):
            return obj.platz
        return selectors.wartelistenplatz(obj)

    def get_bescheinigung(self, obj) -> str | None:
        if not (
            obj.status == Anmeldestatus.ANGEMELDET and obj.teilgenommen and obj.bescheinigungsnummer
        ):
            return None
        return reverse(
            "api:schulungsanmeldung-bescheinigung",
            kwargs={"uuid": obj.uuid},
            request=self.context.get("request"),
        )


class TeilnehmerSerializer(serializers.ModelSerializer):
    benutzername = serializers.CharField(source="benutzer.username")
    name = serializers.CharField(source="benutzer.get_full_name")
    kommune = serializers.CharField(source="benutzer.kommune.slug")
    anmeldestatus = serializers.ChoiceField(
        source="status", choices=Anmeldestatus.choices, read_only=True
    )

    class Meta:
        model = Anmeldung
        fields = [
            "uuid",
            "benutzername",
            "name",
            "kommune",
            "anmeldestatus",
            "zeitpunkt",
            "teilgenommen",
        ]
        read_only_fields = fields


class AnwesenheitSerializer(serializers.Serializer):
    anwesend = serializers.ListField(
        child=serializers.UUIDField(),
        help_text="UUIDs der Anmeldungen, die teilgenommen haben; alle anderen nicht.",
    )
