"""Serializers of the records API: read shapes of Akte, Vorgang, Dokument, Version, Wiedervorlage
and the input shapes of the writes (which all go through eakte.akten.services).

References in request bodies are UUIDs; the API resolves them within what the caller may see.
"""

from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.reverse import reverse

from .models import Akte, Dokument, Dokumenttyp, Version, Vertraulichkeit, Vorgang, Wiedervorlage

# --- small nested shapes -------------------------------------------------------------------


class AktenplaneinheitKurzSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    kennzeichen = serializers.CharField(read_only=True)
    titel = serializers.CharField(read_only=True)
    frist = serializers.IntegerField(
        source="aufbewahrungsfrist",
        read_only=True,
        allow_null=True,
        help_text="Aufbewahrungsfrist in Jahren; null bedeutet unbefristet.",
    )
    aussonderungsart = serializers.CharField(read_only=True)


class OeKurzSerializer(serializers.Serializer):
    uuid = serializers.UUIDField(read_only=True)
    name = serializers.CharField(read_only=True)


# --- Akten ---------------------------------------------------------------------------------


class AkteSerializer(serializers.ModelSerializer):
    kommune = serializers.CharField(source="kommune.slug", read_only=True)
    einheit = AktenplaneinheitKurzSerializer(source="aktenplaneinheit", read_only=True)
    federfuehrende_oe = OeKurzSerializer(read_only=True)
    aktenfuehrende_oe = OeKurzSerializer(read_only=True)
    darf_schreiben = serializers.BooleanField(
        read_only=True, help_text="Die anfragende Person darf die Akte bearbeiten."
    )
    darf_freigeben = serializers.BooleanField(
        read_only=True, help_text="Die anfragende Person darf die Akte freigeben."
    )
    loeschsperre = serializers.BooleanField(
        source="hat_loeschsperre",
        read_only=True,
        help_text="Für die Akte besteht eine Löschsperre (sie wird nicht angeboten, abgegeben "
        "oder gelöscht); der Grund steht in loeschsperre_grund.",
    )
    verbleib = serializers.CharField(
        read_only=True,
        help_text="Leer, solange die Akte in der E-Akte ist; archiviert oder geloescht: die Akte "
        "ist nur noch ein Nachweis (nicht mehr änderbar).",
    )
    verbleib_text = serializers.CharField(
        read_only=True, help_text="z. B. „archiviert am 05.12.2026 (an Staatsarchiv)“"
    )

    class Meta:
        model = Akte
        fields = [
            "uuid",
            "aktenzeichen",
            "betreff",
            "kommune",
            "einheit",
            "federfuehrende_oe",
            "aktenfuehrende_oe",
            "vertraulichkeit",
            "beginn",
            "ende",
            "zda_am",
            "aufbewahrung_bis",
            "angelegt_am",
            "darf_schreiben",
            "darf_freigeben",
            "loeschsperre",
            "loeschsperre_grund",
            "verbleib",
            "ausgesondert_am",
            "verbleib_text",
        ]
        read_only_fields = fields


class AkteAnlegenSerializer(serializers.Serializer):
    aktenplaneinheit = serializers.UUIDField(help_text="UUID einer Einheit der untersten Ebene")
    betreff = serializers.CharField(max_length=500)
    federfuehrende_oe = serializers.UUIDField()
    aktenfuehrende_oe = serializers.UUIDField(
        required=False, allow_null=True, help_text="Standard: die federführende OE"
    )
    vertraulichkeit = serializers.ChoiceField(
        choices=Vertraulichkeit.choices, default=Vertraulichkeit.OFFEN
    )
    beginn = serializers.DateField(required=False, allow_null=True, help_text="Standard: heute")


class AkteAendernSerializer(serializers.Serializer):
    """Every field optional (PATCH); the Aktenzeichen never changes."""

    aktenplaneinheit = serializers.UUIDField(required=False)
    betreff = serializers.CharField(max_length=500, required=False)
    federfuehrende_oe = serializers.UUIDField(required=False)
    aktenfuehrende_oe = serializers.UUIDField(required=False)
    vertraulichkeit = serializers.ChoiceField(choices=Vertraulichkeit.choices, required=False)


class WiedereroeffnenSerializer(serializers.Serializer):
    grund = serializers.CharField(max_length=500)


class FreigabeSerializer(serializers.Serializer):
    benutzer = serializers.CharField(source="benutzer.username", read_only=True)
    uuid = serializers.UUIDField(source="benutzer.uuid", read_only=True)
    name = serializers.SerializerMethodField()
    kommune = serializers.CharField(source="benutzer.kommune.slug", read_only=True)
    schreiben = serializers.BooleanField(read_only=True)

    def get_name(self, obj) -> str:
        return obj["benutzer"].get_full_name() or obj["benutzer"].username


class FreigabeAnlegenSerializer(serializers.Serializer):
    benutzer = serializers.CharField(
        max_length=150, help_text="Benutzername oder UUID einer Person des Verbunds"
    )
    schreiben = serializers.BooleanField(
        default=False, help_text="auch bearbeiten (sonst nur lesen)"
    )


class OeFreigabeSerializer(serializers.Serializer):
    oe = serializers.UUIDField(source="oe.uuid", read_only=True)
    name = serializers.CharField(source="oe.name", read_only=True)
    kuerzel = serializers.CharField(source="oe.kuerzel", read_only=True)
    kommune = serializers.CharField(source="oe.kommune.slug", read_only=True)
    schreiben = serializers.BooleanField(read_only=True)


class OeFreigabeAnlegenSerializer(serializers.Serializer):
    oe = serializers.UUIDField(help_text="UUID einer Organisationseinheit im Verbund")
    schreiben = serializers.BooleanField(
        default=False, help_text="auch bearbeiten (sonst nur lesen)"
    )


# --- Vorgänge ------------------------------------------------------------------------------


class VorgangSerializer(serializers.ModelSerializer):
    akte = serializers.UUIDField(source="akte.uuid", read_only=True)
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen", read_only=True)

    class Meta:
        model = Vorgang
        fields = [
            "uuid",
            "akte",
            "aktenzeichen",
            "nummer",
            "vorgangszeichen",
            "betreff",
            "zda_am",
            "angelegt_am",
        ]
        read_only_fields = fields


class VorgangAnlegenSerializer(serializers.Serializer):
    akte = serializers.UUIDField()
    betreff = serializers.CharField(max_length=500)


# --- Dokumente und Versionen ---------------------------------------------------------------


class VersionSerializer(serializers.ModelSerializer):
    groesse = serializers.IntegerField(source="datei.groesse", read_only=True)
    mime_typ = serializers.CharField(source="datei.mime_typ", read_only=True)
    sha256 = serializers.CharField(source="datei.sha256", read_only=True)
    hochgeladen_von = serializers.CharField(source="hochgeladen_von.username", read_only=True)
    datei_url = serializers.SerializerMethodField()
    texterkennung = serializers.SerializerMethodField()

    class Meta:
        model = Version
        fields = [
            "uuid",
            "nummer",
            "dateiname",
            "kommentar",
            "groesse",
            "mime_typ",
            "sha256",
            "hochgeladen_am",
            "hochgeladen_von",
            "datei_url",
            "texterkennung",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "nullable": True,
            "properties": {
                "status": {"type": "string", "enum": ["wartet", "laeuft", "fertig", "fehler"]},
                "seite": {"type": "integer"},
                "seiten": {"type": "integer", "nullable": True},
                "meldung": {"type": "string"},
                "url": {"type": "string", "format": "uri"},
            },
        }
    )
    def get_texterkennung(self, obj) -> dict | None:
        """Processing state in brief; details under /api/v1/verarbeitungen/<version>/."""
        verarbeitung = getattr(obj.datei, "verarbeitung", None)
        if verarbeitung is None:
            return None
        return {
            "status": verarbeitung.status,
            "seite": verarbeitung.seite,
            "seiten": verarbeitung.seiten,
            "meldung": verarbeitung.meldung,
            "url": reverse(
                "api:verarbeitung-detail",
                kwargs={"version_uuid": obj.uuid},
                request=self.context.get("request"),
            ),
        }

    def get_datei_url(self, obj) -> str:
        return reverse(
            "api:version-datei", kwargs={"uuid": obj.uuid}, request=self.context.get("request")
        )


def _versionen(dokument) -> list:
    """The versions, newest first, from the prefetch when there is one."""
    return sorted(dokument.versionen.all(), key=lambda version: -version.nummer)


class AktendokumentSerializer(serializers.ModelSerializer):
    akte = serializers.UUIDField(source="akte.uuid", read_only=True)
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen", read_only=True)
    vorgang = serializers.UUIDField(source="vorgang.uuid", read_only=True)
    vorgangszeichen = serializers.CharField(source="vorgang.vorgangszeichen", read_only=True)
    anlage_zu = serializers.SlugRelatedField(
        slug_field="uuid",
        read_only=True,
        allow_null=True,
        help_text="Die E-Mail (Dokument), aus der dieses Dokument als Anlage übernommen wurde.",
    )
    aktuelle_version = serializers.SerializerMethodField()

    class Meta:
        model = Dokument
        fields = [
            "uuid",
            "akte",
            "aktenzeichen",
            "vorgang",
            "vorgangszeichen",
            "anlage_zu",
            "titel",
            "typ",
            "posteingangsdatum",
            "postausgangsdatum",
            "absender",
            "empfaenger",
            "bemerkung",
            "angelegt_am",
            "geaendert_am",
            "storniert_am",
            "stornierungsgrund",
            "aktuelle_version",
        ]
        read_only_fields = fields

    @extend_schema_field(VersionSerializer(allow_null=True))
    def get_aktuelle_version(self, obj):
        versionen = _versionen(obj)
        return VersionSerializer(versionen[0], context=self.context).data if versionen else None


class AktendokumentDetailSerializer(AktendokumentSerializer):
    anlagen = serializers.SerializerMethodField(
        help_text="Dokumente, die als Anlagen dieser E-Mail übernommen wurden."
    )
    versionen = serializers.SerializerMethodField()

    class Meta(AktendokumentSerializer.Meta):
        fields = [*AktendokumentSerializer.Meta.fields, "anlagen", "versionen"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_anlagen(self, obj) -> list:
        # attachments lie in the mail's Akte (akten.services.dokument_ablegen): visible with it
        return [str(uuid) for uuid in obj.anlagen.order_by("pk").values_list("uuid", flat=True)]

    @extend_schema_field(VersionSerializer(many=True))
    def get_versionen(self, obj):
        return VersionSerializer(_versionen(obj), many=True, context=self.context).data


class DokumentMetadatenSerializer(serializers.Serializer):
    """The metadata a clerk may change (PATCH: every field optional)."""

    titel = serializers.CharField(max_length=500, required=False)
    typ = serializers.ChoiceField(choices=Dokumenttyp.choices, required=False)
    posteingangsdatum = serializers.DateField(required=False, allow_null=True)
    postausgangsdatum = serializers.DateField(required=False, allow_null=True)
    absender = serializers.CharField(max_length=300, required=False, allow_blank=True)
    empfaenger = serializers.CharField(max_length=300, required=False, allow_blank=True)
    bemerkung = serializers.CharField(required=False, allow_blank=True)


class DokumentHochladenSerializer(serializers.Serializer):
    """multipart/form-data: a file for a Vorgang and optional metadata."""

    vorgang = serializers.UUIDField()
    # Empty files are refused by the service with its German message, not by DRF's own.
    datei = serializers.FileField(allow_empty_file=True, use_url=False)
    titel = serializers.CharField(
        max_length=500, required=False, allow_blank=True, default="", help_text="Standard: Name"
    )
    typ = serializers.ChoiceField(choices=Dokumenttyp.choices, default=Dokumenttyp.EINGANG)
    posteingangsdatum = serializers.DateField(required=False, allow_null=True, default=None)
    postausgangsdatum = serializers.DateField(required=False, allow_null=True, default=None)
    absender = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    empfaenger = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    bemerkung = serializers.CharField(required=False, allow_blank=True, default="")


class VersionHochladenSerializer(serializers.Serializer):
    """multipart/form-data: the new state of a Dokument."""

    datei = serializers.FileField(allow_empty_file=True, use_url=False)
    kommentar = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class GleicherInhaltSerializer(serializers.Serializer):
    dokument = serializers.UUIDField(source="dokument.uuid", read_only=True)
    titel = serializers.CharField(source="dokument.titel", read_only=True)
    version = serializers.IntegerField(source="nummer", read_only=True)


class HochladeergebnisSerializer(serializers.Serializer):
    dokument = AktendokumentDetailSerializer(read_only=True)
    version = VersionSerializer(read_only=True)
    gleicher_inhalt = GleicherInhaltSerializer(
        many=True,
        read_only=True,
        help_text="Andere Dokumente dieser Akte mit genau demselben Inhalt",
    )


class DokumentVerschiebenSerializer(serializers.Serializer):
    vorgang = serializers.UUIDField(help_text="Ziel-Vorgang (derselben Kommune)")


class DokumenteVerschiebenSerializer(serializers.Serializer):
    dokumente = serializers.ListField(
        child=serializers.UUIDField(),
        min_length=1,
        max_length=200,
        help_text="Dokumente dieses Vorgangs (UUIDs, höchstens 200)",
    )
    vorgang = serializers.UUIDField(help_text="Ziel-Vorgang (derselben Kommune)")


class VerschobenSerializer(serializers.Serializer):
    verschoben = serializers.IntegerField(read_only=True)
    vorgang = serializers.UUIDField(read_only=True)


class DokumentStornierenSerializer(serializers.Serializer):
    grund = serializers.CharField(max_length=2000, help_text="Grund der Stornierung")


# --- Wiedervorlagen ------------------------------------------------------------------------


class WiedervorlageSerializer(serializers.ModelSerializer):
    akte = serializers.UUIDField(source="akte.uuid", read_only=True)
    aktenzeichen = serializers.CharField(source="akte.aktenzeichen", read_only=True)
    akte_betreff = serializers.CharField(source="akte.betreff", read_only=True)
    vorgang = serializers.UUIDField(source="vorgang.uuid", read_only=True, allow_null=True)
    faellig = serializers.SerializerMethodField()

    class Meta:
        model = Wiedervorlage
        fields = [
            "uuid",
            "akte",
            "aktenzeichen",
            "akte_betreff",
            "vorgang",
            "datum",
            "notiz",
            "faellig",
            "erledigt_am",
            "angelegt_am",
        ]
        read_only_fields = fields

    def get_faellig(self, obj) -> bool:
        return obj.erledigt_am is None and obj.datum <= timezone.localdate()


class WiedervorlageAnlegenSerializer(serializers.Serializer):
    akte = serializers.UUIDField()
    vorgang = serializers.UUIDField(required=False, allow_null=True)
    datum = serializers.DateField()
    notiz = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
