"""REST API of the Protokoll (to be filled)."""


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
