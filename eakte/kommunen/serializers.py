from rest_framework import serializers

from .models import Benutzer, Kommune, Organisationseinheit
from .rollen import Rolle


class KommuneSerializer(serializers.ModelSerializer):
    verbund = serializers.CharField(source="verbund.name", read_only=True)

    class Meta:
        model = Kommune
        fields = [
            "uuid",
            "slug",
            "name",
            "ags",
            "aktenzeichen_praefix",
            "aktenzeichen_muster",
            "aktiv",
            "verbund",
        ]
        read_only_fields = fields


class OrganisationseinheitSerializer(serializers.ModelSerializer):
    kommune = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    parent = serializers.SlugRelatedField(slug_field="uuid", read_only=True, allow_null=True)

    class Meta:
        model = Organisationseinheit
        fields = ["uuid", "kommune", "parent", "name", "kuerzel", "aktiv"]
        read_only_fields = fields


class BenutzerSerializer(serializers.ModelSerializer):
    kommune = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    organisationseinheiten = serializers.SlugRelatedField(
        slug_field="uuid", many=True, read_only=True
    )
    rollen = serializers.SerializerMethodField()

    class Meta:
        model = Benutzer
        fields = [
            "uuid",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_active",
            "kommune",
            "organisationseinheiten",
            "rollen",
        ]
        read_only_fields = fields

    def get_rollen(self, obj) -> list[str]:
        return sorted(rolle.value for rolle in obj.rollen)


class BenutzerSchreibenSerializer(serializers.Serializer):
    """Create (with username and kommune) or change a person; OEs by Kürzel, roles by name."""

    username = serializers.CharField(max_length=150, required=False)
    kommune = serializers.SlugField(required=False, help_text="Standard: die eigene Kommune")
    first_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    email = serializers.EmailField()
    organisationseinheiten = serializers.ListField(
        child=serializers.CharField(), required=False, default=list, help_text="OE-Kürzel"
    )
    rollen = serializers.ListField(
        child=serializers.ChoiceField(choices=Rolle.values), required=False, default=list
    )


class BenutzerImportSerializer(serializers.Serializer):
    datei = serializers.FileField()
    kommune = serializers.SlugField(required=False)
    probelauf = serializers.BooleanField(default=True)


class OeSchreibenSerializer(serializers.Serializer):
    kommune = serializers.SlugField(required=False, help_text="Standard: die eigene Kommune")
    name = serializers.CharField(max_length=200)
    kuerzel = serializers.CharField(max_length=20)
    parent = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="Kürzel der übergeordneten OE"
    )
