from django.contrib.auth.backends import ModelBackend

from eakte.kommunen.models import Benutzer


class BenutzerBackend(ModelBackend):
    """Loads the signed-in user with Kommune, Verbund and roles in two queries per request."""

    def get_user(self, user_id):
        try:
            user = (
                Benutzer.objects.select_related("kommune__verbund")
                .prefetch_related("groups")
                .get(pk=user_id)
            )
        except Benutzer.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
