"""The login lock (django-axes) counts per account, not per spelling of the login name."""


def axes_benutzername(request, credentials=None) -> str:
    """Login names are case-insensitive (`BenutzerManager.get_by_natural_key`), so the lock is
    keyed by the normalised name: `Schulung.Erbach` and `schulung.erbach` share one counter."""
    if credentials:
        name = credentials.get("username")
    else:
        name = getattr(request, "POST", {}).get("username")
    # upper() first, as the database compares (`UPPER(username) = UPPER(%s)`): the dotless „ı“
    # is „I“ in upper case but stays „ı“ in lower case
    return (name or "").strip().upper().lower()
