"""REST API of the records (to be filled: Akten, Vorgänge, Dokumente, Versionen, Wiedervorlagen)."""


def registrieren(router) -> None:
    """Register this app's viewsets on the API router of eakte/api_urls.py."""
