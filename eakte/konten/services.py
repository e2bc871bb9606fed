from django.db import transaction
from rest_framework.authtoken.models import Token

from eakte.kommunen.models import Benutzer


@transaction.atomic
def api_token_regenerate(*, benutzer: Benutzer) -> str:
    """Replace the user's API token with a new one and return it (shown once)."""
    Token.objects.filter(user=benutzer).delete()
    return Token.objects.create(user=benutzer).key


@transaction.atomic
def api_token_delete(*, benutzer: Benutzer) -> None:
    Token.objects.filter(user=benutzer).delete()
