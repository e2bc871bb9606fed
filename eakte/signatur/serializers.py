from rest_framework import serializers

from .models import Signaturzertifikat


class ZertifikatSerializer(serializers.ModelSerializer):
    class Meta:
        model = Signaturzertifikat
        fields = ["inhaber", "aussteller", "gueltig_von", "gueltig_bis", "fingerabdruck",
                  "hinterlegt_am"]  # fmt: skip
        read_only_fields = fields


class ZertifikatEingabeSerializer(serializers.Serializer):
    pkcs12 = serializers.FileField(help_text="PKCS#12-Datei (.p12/.pfx) mit privatem Schlüssel")
    passphrase = serializers.CharField(
        required=False, allow_blank=True, max_length=500, write_only=True
    )


class SignaturbefundSerializer(serializers.Serializer):
    feld = serializers.CharField(help_text="Name des Signaturfelds")
    name = serializers.CharField(required=False, help_text="Name in der Signatur")
    grund = serializers.CharField(required=False)
    zeitpunkt = serializers.CharField(required=False, help_text="angegebener Zeitpunkt (ISO)")
    unterzeichner = serializers.CharField(required=False, help_text="Inhaber des Zertifikats")
    fingerabdruck = serializers.CharField(required=False, help_text="SHA-256 des Zertifikats")
    intakt = serializers.BooleanField()
    ganze_datei = serializers.BooleanField(required=False)
    eigenes_zertifikat = serializers.BooleanField(required=False)
    vertrauen = serializers.CharField(required=False)
    meldung = serializers.CharField(required=False, allow_blank=True)


class SignaturpruefungSerializer(serializers.Serializer):
    version = serializers.UUIDField()
    signaturen = SignaturbefundSerializer(many=True)
