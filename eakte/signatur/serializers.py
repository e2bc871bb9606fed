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
