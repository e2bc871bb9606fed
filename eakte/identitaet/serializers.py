from rest_framework import serializers

from eakte.kommunen.rollen import Rolle

from . import services
from .models import Gruppenzuordnung, Identitaetsquelle


class QuelleSerializer(serializers.ModelSerializer):
    """The identity source of a Kommune. Secrets are write-only: the answer says only whether
    one is stored."""

    kommune = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    ldap_bind_passwort = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )
    oidc_client_secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=500
    )
    hat_bind_geheimnis = serializers.SerializerMethodField()
    hat_client_geheimnis = serializers.SerializerMethodField()

    class Meta:
        model = Identitaetsquelle
        fields = [
            "kommune",
            *services.EINSTELLBARE_FELDER,
            "ldap_bind_passwort",
            "oidc_client_secret",
            "hat_bind_geheimnis",
            "hat_client_geheimnis",
            "geaendert_am",
        ]
        read_only_fields = ["geaendert_am"]

    def get_hat_bind_geheimnis(self, quelle) -> bool:
        return bool(quelle.ldap_bind_geheimnis)

    def get_hat_client_geheimnis(self, quelle) -> bool:
        return bool(quelle.oidc_client_geheimnis)


class ZuordnungSerializer(serializers.ModelSerializer):
    rolle = serializers.ChoiceField(choices=Rolle.choices, required=False, allow_blank=True)
    organisationseinheit = serializers.UUIDField(
        source="organisationseinheit.uuid", required=False, allow_null=True
    )

    class Meta:
        model = Gruppenzuordnung
        fields = ["uuid", "gruppe", "rolle", "organisationseinheit"]
        read_only_fields = ["uuid"]
