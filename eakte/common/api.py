"""Helpers shared by the API modules of all apps."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied


def service_ausfuehren(funktion, **kwargs):
    """Run a service; its German ValidationError becomes a 400, PermissionDenied a 403."""
    try:
        return funktion(**kwargs)
    except DjangoValidationError as fehler:
        detail = (
            fehler.message_dict
            if hasattr(fehler, "error_dict")
            else {"non_field_errors": fehler.messages}
        )
        raise serializers.ValidationError(detail) from fehler
    except DjangoPermissionDenied as fehler:
        raise PermissionDenied(str(fehler)) from fehler
