from django.contrib.auth.backends import ModelBackend

from eakte.kommunen.models import Benutzer


class BenutzerBackend(ModelBackend):
    """Loads the signed-in user with Kommune, Verbund and roles in two queries per request."""

    def get_user(self, user_id):
        try:
            user = (
                # the sign-in rules (identitaet: Verbund's Anmelderichtlinie, the account's
                # source) come along in the same query: the 2FA check costs none of its own
                Benutzer.objects.select_related(
                    "kommune__verbund__anmelderichtlinie", "kontoherkunft"
                )
                .prefetch_related("groups")
                .get(pk=user_id)
            )
        except Benutzer.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
