from oauth2_provider.oauth2_validators import OAuth2Validator


class Validator(OAuth2Validator):
    """Adds the claims the e-file maps: user name, names, e-mail and groups."""

    oidc_claim_scope = None  # every claim for every scope (a test provider)

    def get_additional_claims(self, request):
        benutzer = request.user
        return {
            "preferred_username": benutzer.username,
            "given_name": benutzer.first_name,
            "family_name": benutzer.last_name,
            "email": benutzer.email,
            "groups": sorted(g.name for g in benutzer.groups.all()),
        }
